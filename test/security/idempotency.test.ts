import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { SqliteAuditStore } from '../../src/audit/sqlite-audit-store';
import { hashApiKey } from '../../src/auth/authenticate';
import { loadTenants } from '../../src/tenants/tenants-file';
import { loadConfig } from '../../src/config';
import { createGateway, type Gateway } from '../../src/gateway';
import { closeRedis, connectRedis, redisReady } from '../../src/limits/rate-limits-redis';
import { waitUntilUnlocked } from '../support/gateway-expect';
import { startGatewayHarness, totalCalls, type GatewayHarness, type RawResponse } from '../support/gateway-harness';
import { pollUntil } from '../support/hil-wait';
import { closedPort, describeWithRedis, TEST_REDIS_URL, uniqueRedisPrefix } from '../support/redis-scratch';
import { atLeast } from '../support/present';

/**
 * Idempotent mutations over real HTTP, against HealthImaging Local (which counts every call it
 * receives per access key): a copy retried with its `Idempotency-Key` is made once and answered
 * the same each time; a reused key with another body is 422; a repeat while the first runs is 409;
 * replays across two gateways sharing one Redis; an ambiguous failure is recorded, not retried;
 * Redis down refuses rather than risk a duplicate.
 */

const COPY = `mutation Copy($input: CopyImageSetInput!) {
  copyImageSet(input: $input) { destinationImageSet { imageSetId latestVersionId } destinationVersion { versionId } }
}`;
const VIEWER = '{ viewer { tenantId } }';
const AMBIGUOUS = /may or may not have been applied/;

function copyBody(datastoreId: string, sourceImageSetId: string): string {
  return JSON.stringify({
    query: COPY,
    operationName: 'Copy',
    variables: { input: { datastoreId, sourceImageSetId, sourceLatestVersionId: '1' } },
  });
}

function send(
  h: Pick<GatewayHarness, 'raw'>,
  body: string,
  headers: Record<string, string>,
  key?: string,
): Promise<RawResponse> {
  return h.raw({
    headers: {
      'content-type': 'application/json',
      ...headers,
      ...(key !== undefined ? { 'idempotency-key': key } : {}),
    },
    body,
  });
}

function newKey(): string {
  return `copy-${randomBytes(8).toString('hex')}`;
}

function errorCodeOf(response: RawResponse): unknown {
  return (JSON.parse(response.body) as { errors?: Array<{ extensions?: { code?: unknown } }> }).errors?.[0]?.extensions
    ?.code;
}

