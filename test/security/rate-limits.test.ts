import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashApiKey } from '../../src/auth/authenticate';
import { startGatewayServer, type RunningGateway } from '../../src/main';
import { firstError } from '../support/gateway-expect';
import { startGatewayHarness, type GatewayHarness, type GqlResponse } from '../support/gateway-harness';
import { closedPort, describeWithRedis, TEST_REDIS_URL, uniqueRedisPrefix } from '../support/redis-scratch';
import { present } from '../support/present';

/**
 * Request rate limits over real HTTP: a credential over its burst is answered 429 with
 * `Retry-After` and one THROTTLED error while other credentials and tenants still answer; the
 * per-tenant in-flight cap; buckets shared by two gateways over one Redis; a Redis that is down.
 *
 * Bursts are sent at once, so they land within one second of the bucket's window. Each second the
 * run spans could admit `perSecond` (1 here) more, which is why admitted counts have a small slack.
 */

const VIEWER = '{ viewer { tenantId } }';
const IMAGE_SET = 'query ($ds: String!, $id: String!) { imageSet(datastoreId: $ds, imageSetId: $id) { state } }';

function burstOf(h: GatewayHarness, count: number, headers: Record<string, string>): Promise<GqlResponse[]> {
  return Promise.all(Array.from({ length: count }, () => h.gql(VIEWER, undefined, headers)));
}

/** Every refusal is exactly what a client is promised: 429, Retry-After, one THROTTLED error. */
function expectThrottled(response: GqlResponse): void {
  expect(response.status).toBe(429);
  expect(response.data).toBeUndefined();
  expect(response.errors).toHaveLength(1);
  const error = firstError(response);
  expect(error.extensions).toMatchObject({ code: 'THROTTLED', retryAfterSeconds: expect.any(Number) });
  expect(error.extensions!.retryAfterSeconds).toBeGreaterThanOrEqual(1);
  expect(response.headers['retry-after']).toBe(String(error.extensions!.retryAfterSeconds));
}

function split(responses: GqlResponse[]): { ok: GqlResponse[]; throttled: GqlResponse[] } {
  const ok = responses.filter((response) => response.status === 200 && !response.errors);
  const throttled = responses.filter((response) => response.status === 429);
  expect(ok.length + throttled.length).toBe(responses.length);
  throttled.forEach(expectThrottled);
  return { ok, throttled };
}

describe('rate limits (in memory)', () => {
  let h: GatewayHarness;
  beforeAll(async () => {
    h = await startGatewayHarness({
      env: {
        RATE_LIMIT_CREDENTIAL_PER_SECOND: '1',
        RATE_LIMIT_CREDENTIAL_BURST: '5',
        RATE_LIMIT_TENANT_MAX_IN_FLIGHT: '2',
      },
    });
  });
  afterAll(async () => {
    await h.close();
  });

  it('answers a credential over its burst 429 with Retry-After, while another credential and the other tenant answer', async () => {
    const { ok, throttled } = split(await burstOf(h, 10, h.as({ apiKey: h.apiKeys.acme })));
    expect(ok.length).toBeGreaterThanOrEqual(5);
    expect(ok.length).toBeLessThanOrEqual(6);
    expect(firstError(present(throttled[0], 'a throttled response')).message).toMatch(
      /^This credential is sending requests faster than its rate limit; retry after \d+ s\.$/,
    );

    const otherCredential = await h.gql(VIEWER, undefined, h.as({ token: h.tokens.acme }));
    expect(otherCredential).toMatchObject({ status: 200, data: { viewer: { tenantId: 'acme' } } });
    const otherTenant = await h.gql(VIEWER, undefined, h.as({ apiKey: h.apiKeys.globex }));
    expect(otherTenant).toMatchObject({ status: 200, data: { viewer: { tenantId: 'globex' } } });
    expect(h.logs.filter((line) => line.event === 'graphql.throttled').map((line) => line.reason)).toContain(
      'credential_rate',
    );
  });

  it("caps a tenant's requests in flight: a third is refused while two are held; the other tenant answers", async () => {
    h.resetUpstreamCalls();
    h.hil.hil.admin.faults.set({ operation: 'GetImageSet', mode: 'latency', latencyMs: 1500, count: 2 });
    const reader = h.as({ token: h.tokens.acmeReadOnly });
    const held = [0, 1].map(() => h.gql(IMAGE_SET, { ds: h.datastores.acme, id: h.imageSets.acme[0] }, reader));
    // Both are in flight once HealthImaging Local holds both calls.
    while ((h.upstreamCalls('acme').GetImageSet ?? 0) < 2) await new Promise((resolve) => setTimeout(resolve, 10));

    const refused = await h.gql(VIEWER, undefined, h.as({ token: h.tokens.acme }));
    expectThrottled(refused);
    expect(firstError(refused).message).toMatch(/^This tenant has too many requests in progress/);
    expect(await h.gql(VIEWER, undefined, h.as({ apiKey: h.apiKeys.globex }))).toMatchObject({ status: 200 });

    for (const response of await Promise.all(held))
      expect(response).toMatchObject({ status: 200, data: { imageSet: { state: 'ACTIVE' } } });
    // Answered requests gave their slots back.
    expect(await h.gql(VIEWER, undefined, h.as({ token: h.tokens.acme }))).toMatchObject({ status: 200 });
    h.hil.hil.admin.faults.clear();
  });
});

