import 'reflect-metadata';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadTenants } from '../../src/tenants/tenants-file';
import { loadConfig, upstreamDefaultsOf } from '../../src/config';
import { createLogger } from '../../src/logging/logger';
import { createGateway } from '../../src/gateway';

/**
 * The gateway as `src/main.ts` builds it, minus the audit trail (`GatewayDeps.audit` unset):
 * the reference the audit's added latency is measured against. Same config, tenants, logger,
 * limits and PHI handling; nothing else differs.
 */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  if (!config.tenantsFile) throw new Error('TENANTS_FILE is required.');
  const registry = loadTenants(config.tenantsFile, process.env, {
    upstreamDefaults: upstreamDefaultsOf(config),
    allowHs256Secret: config.environment !== 'production',
  });
  const logger = createLogger({ level: config.logLevel });
  const gateway = await createGateway(config, { registry, logger });
  await gateway.start();
  const server = createServer(gateway.handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`gateway without audit listening on http://127.0.0.1:${port}/graphql\n`);
  process.on('SIGTERM', () => {
    server.close(() => {
      void gateway.stop().finally(() => process.exit(0));
    });
    server.closeIdleConnections();
  });
}

main().catch((error: unknown) => {
  process.stderr.write(
    `gateway without audit failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
