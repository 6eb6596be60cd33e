import { RateLimits, type RateVerdict } from '../../../src/limits/rate-limits';
import { throttledErrorOf } from '../../../src/limits/rate-limits-error';
import { principal, settings, tenant } from './rate-limits-fixtures';
import { present } from '../../support/present';

/** In-memory limits (no REDIS_URL): the buckets and the in-flight cap, called directly. */

async function consumeTimes(
  limits: RateLimits,
  times: number,
  ...args: Parameters<RateLimits['consume']>
): Promise<RateVerdict[]> {
  const verdicts: RateVerdict[] = [];
  for (let i = 0; i < times; i++) verdicts.push(await limits.consume(...args));
  return verdicts;
}

describe('RateLimits in memory', () => {
  const acme = tenant('acme');
  const globex = tenant('globex');

  it('admits a credential its burst, then throttles it alone, with the wait in whole seconds', async () => {
    const limits = new RateLimits({ defaults: settings([2, 5], [1000, 1000]) });
    const verdicts = await consumeTimes(limits, 6, principal('acme', 'ci'), acme);
    expect(verdicts.slice(0, 5).every((verdict) => verdict.ok)).toBe(true);
    const refused = present(verdicts[5], 'the sixth verdict');
    expect(refused).toEqual({
      ok: false,
      scope: 'credential',
      reason: 'credential_rate',
      retryAfterSeconds: expect.any(Number),
    });
    if (refused.ok) throw new Error('unreachable');
    expect(Number.isInteger(refused.retryAfterSeconds) && refused.retryAfterSeconds >= 1).toBe(true);

    expect(await limits.consume(principal('acme', 'viewer'), acme)).toEqual({ ok: true });
    expect(await limits.consume(principal('globex', 'ci'), globex)).toEqual({ ok: true });
    // The same name through the other authentication method is another credential.
    expect(await limits.consume(principal('acme', 'ci', 'jwt'), acme)).toEqual({ ok: true });
  });

  it('throttles a tenant whose credentials together exceed the tenant bucket, not the other tenant', async () => {
    const limits = new RateLimits({ defaults: settings([100, 100], [3, 3]) });
    for (const subject of ['a', 'b', 'c'])
      expect(await limits.consume(principal('acme', subject), acme)).toEqual({ ok: true });
    expect(await limits.consume(principal('acme', 'd'), acme)).toMatchObject({
      ok: false,
      scope: 'tenant',
      reason: 'tenant_rate',
    });
    expect(await limits.consume(principal('globex', 'a'), globex)).toEqual({ ok: true });
  });

  it('applies a tenant override only to that tenant, other parts keeping the defaults', async () => {
    const strict = tenant('strict', { credential: { perSecond: 1, burst: 1 } });
    const limits = new RateLimits({ defaults: settings([10, 20], [100, 200], 7) });
    expect(limits.settingsFor(strict)).toEqual({
      credential: { perSecond: 1, burst: 1 },
      tenant: { perSecond: 100, burst: 200 },
      maxInFlight: 7,
    });
    expect(await limits.consume(principal('strict', 'ci'), strict)).toEqual({ ok: true });
    expect(await limits.consume(principal('strict', 'ci'), strict)).toMatchObject({
      ok: false,
      reason: 'credential_rate',
    });
    const verdicts = await consumeTimes(limits, 20, principal('acme', 'ci'), acme);
    expect(verdicts.every((verdict) => verdict.ok)).toBe(true);
  });

  it("caps a tenant's requests in flight; a released slot (once, however often released) admits the next", () => {
    const limits = new RateLimits({ defaults: settings([100, 100], [100, 100], 2) });
    const first = limits.acquire(acme);
    const second = limits.acquire(acme);
    expect(first.ok && second.ok).toBe(true);
    expect(limits.acquire(acme)).toEqual({
      ok: false,
      scope: 'tenant',
      reason: 'tenant_in_flight',
      retryAfterSeconds: 1,
    });
    expect(limits.acquire(globex).ok).toBe(true);

    if (!first.ok) throw new Error('unreachable');
    first.release();
    first.release();
    expect(limits.inFlight('acme')).toBe(1);
    const third = limits.acquire(acme);
    expect(third.ok).toBe(true);
    expect(limits.acquire(acme).ok).toBe(false);
  });

  it('admit gives the slot back when the rate refuses', async () => {
    const limits = new RateLimits({ defaults: settings([1, 1], [100, 100], 5) });
    const admitted = await limits.admit(principal('acme', 'ci'), acme);
    expect(admitted.ok).toBe(true);
    expect(limits.inFlight('acme')).toBe(1);
    expect(await limits.admit(principal('acme', 'ci'), acme)).toMatchObject({ ok: false, reason: 'credential_rate' });
    expect(limits.inFlight('acme')).toBe(1);
    if (admitted.ok) admitted.release();
    expect(limits.inFlight('acme')).toBe(0);
  });

  it('answers THROTTLED with retryAfterSeconds and a message naming the limit, nothing of the caller', () => {
    const error = throttledErrorOf({ ok: false, scope: 'credential', reason: 'credential_rate', retryAfterSeconds: 2 });
    expect(error.extensions).toEqual({ code: 'THROTTLED', retryAfterSeconds: 2 });
    expect(error.message).toBe('This credential is sending requests faster than its rate limit; retry after 2 s.');
    expect(
      throttledErrorOf({ ok: false, scope: 'tenant', reason: 'tenant_in_flight', retryAfterSeconds: 1 }).message,
    ).toMatch(/too many requests in progress/);
  });
});
