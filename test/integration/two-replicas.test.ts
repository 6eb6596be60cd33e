import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetImageSetCommand } from '@aws-sdk/client-medical-imaging';
import { smallCtStudy } from '../../scripts/synthetic-studies';
import { hashApiKey } from '../../src/auth/authenticate';
import { expectToldToWait, fairShareRun, type TenantGql } from '../support/fair-share-load';
import {
  FAIR_SHARE_ENV,
  FAIR_SHARE_HIL_QUOTA,
  startSharedAccountUpstream,
  type SharedAccountUpstream,
} from '../support/fair-share-upstream';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process';
import { startTestHil, type TestHil } from '../support/hil-client';
import { createActiveDatastore, importSyntheticStudy } from '../support/hil-wait';
import { describeWithRedis, TEST_REDIS_URL, uniqueRedisPrefix } from '../support/redis-scratch';

/**
 * Two replicas for real (issue 8, part 7): two gateway processes over one HealthImaging Local and
 * the machine's Redis, sharing one tenants file, cursor secret, audit trail and Redis key prefix,
 * as a deployment behind a load balancer does. Requests alternate between them, or each tenant
 * keeps to one replica.
 */

/** The limited credential's bucket: 1 request/s plus a burst of 10. */
const BURST = 10;
const VIEWER = JSON.stringify({ query: '{ viewer { tenantId } }' });
const COPY = `mutation Copy($input: CopyImageSetInput!) {
  copyImageSet(input: $input) { destinationImageSet { imageSetId } destinationVersion { versionId } }
}`;

interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

