import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { smallCtStudy } from '../../scripts/synthetic-studies';
import { SqliteAuditStore } from '../../src/audit/sqlite-audit-store';
import { SCOPES } from '../../src/auth/principal';
import { hashApiKey } from '../../src/auth/authenticate';
import { startGatewayServer, type RunningGateway } from '../../src/main';
import { startGatewayHarness, type GatewayHarness } from '../support/gateway-harness';
import { startTestHil, type TestHil } from '../support/hil-client';
import { createActiveDatastore, importSyntheticStudy } from '../support/hil-wait';
import { parsePrometheusText, sampleValue, type Sample } from '../support/prometheus-text';
import { closedPort, describeWithRedis, TEST_REDIS_URL, uniqueRedisPrefix } from '../support/redis-scratch';
import { atLeast } from '../support/present';

/** Health, readiness and metrics: what an orchestrator and a Prometheus server see of a replica. */

describe('GET /readyz with the audit store', () => {
  let h: GatewayHarness;
  let audit: SqliteAuditStore;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gateway-readyz-'));
    audit = new SqliteAuditStore(join(dir, 'audit.sqlite'));
    h = await startGatewayHarness({ audit });
  });
  afterAll(async () => {
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is ready while the tenants are loaded and the audit store answers; not ready once the store is gone', async () => {
    const ready = await h.raw({ method: 'GET', path: '/readyz' });
    expect(ready.status).toBe(200);
    expect(ready.headers['cache-control']).toBe('no-store');
    expect(JSON.parse(ready.body)).toEqual({ status: 'ready', checks: { tenants: 'ok', auditStore: 'ok' } });

    await audit.close();
    const notReady = await h.raw({ method: 'GET', path: '/readyz' });
    expect(notReady.status).toBe(503);
    expect(JSON.parse(notReady.body)).toEqual({ status: 'not_ready', checks: { tenants: 'ok', auditStore: 'failed' } });
    // Liveness is not readiness: the process still serves, so it must not be restarted for this.
    const health = await h.raw({ method: 'GET', path: '/healthz' });
    expect([health.status, JSON.parse(health.body)]).toEqual([200, { status: 'ok' }]);
    expect((await h.raw({ method: 'HEAD', path: '/readyz' })).status).toBe(503);
  });
});

