import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../src/config';
import { createGateway, GRAPHQL_PATH, type Gateway } from '../../src/gateway';
import { closeRedis, connectRedis, redisReady } from '../../src/limits/rate-limits-redis';
import { createLogger } from '../../src/logging/logger';
import { loadTenants } from '../../src/tenants/tenants-file';

/** Another gateway process's worth of state, in this process: its own listener, Redis connection and logs. */
export interface GatewayReplica {
  /** Its GraphQL endpoint (http://…/graphql; ws://… for subscriptions). */
  url: string;
  gateway: Gateway;
  logs: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

/**
 * A gateway over the same tenants file (so the same HealthImaging Local, keys and data stores) as
 * a harness's, configured by `env`: a second replica, for what must cross replicas (Redis).
 */
export async function startGatewayReplica(options: {
  env: Record<string, string>;
  tenantsPath: string;
  /** The environment the tenants file's credentials are read from. */
  credentialEnv: Record<string, string>;
}): Promise<GatewayReplica> {
  const config = loadConfig(options.env);
  const logs: Array<Record<string, unknown>> = [];
  const logger = createLogger({
    level: 'debug',
    write: (line) => logs.push(JSON.parse(line) as Record<string, unknown>),
  });
  const redis = config.redisUrl !== undefined ? connectRedis(config.redisUrl) : undefined;
  if (redis) await redisReady(redis, 2000);
  const gateway = await createGateway(config, {
    registry: loadTenants(options.tenantsPath, options.credentialEnv),
    logger,
    ...(redis ? { redis } : {}),
  });
  await gateway.start();
  const server: Server = createServer(gateway.handler);
  server.on('upgrade', gateway.upgrade);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${GRAPHQL_PATH}`,
    gateway,
    logs,
    async close() {
      await gateway.closeSubscriptions();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await gateway.stop();
      if (redis) await closeRedis(redis);
    },
  };
}
