import { Redis } from 'ioredis';

/**
 * The Redis connection the rate limits share between replicas. Tuned so that Redis trouble never
 * holds a request: a command fails at once while disconnected (no offline queue, no replay after a
 * reconnect) and within `COMMAND_TIMEOUT_MS` when Redis hangs, and `RateLimits` then answers from
 * its local limiters. Reconnects keep being tried in the background.
 */

const COMMAND_TIMEOUT_MS = 500;
const CONNECT_TIMEOUT_MS = 2000;
const MAX_RECONNECT_DELAY_MS = 2000;

export function connectRedis(url: string): Redis {
  const client = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: COMMAND_TIMEOUT_MS,
    connectTimeout: CONNECT_TIMEOUT_MS,
    retryStrategy: (attempt) => Math.min(attempt * 200, MAX_RECONNECT_DELAY_MS),
    // A socket that never opened (Redis down) would otherwise hold shutdown for ioredis's 2 s.
    disconnectTimeout: COMMAND_TIMEOUT_MS,
  });
  // Without a listener ioredis prints every failed reconnect; `RateLimits` logs the outage once.
  client.on('error', () => undefined);
  return client;
}

/** Resolves true once the client is ready, false after `timeoutMs` (the gateway starts either way). */
export function redisReady(client: Redis, timeoutMs: number): Promise<boolean> {
  if (client.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ready: boolean): void => {
      clearTimeout(timer);
      client.off('ready', onReady);
      resolve(ready);
    };
    const onReady = (): void => done(true);
    const timer = setTimeout(() => done(false), timeoutMs);
    client.on('ready', onReady);
  });
}

/** Closes the connection, without waiting on a Redis that does not answer. */
export async function closeRedis(client: Redis): Promise<void> {
  if (client.status === 'ready') {
    try {
      await client.quit();
      return;
    } catch {
      // Fall through: the connection is cut below.
    }
  }
  client.disconnect();
}
