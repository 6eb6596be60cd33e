import { loadTenants } from '../../src/tenants/tenants-file';
import { createMedicalImagingClient } from '../../src/imaging/upstream/client-factory';
import { createHandWrittenServer } from './hand-written/http-server';

/**
 * Entry of the hand-written baseline: `TENANTS_FILE=… PORT=… node hand-written-server.js`.
 * It reads the gateway's tenants file and builds each tenant's SDK client with the gateway's own
 * factory, so both make the same calls with the same client settings (keep-alive pool, timeouts,
 * no SDK retries); everything between HTTP and the SDK is written by hand.
 */
function main(): void {
  const tenantsFile = process.env.TENANTS_FILE;
  if (!tenantsFile) throw new Error('TENANTS_FILE is required.');
  const port = Number(process.env.PORT ?? '0');
  const registry = loadTenants(tenantsFile, process.env);
  const keys = registry.all().flatMap((tenant) => {
    const handWrittenTenant = {
      id: tenant.id,
      datastoreIds: tenant.datastoreIds,
      client: createMedicalImagingClient(tenant.upstream),
    };
    return tenant.apiKeys.map((key) => ({ sha256: key.sha256, tenant: handWrittenTenant }));
  });
  const server = createHandWrittenServer(keys);
  server.listen(port, '127.0.0.1', () => {
    const address = server.address();
    const actual = typeof address === 'object' && address ? address.port : port;
    process.stdout.write(`hand-written baseline listening on http://127.0.0.1:${actual}\n`);
  });
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

main();
