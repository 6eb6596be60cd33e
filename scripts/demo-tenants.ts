import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { SignJWT } from 'jose';
import partnerKitDocuments from '../examples/partner-client/src/generated/persisted-documents.json';
import { DEMO_TENANT_IDS, type DemoState, type DemoTenantId } from './demo-state';

/**
 * The tenants file and the printed credentials of the embedded default. Each demo tenant gets
 * its own HealthImaging Local access key (granted only its own data store), a development HS256
 * JWT issuer and a partner API key, so the demo exercises exactly the isolation production has.
 */
export const DEMO_AUDIENCE = 'healthimaging-gateway';
/** The demo user and the tenant's own key hold every scope. */
export const DEMO_SCOPES = ['imagesets:read', 'imagesets:write', 'imagesets:delete', 'phi:read', 'audit:read'];
/**
 * The partner key is the partner kit's (examples/partner-client): it may run exactly the kit's
 * documents, read without PHI and write, which the kit's update needs. The allow-list is what
 * makes a writing partner key safe: no copy, revert or document of its own, and without
 * `phi:read` the gateway refuses it any change to a patient-identifying attribute.
 */
export const DEMO_PARTNER_SCOPES = ['imagesets:read', 'imagesets:write'];
/** The kit's trusted document ids (`sha256:<hex>`), from the client preset's manifest. */
export const DEMO_PARTNER_DOCUMENT_IDS: readonly string[] = Object.keys(partnerKitDocuments);
const DEMO_NAMES: Record<DemoTenantId, string> = { acme: 'Acme Hospital (demo)', globex: 'Globex Imaging (demo)' };

export const demoIssuer = (tenantId: DemoTenantId): string => `https://demo.healthimaging.local/${tenantId}`;
const envPrefix = (tenantId: DemoTenantId): string => `DEMO_${tenantId.toUpperCase()}`;

/** The variables the tenants file names for each tenant's static HealthImaging Local key. */
export function demoCredentialEnv(state: DemoState): Record<string, string> {
  const env: Record<string, string> = {};
  for (const id of DEMO_TENANT_IDS) {
    env[`${envPrefix(id)}_ACCESS_KEY_ID`] = state.tenants[id].accessKeyId;
    env[`${envPrefix(id)}_SECRET_ACCESS_KEY`] = state.tenants[id].secretAccessKey;
  }
  return env;
}

export function writeDemoTenantsFile(file: string, state: DemoState, endpoint: string): void {
  const tenants = DEMO_TENANT_IDS.map((id) => {
    const tenant = state.tenants[id];
    return {
      id,
      name: DEMO_NAMES[id],
      datastoreIds: [tenant.datastoreId],
      upstream: {
        region: 'us-east-1',
        endpoint,
        credentials: {
          type: 'static',
          accessKeyIdEnv: `${envPrefix(id)}_ACCESS_KEY_ID`,
          secretAccessKeyEnv: `${envPrefix(id)}_SECRET_ACCESS_KEY`,
        },
      },
      jwt: { issuer: demoIssuer(id), audience: DEMO_AUDIENCE, hs256Secret: tenant.jwtSecret, algorithms: ['HS256'] },
      apiKeys: [
        { id: `${id}-app`, sha256: sha256Hex(tenant.apiKey), scopes: DEMO_SCOPES },
        {
          id: `${id}-partner`,
          sha256: sha256Hex(tenant.partnerApiKey!),
          scopes: DEMO_PARTNER_SCOPES,
          trustedDocuments: DEMO_PARTNER_DOCUMENT_IDS,
        },
      ],
    };
  });
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, JSON.stringify({ tenants }, null, 2), { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}

const sha256Hex = (value: string): string => createHash('sha256').update(value).digest('hex');

/** A development token for a demo user of the tenant, valid for 12 hours. */
export async function mintDemoToken(state: DemoState, tenantId: DemoTenantId): Promise<string> {
  return new SignJWT({ scope: DEMO_SCOPES.join(' ') })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(demoIssuer(tenantId))
    .setAudience(DEMO_AUDIENCE)
    .setSubject(`demo-user@${tenantId}`)
    .setIssuedAt()
    .setExpirationTime('12h')
    .sign(new TextEncoder().encode(state.tenants[tenantId].jwtSecret));
}
