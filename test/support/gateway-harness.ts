import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MedicalImagingClient } from '@aws-sdk/client-medical-imaging';
import { SignJWT } from 'jose';
import { smallCtStudy, smallMrStudy, type SyntheticStudySpec } from '../../scripts/synthetic-studies';
import type { AuditStore } from '../../src/audit/audit-store';
import { hashApiKey } from '../../src/auth/authenticate';
import { SCOPES, type Scope } from '../../src/auth/principal';
import { loadTenants } from '../../src/tenants/tenants-file';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logging/logger';
import { createGateway, GRAPHQL_PATH, type Gateway } from '../../src/gateway';
import { closeRedis, connectRedis, redisReady } from '../../src/limits/rate-limits-redis';
import type { CallStatsSnapshot, OperationName } from '../../healthimaging-local';
import { startTestHil, type TestHil } from './hil-client';
import { startGatewayReplica, type GatewayReplica } from './gateway-replica';
import { createActiveDatastore, importSyntheticStudy } from './hil-wait';
import { atLeast, type AtLeast } from './present';

/**
 * A real gateway over a real HealthImaging Local, both on port 0: two tenants (`acmeTenant`,
 * `globexTenant`), each with its own data store, its own HealthImaging access key granted only
 * that data store, JWT issuers and API keys; synthetic studies imported through the SDK. Tests
 * talk to the gateway over HTTP only.
 */

export const acmeTenant = { id: 'acme', name: 'Acme Radiology' } as const;
export const globexTenant = { id: 'globex', name: 'Globex Imaging' } as const;
export type TenantKey = 'acme' | 'globex';

const ALL_SCOPES: Scope[] = [...SCOPES];
const AUDIENCE = 'healthimaging-gateway';

export interface GqlResponse<TData = Record<string, any>> {
  status: number;
  headers: IncomingHttpHeaders;
  data?: TData | null;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, any> }>;
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface GatewayHarness {
  /** The GraphQL endpoint, e.g. http://127.0.0.1:54321/graphql. */
  url: string;
  /** POSTs a GraphQL request as JSON; `headers` usually comes from `as(...)`. */
  gql<TData = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GqlResponse<TData>>;
  /** Any HTTP request to the gateway, for transport-level tests. */
  raw(options: {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
  }): Promise<RawResponse>;
  /** Bearer tokens: every scope, or exactly the named ones. */
  tokens: {
    acme: string;
    globex: string;
    acmeReadOnly: string;
    acmeNoScopes: string;
    acmeExpired: string;
  };
  /** A token of a tenant's issuer with chosen claims (exp and iat in epoch seconds; iat omitted when null). */
  mintToken(
    tenant: TenantKey,
    claims: { sub: string; scope: string; exp: number; iat?: number | null },
  ): Promise<string>;
  /** Raw API keys (the tenants file holds only their hashes). */
  apiKeys: { acme: string; acmeReadOnly: string; acmeWriteOnly: string; globex: string };
  /** Authorization headers for a token or API key. */
  as(credential: { token: string } | { apiKey: string }): Record<string, string>;
  hil: TestHil;
  /** An SDK client with the default key (every data store), for seeding and checks. */
  admin: MedicalImagingClient;
  datastores: Record<TenantKey, string>;
  /** The HealthImaging access key id each tenant's upstream calls are signed with. */
  hilAccessKeys: Record<TenantKey, string>;
  /** Image sets (one per series, two each) of the studies imported at start: CT for acme, MR for globex. */
  imageSets: Record<TenantKey, AtLeast<string, 2>>;
  /** Imports a new study (new UIDs) into a tenant's data store; returns its image set ids. */
  importStudy(tenant: TenantKey, label: string, base?: SyntheticStudySpec): Promise<AtLeast<string, 1>>;
  /** HealthImaging Local's per-operation counts of calls signed with a tenant's key since the last reset. */
  upstreamCalls(tenant: TenantKey): Partial<Record<OperationName, number>>;
  resetUpstreamCalls(): void;
  /** Every line the gateway logged (debug level and up), parsed, oldest first. */
  logs: Array<Record<string, unknown>>;
  gateway: Gateway;
  /**
   * A second gateway over the same HealthImaging Local and tenants, with this harness's environment
   * plus `env` (its own Redis connection when REDIS_URL is set). The test closes it.
   */
  startReplica(env?: Record<string, string>): Promise<GatewayReplica>;
  close(): Promise<void>;
}

