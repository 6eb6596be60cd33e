import { parseTenants } from '../../../src/tenants/tenants-file';
import { ConfigError, describeConfig, loadConfig } from '../../../src/config';
import { redactFields } from '../../../src/logging/logger';
import { DEFAULT_RATE_LIMITS } from '../../../src/limits/rate-limits-settings';

/** The limits' configuration: RATE_LIMIT_* and REDIS_* in the environment, `rateLimits` in the tenants file. */

const base = { GATEWAY_ENV: 'development' };

function issuesOf(load: () => unknown): readonly string[] {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('rate limit configuration', () => {
  it('defaults to 50/s with a burst of 100 per credential, 200/400 per tenant, 100 in flight, in memory', () => {
    const config = loadConfig(base);
    expect(config.rateLimits).toEqual(DEFAULT_RATE_LIMITS);
    expect(DEFAULT_RATE_LIMITS).toEqual({
      credential: { perSecond: 50, burst: 100 },
      tenant: { perSecond: 200, burst: 400 },
      maxInFlight: 100,
    });
    expect(config.redisUrl).toBeUndefined();
    expect(config.redisKeyPrefix).toBe('imaging-gateway:');
  });

  it('reads every variable, a burst left out following its rate', () => {
    const config = loadConfig({
      ...base,
      RATE_LIMIT_CREDENTIAL_PER_SECOND: '500',
      RATE_LIMIT_TENANT_PER_SECOND: '30',
      RATE_LIMIT_TENANT_BURST: '45',
      RATE_LIMIT_TENANT_MAX_IN_FLIGHT: '8',
      REDIS_URL: 'redis://:s3cret@cache.internal:6380/2',
      REDIS_KEY_PREFIX: 'gw-prod:',
    });
    expect(config.rateLimits).toEqual({
      credential: { perSecond: 500, burst: 1000 },
      tenant: { perSecond: 30, burst: 45 },
      maxInFlight: 8,
    });
    expect(config.redisUrl).toBe('redis://:s3cret@cache.internal:6380/2');
    expect(config.redisKeyPrefix).toBe('gw-prod:');
    const logged = redactFields(describeConfig(config));
    expect(JSON.stringify(logged)).not.toContain('s3cret');
    expect(JSON.parse(logged.rateLimits as string)).toEqual({ ...config.rateLimits, sharedState: 'redis' });
    expect(logged.redisKeyPrefix).toBe('gw-prod:');
  });

  it('refuses bad values with one line each, never echoing the Redis URL', () => {
    const issues = issuesOf(() =>
      loadConfig({
        ...base,
        RATE_LIMIT_CREDENTIAL_PER_SECOND: '0',
        RATE_LIMIT_TENANT_PER_SECOND: '100',
        RATE_LIMIT_TENANT_BURST: '50',
        RATE_LIMIT_TENANT_MAX_IN_FLIGHT: 'many',
        REDIS_URL: 'http://user:hunter2@cache:6379',
        REDIS_KEY_PREFIX: 'has space',
      }),
    );
    expect(issues).toEqual([
      'RATE_LIMIT_CREDENTIAL_PER_SECOND must be an integer from 1 to 100000 (got "0")',
      'RATE_LIMIT_TENANT_BURST must be at least RATE_LIMIT_TENANT_PER_SECOND (got 50 < 100)',
      'RATE_LIMIT_TENANT_MAX_IN_FLIGHT must be an integer from 1 to 100000 (got "many")',
      'REDIS_URL must be a redis:// or rediss:// URL with a host',
      'REDIS_KEY_PREFIX must be 1-64 letters, digits or :_.- (got "has space")',
    ]);
  });
});

describe('tenants-file rateLimits', () => {
  const tenantWith = (rateLimits: unknown) => ({
    tenants: [
      {
        id: 'acme',
        name: 'Acme',
        datastoreIds: ['a'.repeat(32)],
        upstream: { region: 'us-east-1', credentials: { type: 'default' } },
        apiKeys: [{ id: 'ci', sha256: 'b'.repeat(64), scopes: ['imagesets:read'] }],
        rateLimits,
      },
    ],
  });

  it('keeps the parts a tenant sets', () => {
    const registry = parseTenants(tenantWith({ credential: { perSecond: 5, burst: 10 }, maxInFlight: 4 }), {});
    expect(registry.byId('acme')?.rateLimits).toEqual({ credential: { perSecond: 5, burst: 10 }, maxInFlight: 4 });
  });

  it('names each invalid field', () => {
    const issues = issuesOf(() =>
      parseTenants(
        tenantWith({ credential: { perSecond: 5 }, tenant: { perSecond: 10, burst: 5 }, maxInFlight: 0, perMinute: 3 }),
        {},
      ),
    );
    expect(issues).toEqual([
      'tenants[0].rateLimits.perMinute: unknown field (allowed: credential, tenant, maxInFlight)',
      'tenants[0].rateLimits.credential.burst: is required',
      'tenants[0].rateLimits.tenant.burst: must be at least perSecond (10)',
      'tenants[0].rateLimits.maxInFlight: must be an integer from 1 to 100000 (got 0)',
    ]);
  });
});