describe('idempotent mutations (in memory)', () => {
  let h: GatewayHarness;
  let acme: Record<string, string>;
  let ds: string;
  let auditDir: string;
  let audit: SqliteAuditStore;
  beforeAll(async () => {
    auditDir = mkdtempSync(join(tmpdir(), 'idempotency-audit-'));
    audit = new SqliteAuditStore(join(auditDir, 'audit.sqlite'));
    h = await startGatewayHarness({ audit });
    acme = h.as({ apiKey: h.apiKeys.acme });
    ds = h.datastores.acme;
  });
  afterAll(async () => {
    await h?.close();
    await audit?.close();
    if (auditDir) rmSync(auditDir, { recursive: true, force: true });
  });
  beforeEach(() => {
    h.hil.hil.admin.faults.clear();
    h.resetUpstreamCalls();
  });

  it('makes one copy for the same copyImageSet sent three times with one key, and answers the same three times', async () => {
    const key = newKey();
    const body = copyBody(ds, h.imageSets.acme[0]);
    const first = await send(h, body, acme, key);
    const second = await send(h, body, acme, key);
    const third = await send(h, body, acme, key);

    expect(first.status).toBe(200);
    const created = (
      JSON.parse(first.body) as { data: { copyImageSet: { destinationImageSet: { imageSetId: string } } } }
    ).data.copyImageSet;
    expect(created.destinationImageSet.imageSetId).toMatch(/^[0-9a-f]{32}$/);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    for (const repeat of [second, third]) {
      expect(repeat.status).toBe(200);
      expect(repeat.body).toBe(first.body);
      expect(repeat.headers['idempotent-replayed']).toBe('true');
      expect(repeat.headers['content-type']).toBe(first.headers['content-type']);
      // Each answer carries its own request's id.
      expect(repeat.headers['x-request-id']).not.toBe(first.headers['x-request-id']);
    }
    expect(h.upstreamCalls('acme').CopyImageSet).toBe(1);
    expect(h.logs.filter((line) => line.event === 'graphql.idempotent_replay')).toHaveLength(2);
    await waitUntilUnlocked(h, acme, ds, h.imageSets.acme[0]);
  });

  it('copies again without a key: the header is what makes a repeat safe', async () => {
    const body = copyBody(ds, h.imageSets.acme[0]);
    expect((await send(h, body, acme)).status).toBe(200);
    await waitUntilUnlocked(h, acme, ds, h.imageSets.acme[0]);
    expect((await send(h, body, acme)).status).toBe(200);
    expect(h.upstreamCalls('acme').CopyImageSet).toBe(2);
    await waitUntilUnlocked(h, acme, ds, h.imageSets.acme[0]);
  });

  it('refuses the same key with another body (422) and sends nothing upstream', async () => {
    const key = newKey();
    expect((await send(h, copyBody(ds, h.imageSets.acme[1]), acme, key)).status).toBe(200);
    const reused = await send(h, copyBody(ds, h.imageSets.acme[0]), acme, key);
    expect(reused.status).toBe(422);
    expect(errorCodeOf(reused)).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(reused.headers['idempotent-replayed']).toBeUndefined();
    expect(h.upstreamCalls('acme').CopyImageSet).toBe(1);
    // A refused write is still an attempted write: the trail records it.
    const [record] = (await audit.list('acme', { first: 1 })).records;
    expect(record).toMatchObject({
      requestId: reused.headers['x-request-id'],
      action: 'copyImageSet',
      outcome: 'IDEMPOTENCY_KEY_REUSED',
    });
    await waitUntilUnlocked(h, acme, ds, h.imageSets.acme[1]);
  });

  it('answers 409 to a repeat while the first is still running, then replays the first once it has answered', async () => {
    const key = newKey();
    const body = copyBody(ds, h.imageSets.acme[0]);
    h.hil.hil.admin.faults.set({ operation: 'CopyImageSet', mode: 'latency', latencyMs: 1500, count: 1 });
    const first = send(h, body, acme, key);
    // HealthImaging Local counts the call on arrival, then holds it.
    await pollUntil('the copy to reach HealthImaging Local', () =>
      Promise.resolve(h.upstreamCalls('acme').CopyImageSet ? true : undefined),
    );

    const during = await send(h, body, acme, key);
    expect(during.status).toBe(409);
    expect(errorCodeOf(during)).toBe('IDEMPOTENCY_KEY_IN_USE');
    expect(during.headers['retry-after']).toBe('1');

    const answered = await first;
    expect(answered.status).toBe(200);
    const after = await send(h, body, acme, key);
    expect(after.body).toBe(answered.body);
    expect(after.headers['idempotent-replayed']).toBe('true');
    expect(h.upstreamCalls('acme').CopyImageSet).toBe(1);
    await waitUntilUnlocked(h, acme, ds, h.imageSets.acme[0]);
  });

  it('records the reconciled outcome of an ambiguous failure: a retry with the key makes no second copy', async () => {
    const key = newKey();
    // A source no other test copied: reconciliation must find no copy of it.
    const [source] = await h.importStudy('acme', 'ambiguous');
    const body = copyBody(ds, source);
    h.resetUpstreamCalls();
    h.hil.hil.admin.faults.set({ operation: 'CopyImageSet', mode: 'error', count: 1 });
    const first = await send(h, body, acme, key);
    expect(errorCodeOf(first)).toBe('UPSTREAM_UNAVAILABLE');
    const [firstError] = atLeast(
      (JSON.parse(first.body) as { errors: Array<{ message: string }> }).errors,
      1,
      'errors',
    );
    expect(firstError.message).toMatch(AMBIGUOUS);
    // The gateway read what HealthImaging holds before it answered.
    expect(totalCalls(h.upstreamCalls('acme'))).toBeGreaterThan(1);

    // The fault is spent: without the record, this retry would copy.
    const retry = await send(h, body, acme, key);
    expect(retry.status).toBe(first.status);
    expect(retry.body).toBe(first.body);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(h.upstreamCalls('acme').CopyImageSet).toBe(1);
  });

  it('keeps keys apart per credential: the same key from another credential is its own request', async () => {
    const key = newKey();
    const body = copyBody(ds, h.imageSets.acme[0]);
    expect((await send(h, body, acme, key)).status).toBe(200);
    await waitUntilUnlocked(h, acme, ds, h.imageSets.acme[0]);
    const other = await send(h, body, h.as({ token: h.tokens.acme }), key);
    expect(other.status).toBe(200);
    expect(other.headers['idempotent-replayed']).toBeUndefined();
    expect(h.upstreamCalls('acme').CopyImageSet).toBe(2);
    await waitUntilUnlocked(h, acme, ds, h.imageSets.acme[0]);
  });

  it('releases the key when the document never ran (a validation error), so it can be sent corrected', async () => {
    const key = newKey();
    const broken = JSON.stringify({ query: 'mutation { copyImageSet(input: {}) { noSuchField } }' });
    const refused = await send(h, broken, acme, key);
    expect(refused.status).toBe(400);
    const corrected = await send(h, copyBody(ds, h.imageSets.acme[1]), acme, key);
    expect(corrected.status).toBe(200);
    expect(corrected.headers['idempotent-replayed']).toBeUndefined();
    expect(h.upstreamCalls('acme').CopyImageSet).toBe(1);
    await waitUntilUnlocked(h, acme, ds, h.imageSets.acme[1]);
  });

  it('refuses a malformed key (400) and ignores the header on queries', async () => {
    const malformed = await send(h, copyBody(ds, h.imageSets.acme[0]), acme, 'k'.repeat(256));
    expect(malformed.status).toBe(400);
    expect(errorCodeOf(malformed)).toBe('BAD_REQUEST');
    expect(h.upstreamCalls('acme').CopyImageSet).toBeUndefined();

    const key = newKey();
    const query = JSON.stringify({ query: VIEWER });
    for (let i = 0; i < 2; i += 1) {
      const response = await send(h, query, acme, key);
      expect(response.status).toBe(200);
      expect(response.headers['idempotent-replayed']).toBeUndefined();
    }
  });
});