export interface GatewayHarnessOptions {
  /** Extra gateway environment (e.g. MAX_QUERY_DEPTH, CORS_ORIGINS, GATEWAY_ENV, RATE_LIMIT_*; REDIS_URL connects the limits to Redis). */
  env?: Record<string, string>;
  /** HealthImaging Local's write delay (ms): how long writes stay LOCKED. Default 0. */
  writeDelayMs?: number;
  /** Extra API keys of acme (raw key, scopes, optional trusted documents). */
  acmeApiKeys?: Array<{ id: string; key: string; scopes: Scope[]; trustedDocuments?: string[] }>;
  /** acme's tenant-wide trusted documents (ids as the tenants file takes them). */
  acmeTrustedDocuments?: string[];
  /** Tenants-file `upstream` settings for both tenants (e.g. short timeouts for hung-call tests). */
  upstream?: {
    connectionTimeoutMs?: number;
    requestTimeoutMs?: number;
    maxReadAttempts?: number;
    maxConcurrency?: number;
  };
  /** The gateway's audit trail (the test opens and closes it). */
  audit?: AuditStore;
}

function secret(): string {
  return randomBytes(32).toString('base64url');
}

async function token(
  issuer: string,
  signingSecret: string,
  claims: { sub: string; scope: string },
  expiresAt = Math.floor(Date.now() / 1000) + 3600,
): Promise<string> {
  return new SignJWT({ scope: claims.scope })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(issuer)
    .setAudience(AUDIENCE)
    .setSubject(claims.sub)
    .setIssuedAt()
    .setExpirationTime(expiresAt)
    .sign(new TextEncoder().encode(signingSecret));
}

/** Undoes what a harness started, newest first; a failed step does not stop the others. */
async function release(cleanups: Array<() => unknown>): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) {
    try {
      await cleanup();
    } catch {
      // The remaining resources must still be released; the test already reports its own failure.
    }
  }
}

/**
 * A gateway over a fresh HealthImaging Local with two tenants. When setting up fails partway,
 * whatever was already started is stopped again, so jest does not hang on a running server.
 */
export async function startGatewayHarness(options: GatewayHarnessOptions = {}): Promise<GatewayHarness> {
  const cleanups: Array<() => unknown> = [];
  try {
    return await setUpGatewayHarness(options, cleanups);
  } catch (error) {
    await release(cleanups);
    throw error;
  }
}