async function post(replica: GatewayProcess, body: string, headers: Record<string, string>): Promise<Answer> {
  const response = await fetch(replica.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

/** What every client over its limit is promised: 429, Retry-After, one THROTTLED error with the same seconds. */
function expectThrottled(answer: Answer): void {
  expect(answer.status).toBe(429);
  expect(answer.body.errors).toHaveLength(1);
  const { extensions } = answer.body.errors[0];
  expect(extensions.code).toBe('THROTTLED');
  expect(extensions.retryAfterSeconds).toBeGreaterThanOrEqual(1);
  expect(answer.headers.get('retry-after')).toBe(String(extensions.retryAfterSeconds));
}

/**
 * Two replicas of one deployment: the same environment, so one cursor secret, one audit trail and
 * one Redis key prefix (`env` adds the tenants file, its secrets and any setting).
 */
async function startReplicas(
  configDir: string,
  env: Record<string, string>,
): Promise<[GatewayProcess, GatewayProcess]> {
  const shared = {
    GATEWAY_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    CURSOR_SECRET: randomBytes(32).toString('base64url'),
    AUDIT_SQLITE_FILE: join(configDir, 'audit.sqlite'),
    REDIS_URL: TEST_REDIS_URL,
    REDIS_KEY_PREFIX: uniqueRedisPrefix('two-replicas'),
    ...env,
  };
  return Promise.all([startGatewayProcess('replica-1', shared), startGatewayProcess('replica-2', shared)]);
}

/** SIGTERM to each (it drains, then exits 0): a replica that crashed shows here. */
async function stopReplicas(replicas: Array<GatewayProcess | undefined>): Promise<void> {
  const exitCodes = await Promise.all(replicas.flatMap((replica) => (replica ? [replica.stop()] : [])));
  expect(exitCodes.filter((code) => code !== 0)).toEqual([]);
}

describeWithRedis('two gateway replicas over one Redis', () => {
  const limitedKey = `limited-${randomBytes(16).toString('hex')}`;
  const writerKey = `writer-${randomBytes(16).toString('hex')}`;
  let hil: TestHil;
  let configDir: string;
  let datastoreId: string;
  let sourceImageSetId: string;
  let replicaOne: GatewayProcess;
  let replicaTwo: GatewayProcess;

  beforeAll(async () => {
    hil = await startTestHil();
    const client = hil.client();
    datastoreId = await createActiveDatastore(client, 'two-replicas');
    const { imageSetIds } = await importSyntheticStudy(client, hil.s3Dir, datastoreId, smallCtStudy);
    sourceImageSetId = imageSetIds[0] ?? '';
    configDir = mkdtempSync(join(tmpdir(), 'two-replicas-'));
    const credentials = { type: 'static', accessKeyIdEnv: 'ACME_KEY_ID', secretAccessKeyEnv: 'ACME_SECRET' };
    writeFileSync(
      join(configDir, 'tenants.json'),
      JSON.stringify({
        tenants: [
          {
            id: 'acme',
            name: 'Acme Radiology',
            datastoreIds: [datastoreId],
            upstream: { credentials },
            // Per credential: each API key below has a bucket of its own of this size.
            rateLimits: { credential: { perSecond: 1, burst: BURST } },
            apiKeys: [
              { id: 'acme-limited', sha256: hashApiKey(limitedKey), scopes: ['imagesets:read'] },
              { id: 'acme-writer', sha256: hashApiKey(writerKey), scopes: ['imagesets:read', 'imagesets:write'] },
            ],
          },
        ],
      }),
    );
    [replicaOne, replicaTwo] = await startReplicas(configDir, {
      TENANTS_FILE: join(configDir, 'tenants.json'),
      HEALTHIMAGING_ENDPOINT: hil.url,
      AWS_REGION: 'us-east-1',
      ACME_KEY_ID: hil.credentials.accessKeyId,
      ACME_SECRET: hil.credentials.secretAccessKey,
    });
  }, 180_000);

  afterAll(async () => {
    await stopReplicas([replicaOne, replicaTwo]);
    await hil?.close();
    if (configDir) rmSync(configDir, { recursive: true, force: true });
  });

  it('(a) holds a credential to one burst across both replicas: after half on each, the next on either is 429', async () => {
    const headers = { 'x-api-key': limitedKey };
    const spent = await Promise.all(
      Array.from({ length: BURST }, (_, index) => post(index % 2 === 0 ? replicaOne : replicaTwo, VIEWER, headers)),
    );
    expect(spent.map((answer) => answer.status)).toEqual(Array(BURST).fill(200));

    // Each replica has served half the burst: alone, each would still admit BURST / 2 more.
    let checks = await Promise.all([replicaOne, replicaTwo].map((replica) => post(replica, VIEWER, headers)));
    // The bucket refills 1 a second: if a one-second window opened while the burst was spent, one
    // check is admitted by it, and the next pair meets the empty bucket again.
    if (checks.some((answer) => answer.status === 200)) {
      expect(checks.filter((answer) => answer.status === 200)).toHaveLength(1);
      checks = await Promise.all([replicaOne, replicaTwo].map((replica) => post(replica, VIEWER, headers)));
    }
    checks.forEach(expectThrottled);
  });

  it('(b) replays an idempotent mutation on the other replica: first response, Idempotent-Replayed, nothing upstream', async () => {
    const { versionId } = await hil
      .client()
      .send(new GetImageSetCommand({ datastoreId, imageSetId: sourceImageSetId }));
    const body = JSON.stringify({
      query: COPY,
      operationName: 'Copy',
      variables: { input: { datastoreId, sourceImageSetId, sourceLatestVersionId: versionId } },
    });
    const headers = { 'x-api-key': writerKey, 'idempotency-key': `copy-${randomBytes(8).toString('hex')}` };

    hil.hil.admin.resetStats();
    const first = await post(replicaOne, body, headers);
    expect(first.status).toBe(200);
    expect(first.body.errors).toBeUndefined();
    expect(first.body.data.copyImageSet.destinationImageSet.imageSetId).toMatch(/^[0-9a-f]{32}$/);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(hil.hil.admin.stats().operations.CopyImageSet).toBe(1);

    hil.hil.admin.resetStats();
    const replay = await post(replicaTwo, body, headers);
    expect(replay.status).toBe(200);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body).toEqual(first.body);
    // The replica that replayed sent nothing upstream: no second copy of the patient's images.
    expect(hil.hil.admin.stats().operations).toEqual({});
  });
});

describeWithRedis('two gateway replicas sharing one upstream account', () => {
  let upstream: SharedAccountUpstream;
  let configDir: string;
  let replicaOne: GatewayProcess;
  let replicaTwo: GatewayProcess;

  beforeAll(async () => {
    // acme and globex sign with one HealthImaging Local key: one account, whose write quota
    // HealthImaging Local meters and both replicas budget (FAIR_SHARE_ENV) through one Redis.
    upstream = await startSharedAccountUpstream();
    upstream.setWriteQuota(FAIR_SHARE_HIL_QUOTA);
    configDir = mkdtempSync(join(tmpdir(), 'two-replicas-fair-'));
    [replicaOne, replicaTwo] = await startReplicas(configDir, {
      TENANTS_FILE: upstream.tenantsFile,
      ...upstream.tenantsEnv,
      ...FAIR_SHARE_ENV,
    });
  }, 180_000);

  afterAll(async () => {
    await stopReplicas([replicaOne, replicaTwo]);
    await upstream?.close();
    if (configDir) rmSync(configDir, { recursive: true, force: true });
  });

  /** A tenant's requests, all through one replica. */
  const through =
    (replica: GatewayProcess): TenantGql =>
    async (tenant, query, variables) => {
      const answer = await post(replica, JSON.stringify({ query, ...(variables ? { variables } : {}) }), {
        'x-api-key': upstream.apiKeys[tenant],
      });
      const retryAfter = answer.headers.get('retry-after');
      return { status: answer.status, ...(retryAfter !== null ? { retryAfter } : {}), ...answer.body };
    };

  it("(c) keeps globex's write success within 90% of its solo rate while acme floods through the other replica", async () => {
    // globex keeps to replica 2; acme floods through replica 1.
    const { solo, underAttack, acmeAnswers } = await fairShareRun(upstream, {
      globex: through(replicaTwo),
      acme: through(replicaOne),
    });
    expect(solo).toBeGreaterThan(0);
    expect(underAttack).toBeGreaterThanOrEqual(0.9 * solo);
    // acme, ten times over its share, was told to come back later rather than spend globex's.
    expectToldToWait(acmeAnswers);
  }, 120_000);
});