describeWithRedis('rate limits shared through Redis', () => {
  const burst = 6;
  let a: GatewayHarness;
  let b: GatewayHarness;
  beforeAll(async () => {
    // Two gateways, one Redis and one key prefix: two replicas of one deployment. Their tenants
    // files name the same tenant and API key id, so the same credential reaches both.
    const env = {
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: uniqueRedisPrefix('replicas'),
      RATE_LIMIT_CREDENTIAL_PER_SECOND: '1',
      RATE_LIMIT_CREDENTIAL_BURST: String(burst),
    };
    [a, b] = await Promise.all([startGatewayHarness({ env }), startGatewayHarness({ env })]);
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
  });

  it('holds a credential to one burst across both replicas, not one each', async () => {
    const [fromA, fromB] = await Promise.all([
      burstOf(a, burst, a.as({ apiKey: a.apiKeys.acme })),
      burstOf(b, burst, b.as({ apiKey: b.apiKeys.acme })),
    ]);
    const { ok } = split([...fromA, ...fromB]);
    expect(ok.length).toBeGreaterThanOrEqual(burst);
    expect(ok.length).toBeLessThanOrEqual(burst + 1);
    expect([...a.logs, ...b.logs].filter((line) => line.event === 'rate_limits.redis_unavailable')).toEqual([]);
  });
});

describeWithRedis('rate limits of the entry point (startGatewayServer) over Redis', () => {
  const apiKey = `partner-${randomBytes(16).toString('hex')}`;
  let configDir: string;
  let servers: RunningGateway[] = [];
  beforeAll(() => {
    configDir = mkdtempSync(join(tmpdir(), 'rate-limits-main-'));
    // The tenant's own override (2 at once, 1/s) rather than the deployment's defaults. `viewer`
    // calls nothing upstream, so no HealthImaging is needed.
    writeFileSync(
      join(configDir, 'tenants.json'),
      JSON.stringify({
        tenants: [
          {
            id: 'acme',
            name: 'Acme Radiology',
            datastoreIds: ['0'.repeat(32)],
            upstream: { region: 'us-east-1', credentials: { type: 'default' } },
            apiKeys: [{ id: 'acme-partner', sha256: hashApiKey(apiKey), scopes: ['imagesets:read'] }],
            rateLimits: { credential: { perSecond: 1, burst: 2 } },
          },
        ],
      }),
    );
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
  });
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.close()));
    rmSync(configDir, { recursive: true, force: true });
    jest.restoreAllMocks();
  });

  it('connects to REDIS_URL, applies the tenants-file override across replicas, and closes the connection', async () => {
    const env = {
      GATEWAY_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      CURSOR_SECRET: randomBytes(32).toString('base64url'),
      TENANTS_FILE: join(configDir, 'tenants.json'),
      AUDIT_SQLITE_FILE: join(configDir, 'audit.sqlite'),
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: uniqueRedisPrefix('main'),
    };
    servers = await Promise.all([startGatewayServer(env), startGatewayServer(env)]);
    const ask = (url: string) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
        body: JSON.stringify({ query: VIEWER }),
      });
    const responses = await Promise.all(servers.flatMap((server) => [ask(server.url), ask(server.url)]));
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 200).length).toBeGreaterThanOrEqual(2);
    expect(statuses.filter((status) => status === 200).length).toBeLessThanOrEqual(3);
    expect(statuses.filter((status) => status !== 200).every((status) => status === 429)).toBe(true);
    expect(
      responses
        .filter((response) => response.status === 429)
        .every((response) => Number(response.headers.get('retry-after')) >= 1),
    ).toBe(true);
    // Closing releases the Redis connection too: Jest would otherwise report it as an open handle.
    await Promise.all(servers.map((server) => server.close()));
    servers = [];
  });
});

describe('rate limits when Redis is down', () => {
  let h: GatewayHarness;
  beforeAll(async () => {
    h = await startGatewayHarness({
      env: {
        REDIS_URL: `redis://127.0.0.1:${await closedPort()}`,
        RATE_LIMIT_CREDENTIAL_PER_SECOND: '1',
        RATE_LIMIT_CREDENTIAL_BURST: '3',
      },
    });
  });
  afterAll(async () => {
    await h.close();
  });

  it('keeps limiting with local buckets, answers the rest, and warns once', async () => {
    const { ok, throttled } = split(await burstOf(h, 6, h.as({ apiKey: h.apiKeys.acme })));
    expect(ok.length).toBeGreaterThanOrEqual(3);
    expect(ok.length).toBeLessThanOrEqual(4);
    expect(throttled.length).toBeGreaterThan(0);
    expect(await h.gql(VIEWER, undefined, h.as({ apiKey: h.apiKeys.globex }))).toMatchObject({ status: 200 });
    const warnings = h.logs.filter((line) => line.event === 'rate_limits.redis_unavailable');
    expect(warnings).toHaveLength(1);
    expect(present(warnings[0], 'a warning').level).toBe('warn');
  });
});