async function setUpGatewayHarness(
  options: GatewayHarnessOptions,
  cleanups: Array<() => unknown>,
): Promise<GatewayHarness> {
  const hilKeys = {
    acme: { accessKeyId: 'AKIAACMETENANT000001', secretAccessKey: secret() },
    globex: { accessKeyId: 'AKIAGLOBEXTENANT0001', secretAccessKey: secret() },
  };
  const hil = await startTestHil({ writeDelayMs: options.writeDelayMs ?? 0 });
  cleanups.push(() => hil.close());
  const admin = hil.client();
  const datastores = {
    acme: await createActiveDatastore(admin, 'acme-store'),
    globex: await createActiveDatastore(admin, 'globex-store'),
  };
  // Each tenant's key reaches only its own data store, as separate IAM principals would.
  hil.hil.admin.accessKeys.add({ ...hilKeys.acme, datastores: [datastores.acme] });
  hil.hil.admin.accessKeys.add({ ...hilKeys.globex, datastores: [datastores.globex] });

  const importStudy = async (
    tenant: TenantKey,
    label: string,
    base = tenant === 'acme' ? smallCtStudy : smallMrStudy,
  ) => {
    const spec: SyntheticStudySpec = {
      ...base,
      seed: `${base.seed}-${label}`,
      accessionNumber: `${base.accessionNumber}${label}`.slice(0, 16),
    };
    const { imageSetIds } = await importSyntheticStudy(
      admin,
      hil.s3Dir,
      datastores[tenant],
      spec,
      `${tenant}-${label}`,
    );
    return atLeast(imageSetIds, 1, `image sets of study ${label}`);
  };
  const imageSets = {
    acme: atLeast(await importStudy('acme', 'base'), 2, 'image sets of the acme study'),
    globex: atLeast(await importStudy('globex', 'base'), 2, 'image sets of the globex study'),
  };

  const jwtSecrets = { acme: secret(), globex: secret() };
  const issuers = { acme: 'https://idp.acme.test', globex: 'https://idp.globex.test' };
  const apiKeys = {
    acme: `acme-${secret()}`,
    acmeReadOnly: `acme-ro-${secret()}`,
    acmeWriteOnly: `acme-wo-${secret()}`,
    globex: `globex-${secret()}`,
  };
  const env: Record<string, string> = {
    ACME_HIL_KEY_ID: hilKeys.acme.accessKeyId,
    ACME_HIL_SECRET: hilKeys.acme.secretAccessKey,
    GLOBEX_HIL_KEY_ID: hilKeys.globex.accessKeyId,
    GLOBEX_HIL_SECRET: hilKeys.globex.secretAccessKey,
  };
  const upstream = (tenant: 'ACME' | 'GLOBEX') => ({
    region: 'us-east-1',
    endpoint: hil.url,
    credentials: { type: 'static', accessKeyIdEnv: `${tenant}_HIL_KEY_ID`, secretAccessKeyEnv: `${tenant}_HIL_SECRET` },
    maxReadAttempts: 1,
    ...options.upstream,
  });
  const tenantsFile = {
    tenants: [
      {
        id: acmeTenant.id,
        name: acmeTenant.name,
        datastoreIds: [datastores.acme],
        upstream: upstream('ACME'),
        jwt: { issuer: issuers.acme, audience: AUDIENCE, hs256Secret: jwtSecrets.acme },
        apiKeys: [
          { id: 'acme-ci', sha256: hashApiKey(apiKeys.acme), scopes: ALL_SCOPES },
          { id: 'acme-viewer', sha256: hashApiKey(apiKeys.acmeReadOnly), scopes: ['imagesets:read'] },
          { id: 'acme-writer', sha256: hashApiKey(apiKeys.acmeWriteOnly), scopes: ['imagesets:write'] },
          ...(options.acmeApiKeys ?? []).map(({ key, ...rest }) => ({ ...rest, sha256: hashApiKey(key) })),
        ],
        ...(options.acmeTrustedDocuments ? { trustedDocuments: options.acmeTrustedDocuments } : {}),
      },
      {
        id: globexTenant.id,
        name: globexTenant.name,
        datastoreIds: [datastores.globex],
        upstream: upstream('GLOBEX'),
        jwt: { issuer: issuers.globex, audience: AUDIENCE, hs256Secret: jwtSecrets.globex },
        apiKeys: [{ id: 'globex-ci', sha256: hashApiKey(apiKeys.globex), scopes: ALL_SCOPES }],
      },
    ],
  };
  const configDir = mkdtempSync(join(tmpdir(), 'gateway-harness-'));
  const tenantsPath = join(configDir, 'tenants.json');
  cleanups.push(() => rmSync(configDir, { recursive: true, force: true }));
  writeFileSync(tenantsPath, JSON.stringify(tenantsFile));

  const config = loadConfig({
    GATEWAY_ENV: 'test',
    CURSOR_SECRET: secret(),
    TENANTS_FILE: tenantsPath,
    LOG_LEVEL: 'silent',
    // This HealthImaging Local meters nothing, so neither does the gateway (the fair-share tests
    // turn both on): at the default 0.25 writes/s per account the write tests would take minutes.
    UPSTREAM_BUDGETS: 'off',
    ...options.env,
  });
  const logs: Array<Record<string, unknown>> = [];
  const logger = createLogger({
    level: 'debug',
    write: (line) => logs.push(JSON.parse(line) as Record<string, unknown>),
  });
  const redis = config.redisUrl !== undefined ? connectRedis(config.redisUrl) : undefined;
  // A Redis that does not answer is a case under test: the gateway then serves with local limits.
  if (redis) cleanups.push(() => closeRedis(redis));
  if (redis) await redisReady(redis, 2000);
  const gateway = await createGateway(config, {
    registry: loadTenants(tenantsPath, env),
    logger,
    ...(options.audit ? { audit: options.audit } : {}),
    ...(redis ? { redis } : {}),
  });
  cleanups.push(() => gateway.stop());
  await gateway.start();
  const server: Server = createServer(gateway.handler);
  server.on('upgrade', gateway.upgrade);
  cleanups.push(async () => {
    await gateway.closeSubscriptions();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}${GRAPHQL_PATH}`;

  const raw: GatewayHarness['raw'] = ({ method = 'POST', path = GRAPHQL_PATH, headers = {}, body }) =>
    new Promise((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, method, path, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });

  const gql: GatewayHarness['gql'] = async (query, variables, headers = {}) => {
    const response = await raw({
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query, ...(variables ? { variables } : {}) }),
    });
    let parsed: { data?: any; errors?: any };
    try {
      parsed = JSON.parse(response.body) as { data?: any; errors?: any };
    } catch {
      throw new Error(`The gateway answered ${response.status} with a body that is not JSON`);
    }
    return { status: response.status, headers: response.headers, ...parsed };
  };

  const now = Math.floor(Date.now() / 1000);
  const tokens = {
    acme: await token(issuers.acme, jwtSecrets.acme, { sub: 'alice@acme.test', scope: ALL_SCOPES.join(' ') }),
    globex: await token(issuers.globex, jwtSecrets.globex, { sub: 'gus@globex.test', scope: ALL_SCOPES.join(' ') }),
    acmeReadOnly: await token(issuers.acme, jwtSecrets.acme, { sub: 'rita@acme.test', scope: 'imagesets:read' }),
    acmeNoScopes: await token(issuers.acme, jwtSecrets.acme, { sub: 'nora@acme.test', scope: '' }),
    acmeExpired: await token(
      issuers.acme,
      jwtSecrets.acme,
      { sub: 'alice@acme.test', scope: ALL_SCOPES.join(' ') },
      now - 3600,
    ),
  };

  const stats = (): CallStatsSnapshot => hil.hil.admin.stats();
  const mintToken: GatewayHarness['mintToken'] = (tenant, claims) => {
    const jwt = new SignJWT({ scope: claims.scope })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(issuers[tenant])
      .setAudience(AUDIENCE)
      .setSubject(claims.sub)
      .setExpirationTime(claims.exp);
    if (claims.iat !== null) jwt.setIssuedAt(claims.iat ?? Math.floor(Date.now() / 1000));
    return jwt.sign(new TextEncoder().encode(jwtSecrets[tenant]));
  };

  return {
    url,
    gql,
    raw,
    tokens,
    mintToken,
    apiKeys,
    as: (credential): Record<string, string> =>
      'token' in credential ? { authorization: `Bearer ${credential.token}` } : { 'x-api-key': credential.apiKey },
    hil,
    admin,
    datastores,
    hilAccessKeys: { acme: hilKeys.acme.accessKeyId, globex: hilKeys.globex.accessKeyId },
    imageSets,
    importStudy,
    upstreamCalls: (tenant) => stats().accessKeys[hilKeys[tenant].accessKeyId] ?? {},
    resetUpstreamCalls: () => hil.hil.admin.resetStats(),
    logs,
    gateway,
    startReplica: (replicaEnv = {}) =>
      startGatewayReplica({
        env: {
          GATEWAY_ENV: 'test',
          CURSOR_SECRET: config.cursorSecret,
          TENANTS_FILE: tenantsPath,
          LOG_LEVEL: 'silent',
          UPSTREAM_BUDGETS: 'off',
          ...options.env,
          ...replicaEnv,
        },
        tenantsPath,
        credentialEnv: env,
      }),
    close: () => release(cleanups),
  };
}

/** Sums a per-operation count map. */
export function totalCalls(calls: Partial<Record<string, number>>): number {
  return Object.values(calls).reduce<number>((sum, count) => sum + (count ?? 0), 0);
}
