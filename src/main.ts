import 'reflect-metadata';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadTenants } from './tenants/tenants-file';
import { ConfigError, describeConfig, loadConfig, upstreamDefaultsOf, type EnvSource } from './config';
import { createLogger, describeError } from './logging/logger';
import { startTelemetry } from './telemetry/start-telemetry';
import { openAuditStore } from './audit/open-audit-store';
import { createGateway, GRAPHQL_PATH } from './gateway';
import { GatewayMetrics } from './metrics/gateway-metrics';
import { startMetricsServer } from './metrics/metrics-server';
import { observedAuditStore } from './metrics/observed-audit-store';

/** How long start-up waits for Redis before serving with local limits (it keeps reconnecting). */
const REDIS_STARTUP_WAIT_MS = 2000;
/** How often a drain closes the keep-alive connections that went idle (their last response sent). */
const IDLE_SWEEP_MS = 50;

export interface RunningGateway {
  url: string;
  /** The Prometheus endpoint, when METRICS_PORT is set. */
  metricsUrl?: string;
  /** Stops accepting connections, drains them (cut after SHUTDOWN_DRAIN_MS) and releases the SDK clients. */
  close(): Promise<void>;
}

/**
 * Validates the configuration, builds the gateway and listens. Used by `node dist/src/main.js`
 * and by the embedded-default launcher, which passes its own environment (demo tenants file).
 */
export async function startGatewayServer(env: EnvSource): Promise<RunningGateway> {
  const config = loadConfig(env);
  if (config.tenantsFile === undefined) {
    throw new ConfigError([
      'TENANTS_FILE is not set: point it at a tenants file, or run `npm start` for the embedded HealthImaging Local set-up',
    ]);
  }
  const registry = loadTenants(config.tenantsFile, env, {
    upstreamDefaults: upstreamDefaultsOf(config),
    allowHs256Secret: config.environment !== 'production',
  });
  const logger = createLogger({ level: config.logLevel });
  logger.info('gateway.config', describeConfig(config));
  if (config.cursorSecretGenerated) {
    logger.warn('gateway.cursor_secret_generated', {
      reason: 'CURSOR_SECRET unset in development; cursors and ids die with the process',
    });
  }

  // Before anything serves: every request span needs the provider, the propagator and the context manager.
  const telemetry = startTelemetry(config.tracing, { logger });
  const metrics = config.metricsPort !== undefined ? new GatewayMetrics() : undefined;
  const openedAudit = await openAuditStore({
    ...(config.auditDatabaseUrl !== undefined ? { databaseUrl: config.auditDatabaseUrl } : {}),
    sqliteFile: config.auditSqliteFile,
  });
  const audit = metrics ? observedAuditStore(openedAudit, metrics) : openedAudit;
  // Loaded only when configured: ioredis alone is about 8 MB of a replica's resident memory.
  const { redisUrl } = config;
  const redisModule = redisUrl !== undefined ? await import('./limits/rate-limits-redis') : undefined;
  const redis = redisUrl !== undefined ? redisModule?.connectRedis(redisUrl) : undefined;
  if (redis && redisModule && !(await redisModule.redisReady(redis, REDIS_STARTUP_WAIT_MS))) {
    logger.warn('gateway.redis_not_ready', { outcome: 'serving with per-replica rate limits until Redis answers' });
  }
  const gateway = await createGateway(config, {
    registry,
    logger,
    audit,
    ...(redis ? { redis } : {}),
    ...(metrics ? { metrics } : {}),
  });
  await gateway.start();
  const server = createServer(gateway.handler);
  server.on('upgrade', gateway.upgrade);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${host}:${port}${GRAPHQL_PATH}`;
  console.log(`GraphQL gateway ready at ${url} (${config.environment})`);
  const metricsServer =
    metrics && config.metricsPort !== undefined
      ? await startMetricsServer(metrics, { port: config.metricsPort, host: config.metricsHost })
      : undefined;

  let closed: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closed ??= new Promise<void>((resolve) => {
      logger.info('gateway.shutdown', {});
      const force = setTimeout(() => server.closeAllConnections(), config.shutdownDrainMs);
      force.unref();
      // Node closes only the connections idle when close() is called; a keep-alive connection whose
      // response ends later would hold the drain until the client's idle timeout.
      const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
      // WebSocket connections would hold close() open: they are told to go away (clients reconnect elsewhere).
      void gateway.closeSubscriptions();
      server.close(() => {
        clearTimeout(force);
        clearInterval(sweep);
        gateway
          .stop()
          .then(() => audit.close())
          .then(() => (redis && redisModule ? redisModule.closeRedis(redis) : undefined))
          .then(() => metricsServer?.close())
          // Last: the spans of the drained requests are exported before the process exits.
          .then(() => telemetry.shutdown())
          .catch((error: unknown) => logger.error('gateway.stop_failed', describeError(error)))
          .finally(resolve);
      });
      server.closeIdleConnections();
    }));
  return { url, ...(metricsServer ? { metricsUrl: metricsServer.url } : {}), close };
}

async function main(): Promise<void> {
  const gateway = await startGatewayServer(process.env);
  const shutdown = (): void => void gateway.close().finally(() => process.exit(0));
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

if (require.main === module)
  main().catch((error: unknown) => {
    // Configuration problems are the operator's to fix: print them plainly, without a stack.
    if (error instanceof ConfigError) console.error(error.message);
    else {
      const { errorName, errorCode } = describeError(error);
      console.error(`The gateway failed to start: ${errorName}${errorCode ? ` (${errorCode})` : ''}`);
    }
    process.exit(1);
  });
