import type { Redis } from 'ioredis';
import { RateLimits } from '../../../src/limits/rate-limits';
import { closeRedis, connectRedis, redisReady } from '../../../src/limits/rate-limits-redis';
import { closedPort, describeWithRedis, TEST_REDIS_URL, uniqueRedisPrefix } from '../../support/redis-scratch';
import { capturingLogger, principal, settings, tenant } from './rate-limits-fixtures';

/** The limits over the machine's real Redis: shared between instances, and what a Redis outage does. */

const acme = tenant('acme');
const ci = principal('acme', 'ci');

describeWithRedis('RateLimits over Redis', () => {
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

  it("shares one credential's bucket between two replicas (two connections, one Redis)", async () => {
    const keyPrefix = uniqueRedisPrefix('shared');
    const defaults = settings([1, 4], [1000, 1000]);
    const a = new RateLimits({ defaults, redis: await connect(), keyPrefix });
    const b = new RateLimits({ defaults, redis: await connect(), keyPrefix });
    expect(await a.consume(ci, acme)).toEqual({ ok: true });
    expect(await b.consume(ci, acme)).toEqual({ ok: true });
    expect(await a.consume(ci, acme)).toEqual({ ok: true });
    expect(await b.consume(ci, acme)).toEqual({ ok: true });
    expect(await a.consume(ci, acme)).toMatchObject({ ok: false, reason: 'credential_rate' });
    expect(await b.consume(ci, acme)).toMatchObject({ ok: false, reason: 'credential_rate' });
    // Another prefix is another deployment (or test run): its buckets are its own.
    const other = new RateLimits({ defaults, redis: await connect(), keyPrefix: uniqueRedisPrefix('other') });
    expect(await other.consume(ci, acme)).toEqual({ ok: true });
  });

  it('keeps local limits when Redis does not answer, warning once, never failing a request', async () => {
    const { logger, lines } = capturingLogger();
    const limits = new RateLimits({
      defaults: settings([1, 3], [1000, 1000]),
      redis: await connect(`redis://127.0.0.1:${await closedPort()}`),
      keyPrefix: uniqueRedisPrefix('down'),
      logger,
    });
    const verdicts = [];
    for (let i = 0; i < 5; i++) verdicts.push(await limits.consume(ci, acme));
    expect(verdicts.map((verdict) => verdict.ok)).toEqual([true, true, true, false, false]);
    const warnings = lines.filter((line) => line.event === 'rate_limits.redis_unavailable');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ level: 'warn', errorName: 'Error' });
  });

  it('falls back when the connection drops, and shares again (saying so) once Redis is back', async () => {
    const { logger, lines } = capturingLogger();
    const keyPrefix = uniqueRedisPrefix('drop');
    const defaults = settings([1, 2], [1000, 1000]);
    const client = await connect();
    const limits = new RateLimits({ defaults, redis: client, keyPrefix, logger });
    const peer = new RateLimits({ defaults, redis: await connect(), keyPrefix });

    const ended = new Promise((resolve) => client.once('end', resolve));
    client.disconnect();
    await ended;
    expect(await limits.consume(ci, acme)).toEqual({ ok: true });
    expect(lines.map((line) => line.event)).toEqual(['rate_limits.redis_unavailable']);

    await client.connect();
    await redisReady(client, 2000);
    // The peer spent the shared bucket; back on Redis, this replica sees that.
    expect(await peer.consume(ci, acme)).toEqual({ ok: true });
    expect(await peer.consume(ci, acme)).toEqual({ ok: true });
    expect(await limits.consume(ci, acme)).toMatchObject({ ok: false, reason: 'credential_rate' });
    expect(lines.map((line) => line.event)).toEqual(['rate_limits.redis_unavailable', 'rate_limits.redis_restored']);
  });
});