describeWithRedis('idempotent mutations shared through Redis', () => {
  const keyPrefix = uniqueRedisPrefix('idempotency');
  let a: GatewayHarness;
  let configDir: string;
  let redisB: Redis;
  let gatewayB: Gateway;
  let serverB: Server;
  let b: Pick<GatewayHarness, 'raw'>;
  const replicaBKey = { accessKeyId: 'AKIAACMEREPLICAB0001', secretAccessKey: randomBytes(32).toString('base64url') };

  beforeAll(async () => {
    a = await startGatewayHarness({ env: { REDIS_URL: TEST_REDIS_URL, REDIS_KEY_PREFIX: keyPrefix } });
    // A second replica of the same deployment over the same HealthImaging Local: the same tenant
    // and API key, its own upstream access key (so its calls are counted apart).
    a.hil.hil.admin.accessKeys.add({ ...replicaBKey, datastores: [a.datastores.acme] });
    configDir = mkdtempSync(join(tmpdir(), 'idempotency-replica-'));
    const tenantsFile = join(configDir, 'tenants.json');
    writeFileSync(
      tenantsFile,
      JSON.stringify({
        tenants: [
          {
            id: 'acme',
            name: 'Acme Radiology',
            datastoreIds: [a.datastores.acme],
            upstream: {
              region: 'us-east-1',
              endpoint: a.hil.url,
              credentials: { type: 'static', accessKeyIdEnv: 'B_KEY_ID', secretAccessKeyEnv: 'B_SECRET' },
              maxReadAttempts: 1,
            },
            apiKeys: [
              { id: 'acme-ci', sha256: hashApiKey(a.apiKeys.acme), scopes: ['imagesets:read', 'imagesets:write'] },
            ],
          },
        ],
      }),
    );
    const config = loadConfig({
      GATEWAY_ENV: 'test',
      CURSOR_SECRET: randomBytes(32).toString('base64url'),
      TENANTS_FILE: tenantsFile,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: keyPrefix,
    });
    redisB = connectRedis(TEST_REDIS_URL);
    await redisReady(redisB, 2000);
    gatewayB = await createGateway(config, {
      registry: loadTenants(tenantsFile, { B_KEY_ID: replicaBKey.accessKeyId, B_SECRET: replicaBKey.secretAccessKey }),
      redis: redisB,
    });
    await gatewayB.start();
    serverB = createServer(gatewayB.handler);
    await new Promise<void>((resolve) => serverB.listen(0, '127.0.0.1', resolve));
    const { port } = serverB.address() as AddressInfo;
    b = {
      raw: async ({ headers = {}, body }) => {
        const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
          method: 'POST',
          headers,
          ...(body !== undefined ? { body } : {}),
        });
        return { status: response.status, headers: Object.fromEntries(response.headers), body: await response.text() };
      },
    };
  });
  afterAll(async () => {
    // The records live 24 h; this run's are removed with it.
    const keys = redisB ? await redisB.keys(`${keyPrefix}idem:*`) : [];
    if (keys.length > 0) await redisB.del(...keys);
    serverB?.closeAllConnections();
    await new Promise((resolve) => (serverB ? serverB.close(resolve) : resolve(undefined)));
    await gatewayB?.stop();
    if (redisB) await closeRedis(redisB);
    await a?.close();
    if (configDir) rmSync(configDir, { recursive: true, force: true });
  });

  it('replays on the other replica what the first answered, sending nothing upstream from it', async () => {
    const acme = a.as({ apiKey: a.apiKeys.acme });
    const key = newKey();
    const body = copyBody(a.datastores.acme, a.imageSets.acme[0]);
    const first = await send(a, body, acme, key);
    expect(first.status).toBe(200);
    expect(JSON.parse(first.body)).toMatchObject({
      data: { copyImageSet: { destinationVersion: { versionId: '1' } } },
    });

    const onB = await send(b, body, acme, key);
    expect(onB.status).toBe(200);
    expect(onB.body).toBe(first.body);
    expect(onB.headers['idempotent-replayed']).toBe('true');
    const reused = await send(b, copyBody(a.datastores.acme, a.imageSets.acme[1]), acme, key);
    expect(reused.status).toBe(422);

    const calls = a.hil.hil.admin.stats().accessKeys;
    expect(calls[a.hilAccessKeys.acme]?.CopyImageSet).toBe(1);
    expect(calls[replicaBKey.accessKeyId]?.CopyImageSet).toBeUndefined();
    // The record's key names neither the client's key nor the credential.
    const stored = await redisB.keys(`${keyPrefix}idem:*`);
    expect(stored).toHaveLength(1);
    const [storedKey] = atLeast(stored, 1, 'stored keys');
    expect(storedKey).not.toContain(key);
    expect(await redisB.get(storedKey)).not.toContain(key);
  });
});