describe('GET /readyz with Redis down', () => {
  let h: GatewayHarness;

  beforeAll(async () => {
    h = await startGatewayHarness({ env: { REDIS_URL: `redis://127.0.0.1:${await closedPort()}` } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('is not ready, and names only the check that failed (no host, no error text)', async () => {
    const res = await h.raw({ method: 'GET', path: '/readyz' });
    expect(res.status).toBe(503);
    expect(JSON.parse(res.body)).toEqual({ status: 'not_ready', checks: { tenants: 'ok', redis: 'failed' } });
    expect(res.body).not.toMatch(/127\.0\.0\.1|ECONNREFUSED/);
  });
});

describeWithRedis('GET /readyz with Redis up', () => {
  let h: GatewayHarness;

  beforeAll(async () => {
    h = await startGatewayHarness({
      env: { REDIS_URL: TEST_REDIS_URL, REDIS_KEY_PREFIX: uniqueRedisPrefix('readyz') },
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('is ready when Redis answers', async () => {
    const res = await h.raw({ method: 'GET', path: '/readyz' });
    expect([res.status, JSON.parse(res.body)]).toEqual([
      200,
      { status: 'ready', checks: { tenants: 'ok', redis: 'ok' } },
    ]);
  });
});

describe('Prometheus metrics on METRICS_PORT', () => {
  let hil: TestHil;
  let configDir: string;
  let gateway: RunningGateway;
  let datastoreId: string;
  let imageSetId: string;
  const apiKey = `ops-${randomBytes(16).toString('hex')}`;
  const auditFile = join(tmpdir(), `gateway-metrics-audit-${randomBytes(6).toString('hex')}.sqlite`);

  const gql = async (body: Record<string, unknown>) => {
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
      body: JSON.stringify(body),
    });
    return {
      status: response.status,
      body: (await response.json()) as { data?: any; errors?: Array<{ extensions?: Record<string, any> }> },
    };
  };
  const scrape = async (): Promise<{ text: string; samples: Sample[]; contentType: string | null }> => {
    const response = await fetch(gateway.metricsUrl!);
    expect(response.status).toBe(200);
    const text = await response.text();
    return { text, samples: parsePrometheusText(text), contentType: response.headers.get('content-type') };
  };
  /** Resolves once HealthImaging Local has received `count` GetDatastore calls since its last reset. */
  const getDatastoreCalls = async (count: number): Promise<void> => {
    while ((hil.hil.admin.stats().operations.GetDatastore ?? 0) < count)
      await new Promise((resolve) => setTimeout(resolve, 10));
  };

  beforeAll(async () => {
    hil = await startTestHil();
    const admin = hil.client();
    datastoreId = await createActiveDatastore(admin, 'metrics-store');
    [imageSetId] = atLeast(
      (await importSyntheticStudy(admin, hil.s3Dir, datastoreId, smallCtStudy, 'metrics')).imageSetIds,
      1,
      'image sets',
    );
    configDir = mkdtempSync(join(tmpdir(), 'gateway-metrics-'));
    const tenantsFile = join(configDir, 'tenants.json');
    writeFileSync(
      tenantsFile,
      JSON.stringify({
        tenants: [
          {
            id: 'acme',
            name: 'Acme Radiology',
            datastoreIds: [datastoreId],
            upstream: {
              maxReadAttempts: 1,
              credentials: { type: 'static', accessKeyIdEnv: 'ACME_KEY_ID', secretAccessKeyEnv: 'ACME_SECRET' },
            },
            apiKeys: [{ id: 'acme-ops', sha256: hashApiKey(apiKey), scopes: [...SCOPES] }],
          },
        ],
      }),
    );
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
    gateway = await startGatewayServer({
      GATEWAY_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      METRICS_PORT: '0',
      LOG_LEVEL: 'silent',
      CURSOR_SECRET: randomBytes(32).toString('base64url'),
      AUDIT_SQLITE_FILE: auditFile,
      TENANTS_FILE: tenantsFile,
      HEALTHIMAGING_ENDPOINT: hil.url,
      AWS_REGION: 'us-east-1',
      ACME_KEY_ID: hil.credentials.accessKeyId,
      ACME_SECRET: hil.credentials.secretAccessKey,
      // Small limits, so that one request of each kind trips them.
      RATE_LIMIT_TENANT_MAX_IN_FLIGHT: '1',
      MAX_METADATA_BYTES_IN_FLIGHT: '1024',
    });
  });
  afterAll(async () => {
    await gateway?.close();
    await hil?.close();
    rmSync(configDir, { recursive: true, force: true });
    rmSync(auditFile, { force: true });
    jest.restoreAllMocks();
  });

  it('serves them on their own port, not the API port, and not the API on theirs', async () => {
    const api = new URL(gateway.url);
    const metrics = new URL(gateway.metricsUrl!);
    expect(metrics.hostname).toBe('127.0.0.1');
    expect(metrics.port).not.toBe(api.port);
    expect((await fetch(new URL('/metrics', gateway.url))).status).toBe(404);
    expect((await fetch(new URL('/graphql', gateway.metricsUrl))).status).toBe(404);
    const { contentType } = await scrape();
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  it('counts requests, upstream calls, throttles, gate refusals and audit appends with bounded labels', async () => {
    const stores = 'query Stores { datastores { datastoreId } }';
    expect((await gql({ query: stores })).body.data.datastores).toEqual([{ datastoreId }]);
    expect((await gql({ query: stores })).body.data.datastores).toEqual([{ datastoreId }]);

    // Client text that is not an identifier (here, a patient's name and birth date) never becomes a label.
    const named = await gql({ query: stores, operationName: 'Fixture^Carla 19700101' });
    expect(named.body.errors?.[0]?.extensions?.code).toBeDefined();

    // Upstream THROTTLED (one attempt: the tenant allows no retry).
    hil.hil.admin.faults.set({ operation: 'GetDatastore', mode: 'throttle', count: 1 });
    expect((await gql({ query: stores })).body.errors?.[0]?.extensions?.code).toBe('THROTTLED');

    // The metadata budget (1 KiB) refuses a whole document.
    const meta = await gql({
      query:
        'query Meta($ds: String!, $id: String!) { imageSet(datastoreId: $ds, imageSetId: $id) { metadata { study { studyInstanceUid } } } }',
      variables: { ds: datastoreId, id: imageSetId },
    });
    expect(meta.body.errors?.[0]?.extensions?.code).toBe('THROTTLED');

    // The request gate refuses two mutations in one operation; the refused write is audited. (A
    // request refused before its document is parsed is labelled by the `operationName` it sent, as
    // GraphQL clients do; without one it is "(none)".)
    const bulk = await gql({
      operationName: 'Bulk',
      query: `mutation Bulk { a: deleteImageSet(input: { datastoreId: "${datastoreId}", imageSetId: "${imageSetId}" }) { imageSet { state } } b: deleteImageSet(input: { datastoreId: "${datastoreId}", imageSetId: "${'f'.repeat(32)}" }) { imageSet { state } } }`,
    });
    expect(bulk.body.errors?.[0]?.extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 'mutations' });

    // The tenant's in-flight cap (1): a second request while a slow one runs is throttled.
    hil.hil.admin.resetStats();
    hil.hil.admin.faults.set({ operation: 'GetDatastore', mode: 'latency', latencyMs: 1000, count: 1 });
    const slow = gql({ query: stores });
    await getDatastoreCalls(1);
    const second = await gql({ query: 'query Second { datastores { datastoreId } }', operationName: 'Second' });
    expect(second.status).toBe(429);
    expect((await slow).body.data.datastores).toEqual([{ datastoreId }]);

    const { text, samples } = await scrape();
    const requests = (labels: Record<string, string>) => sampleValue(samples, 'gateway_requests_total', labels);
    expect(requests({ operation: 'Stores', code: 'OK', status: '200' })).toBe(3);
    expect(requests({ operation: 'Stores', code: 'THROTTLED' })).toBe(1);
    expect(requests({ operation: 'Meta', code: 'THROTTLED' })).toBe(1);
    expect(requests({ operation: 'Bulk', code: 'LIMIT_EXCEEDED', status: '400' })).toBe(1);
    expect(requests({ operation: 'Second', code: 'THROTTLED', status: '429' })).toBe(1);
    expect(requests({ operation: '(other)' })).toBe(1);
    expect(sampleValue(samples, 'gateway_request_duration_seconds_count', { operation: 'Stores' })).toBe(4);
    expect(sampleValue(samples, 'gateway_request_duration_seconds_bucket', { operation: 'Stores', le: '+Inf' })).toBe(
      4,
    );

    expect(
      sampleValue(samples, 'gateway_upstream_calls_total', { operation: 'GetDatastore', outcome: 'ok' }),
    ).toBeGreaterThanOrEqual(3);
    expect(
      sampleValue(samples, 'gateway_upstream_calls_total', { operation: 'GetDatastore', outcome: 'throttled' }),
    ).toBe(1);
    expect(
      sampleValue(samples, 'gateway_upstream_calls_total', { operation: 'GetImageSetMetadata', outcome: 'ok' }),
    ).toBe(1);
    expect(
      sampleValue(samples, 'gateway_upstream_call_duration_seconds_count', { operation: 'GetDatastore' }),
    ).toBeGreaterThanOrEqual(4);

    expect(sampleValue(samples, 'gateway_throttles_total', { reason: 'upstream_throttled' })).toBe(1);
    expect(sampleValue(samples, 'gateway_throttles_total', { reason: 'metadata_budget' })).toBe(1);
    expect(sampleValue(samples, 'gateway_throttles_total', { reason: 'tenant_in_flight' })).toBe(1);
    expect(sampleValue(samples, 'gateway_gate_refusals_total', { limit: 'mutations' })).toBe(1);

    expect(sampleValue(samples, 'gateway_audit_appends_total', { outcome: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(sampleValue(samples, 'gateway_audit_appends_total', { outcome: 'failed' })).toBe(0);
    expect(sampleValue(samples, 'gateway_audit_append_duration_seconds_count')).toBe(
      sampleValue(samples, 'gateway_audit_appends_total', { outcome: 'ok' }),
    );

    // Nothing of the patient, the study or the tenant's ids appears anywhere in the scrape.
    for (const value of ['Fixture', 'Carla', 'FIX-CT-001', '19700101', 'FIXCT0001', datastoreId, imageSetId, 'acme']) {
      expect(text).not.toContain(value);
    }
  });
});
