import { createHash } from 'node:crypto';

/** Named tenants-file fragments shared by the auth unit tests. */

export const acmeDatastoreId = 'aaaaaaaa0123456789abcdef01234567';
export const globexDatastoreId = 'bbbbbbbbfedcba9876543210fedcba98';

export const acmeApiKey = 'acme_partner_key_0123456789';
export const globexApiKey = 'globex_partner_key_9876543210';

export const sha256Hex = (value: string): string => createHash('sha256').update(value).digest('hex');

export const hs256Secret = 'dev-only-hs256-secret-with-enough-length-0123';

export function acmeTenantJson(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'acme',
    name: 'Acme Radiology',
    datastoreIds: [acmeDatastoreId],
    upstream: { region: 'us-east-1', endpoint: 'http://127.0.0.1:4566', credentials: { type: 'default' } },
    jwt: { issuer: 'https://idp.acme.test', audience: 'healthimaging-gateway', hs256Secret },
    apiKeys: [{ id: 'acme-partner', sha256: sha256Hex(acmeApiKey), scopes: ['imagesets:read'] }],
    ...overrides,
  };
}

export function globexTenantJson(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'globex',
    name: 'Globex Imaging',
    datastoreIds: [globexDatastoreId],
    upstream: { region: 'eu-west-2', credentials: { type: 'default' } },
    apiKeys: [{ id: 'globex-partner', sha256: sha256Hex(globexApiKey), scopes: ['imagesets:read', 'imagesets:write'] }],
    ...overrides,
  };
}