describe('idempotent mutations when Redis is down', () => {
  let h: GatewayHarness;
  beforeAll(async () => {
    h = await startGatewayHarness({ env: { REDIS_URL: `redis://127.0.0.1:${await closedPort()}` } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('refuses a mutation with a key (503 UPSTREAM_UNAVAILABLE) without running it; other requests still answer', async () => {
    const acme = h.as({ apiKey: h.apiKeys.acme });
    const body = copyBody(h.datastores.acme, h.imageSets.acme[0]);
    const refused = await send(h, body, acme, newKey());
    expect(refused.status).toBe(503);
    expect(errorCodeOf(refused)).toBe('UPSTREAM_UNAVAILABLE');
    expect(refused.headers['retry-after']).toBe('1');
    expect(h.upstreamCalls('acme').CopyImageSet).toBeUndefined();
    expect(h.logs.filter((line) => line.event === 'idempotency.store_unavailable')).toHaveLength(1);

    expect((await send(h, JSON.stringify({ query: VIEWER }), acme, newKey())).status).toBe(200);
    const unprotected = await send(h, body, acme);
    expect(unprotected.status).toBe(200);
    expect(JSON.parse(unprotected.body)).toMatchObject({
      data: { copyImageSet: { destinationVersion: { versionId: '1' } } },
    });
    expect(h.upstreamCalls('acme').CopyImageSet).toBe(1);
  });
});
