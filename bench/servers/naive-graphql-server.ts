import 'reflect-metadata';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadTenants } from '../../src/tenants/tenants-file';
import { loadConfig } from '../../src/config';
import { createGateway } from '../../src/gateway';
import { passThroughLoaders } from './naive/pass-through-loaders';

/**
 * Entry of the naive-GraphQL baseline: the gateway itself (config, schema, resolvers, auth,
 * HTTP handling, ImagingService) with one change, the per-request loaders (`GatewayDeps.loadersFor`):
 * pass-through ones that neither batch nor cache. Nothing else differs.
 */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  if (!config.tenantsFile) throw new Error('TENANTS_FILE is required.');
  const registry = loadTenants(config.tenantsFile, process.env);
  const gateway = await createGateway(config, { registry, loadersFor: passThroughLoaders });
  await gateway.start();
  const server = createServer(gateway.handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`naive GraphQL listening on http://127.0.0.1:${port}/graphql\n`);
  process.on('SIGTERM', () => {
    server.close(() => {
      void gateway.stop().finally(() => process.exit(0));
    });
    server.closeIdleConnections();
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`naive GraphQL failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
