import 'reflect-metadata';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadTenants } from './auth/tenants-file';
import { ConfigError, describeConfig, loadConfig } from './config';
import { createLogger, describeError } from './errors/safe-log';
import { createGateway, GRAPHQL_PATH } from './gateway';

/** Connections still open this long after SIGTERM are cut, so a deploy never hangs. */
const SHUTDOWN_GRACE_MS = 10_000;

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  if (config.tenantsFile === undefined) {
    throw new ConfigError([
      'TENANTS_FILE is not set: point it at a tenants file, or run `npm start` for the embedded HealthImaging Local set-up',
    ]);
  }
  const registry = loadTenants(config.tenantsFile, process.env);
  const logger = createLogger({ level: config.logLevel });
  logger.info('gateway.config', describeConfig(config));
  if (config.cursorSecretGenerated) {
    logger.warn('gateway.cursor_secret_generated', { reason: 'CURSOR_SECRET unset in development; cursors and ids die with the process' });
  }

  const gateway = await createGateway(config, { registry, logger });
  await gateway.start();
  const server = createServer(gateway.handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  console.log(`GraphQL gateway ready at http://${host}:${port}${GRAPHQL_PATH} (${config.environment})`);

  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info('gateway.shutdown', { reason: signal });
    const force = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
    force.unref();
    server.close(() => {
      gateway
        .stop()
        .catch((error: unknown) => logger.error('gateway.stop_failed', describeError(error)))
        .finally(() => process.exit(0));
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  // Configuration problems are the operator's to fix: print them plainly, without a stack.
  if (error instanceof ConfigError) console.error(error.message);
  else {
    const { errorName, errorCode } = describeError(error);
    console.error(`The gateway failed to start: ${errorName}${errorCode ? ` (${errorCode})` : ''}`);
  }
  process.exit(1);
});
