import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The embedded default's own secrets and ids, kept in `.data/demo/state.json` so that a second
 * `npm start` reuses the data store ids, the HealthImaging Local access keys and the demo
 * credentials it printed the first time. Development data only: `.data/` is git-ignored.
 */
export const DEMO_TENANT_IDS = ['acme', 'globex'] as const;
export type DemoTenantId = (typeof DEMO_TENANT_IDS)[number];

export interface DemoTenantState {
  /** HealthImaging Local access key granted only this tenant's data store. */
  accessKeyId: string;
  secretAccessKey: string;
  /** The tenant's own API key printed for `x-api-key`, every scope (its SHA-256 goes into the tenants file). */
  apiKey: string;
  /** A partner's read-only API key (`imagesets:read`, no `phi:read`): PHI is withheld from it. */
  partnerApiKey?: string;
  /** HS256 secret of the tenant's development JWT issuer. */
  jwtSecret: string;
  datastoreId?: string;
  /** Set once the demo studies were imported, so a restart does not import them twice. */
  imported?: boolean;
}

export interface DemoState {
  adminAccessKeyId: string;
  adminSecretAccessKey: string;
  cursorSecret: string;
  tenants: Record<DemoTenantId, DemoTenantState>;
}

const token = (bytes: number): string => randomBytes(bytes).toString('base64url');
const accessKeyId = (): string => `AKIALOCAL${randomBytes(6).toString('hex').toUpperCase()}`;

function newTenantState(): DemoTenantState {
  return {
    accessKeyId: accessKeyId(),
    secretAccessKey: token(30),
    apiKey: `demo_${token(24)}`,
    partnerApiKey: `partner_${token(24)}`,
    jwtSecret: token(48),
  };
}

export function demoStatePath(dataDir: string): string {
  return join(dataDir, 'demo', 'state.json');
}

export function loadOrCreateDemoState(dataDir: string): DemoState {
  const file = demoStatePath(dataDir);
  if (existsSync(file)) {
    const state = JSON.parse(readFileSync(file, 'utf8')) as DemoState;
    // A state written before partner keys existed gets one now, kept for later starts.
    const missing = Object.values(state.tenants).filter((tenant) => tenant.partnerApiKey === undefined);
    for (const tenant of missing) tenant.partnerApiKey = `partner_${token(24)}`;
    if (missing.length > 0) saveDemoState(dataDir, state);
    return state;
  }
  const state: DemoState = {
    adminAccessKeyId: accessKeyId(),
    adminSecretAccessKey: token(30),
    cursorSecret: token(48),
    tenants: { acme: newTenantState(), globex: newTenantState() },
  };
  saveDemoState(dataDir, state);
  return state;
}

/** Written atomically (temp file + rename) so an interrupted start never leaves half a file. */
export function saveDemoState(dataDir: string, state: DemoState): void {
  const file = demoStatePath(dataDir);
  mkdirSync(join(dataDir, 'demo'), { recursive: true });
  writeFileSync(`${file}.tmp`, JSON.stringify(state, null, 2), { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}
