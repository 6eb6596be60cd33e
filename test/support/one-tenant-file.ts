import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashApiKey } from '../../src/auth/authenticate';

/**
 * Writes `tenants.json` into `dir` for a gateway started as a child process: one tenant, `acme`,
 * granted one data store, reaching HealthImaging Local with the keys in `ACME_KEY_ID` /
 * `ACME_SECRET`, and one read-only API key. Returns the file's path.
 */
export function writeOneTenantFile(dir: string, tenant: { datastoreId: string; apiKey: string }): string {
  const path = join(dir, 'tenants.json');
  writeFileSync(
    path,
    JSON.stringify({
      tenants: [
        {
          id: 'acme',
          name: 'Acme Radiology',
          datastoreIds: [tenant.datastoreId],
          upstream: {
            maxReadAttempts: 1,
            credentials: { type: 'static', accessKeyIdEnv: 'ACME_KEY_ID', secretAccessKeyEnv: 'ACME_SECRET' },
          },
          apiKeys: [{ id: 'acme-ops', sha256: hashApiKey(tenant.apiKey), scopes: ['imagesets:read'] }],
        },
      ],
    }),
  );
  return path;
}
