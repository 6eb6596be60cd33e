import type { Redis } from 'ioredis';
import { Idempotency } from '../../../src/http/idempotency';
import { RedisIdempotencyStore } from '../../../src/http/idempotency-store-redis';
import { closeRedis, connectRedis, redisReady } from '../../../src/limits/rate-limits-redis';
import { closedPort, describeWithRedis, TEST_REDIS_URL, uniqueRedisPrefix } from '../../support/redis-scratch';
import { atLeast, present } from '../../support/present';

/** Idempotency records in the machine's real Redis: shared by replicas, atomic, and Redis down. */

const owner = { tenantId: 'acme', method: 'jwt', subject: 'alice@acme.test' };
const TTL_MS = 10_000;
const answer = {
  status: 200,
  headers: [['content-type', 'application/json']] as Array<[string, string]>,
  body: '{"data":{"copyImageSet":null}}',
};

describeWithRedis('RedisIdempotencyStore', () => {
  const clients: Redis[] = [];
  const connect = async (url = TEST_REDIS_URL): Promise<Redis> => {
    const client = connectRedis(url);
    clients.push(client);
    await redisReady(client, 2000);
    return client;
  };
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => closeRedis(client)));
  });

  it('reserves a key for exactly one of many concurrent requests across two replicas', async () => {
    const prefix = uniqueRedisPrefix('idem-race');
    const stores = [
      new RedisIdempotencyStore(await connect(), prefix),
      new RedisIdempotencyStore(await connect(), prefix),
    ];
    const record = { state: 'running' as const, fingerprint: 'f1', startedAt: 1 };
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => present(stores[i % 2], 'a store').reserve('id-1', record, TTL_MS)),
    );
    expect(results.filter((result) => result.reserved)).toHaveLength(1);
    expect(results.filter((result) => !result.reserved)).toEqual(Array(19).fill({ reserved: false, existing: record }));
  });

  it('replays on one replica the response recorded by the other, and keeps keys under the prefix with their TTL', async () => {
    const prefix = uniqueRedisPrefix('idem-replay');
    const redis = await connect();
    const a = new Idempotency({ store: new RedisIdempotencyStore(redis, prefix), ttlMs: TTL_MS, leaseMs: 60_000 });
    const b = new Idempotency({
      store: new RedisIdempotencyStore(await connect(), prefix),
      ttlMs: TTL_MS,
      leaseMs: 60_000,
    });
    const run = await a.begin({ key: 'k1', owner, fingerprint: 'f1' });
    if (run.kind !== 'run') throw new Error(`expected a run, got ${run.kind}`);
    expect(await b.begin({ key: 'k1', owner, fingerprint: 'f1' })).toMatchObject({ kind: 'refused', status: 409 });
    await run.finish(answer);
    expect(await b.begin({ key: 'k1', owner, fingerprint: 'f1' })).toEqual({ kind: 'replay', response: answer });
    expect(await b.begin({ key: 'k1', owner, fingerprint: 'f2' })).toMatchObject({ kind: 'refused', status: 422 });

    const keys = await redis.keys(`${prefix}*`);
    expect(keys).toHaveLength(1);
    const [key] = atLeast(keys, 1, 'keys');
    expect(key).toMatch(new RegExp(`^${prefix}idem:[A-Za-z0-9_-]{43}$`));
    expect(key).not.toContain('alice');
    const ttl = await redis.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(TTL_MS);
  });

  it('deletes a released record', async () => {
    const prefix = uniqueRedisPrefix('idem-release');
    const redis = await connect();
    const store = new RedisIdempotencyStore(redis, prefix);
    await store.reserve('id-1', { state: 'running', fingerprint: 'f', startedAt: 1 }, TTL_MS);
    await store.delete('id-1');
    expect(await redis.exists(`${prefix}idem:id-1`)).toBe(0);
  });

  it('refuses every idempotent request while Redis does not answer', async () => {
    const store = new RedisIdempotencyStore(
      await connect(`redis://127.0.0.1:${await closedPort()}`),
      uniqueRedisPrefix('idem-down'),
    );
    const idempotency = new Idempotency({ store, ttlMs: TTL_MS, leaseMs: 60_000 });
    expect(await idempotency.begin({ key: 'k1', owner, fingerprint: 'f1' })).toMatchObject({
      kind: 'refused',
      status: 503,
      code: 'UPSTREAM_UNAVAILABLE',
    });
  });
});
