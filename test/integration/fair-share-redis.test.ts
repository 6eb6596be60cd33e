import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { sharedWindowOf } from '../../src/imaging/upstream/shared-bucket';
import { parsePrometheusText, sampleValue } from '../support/prometheus-text';
import { describeWithRedis, TEST_REDIS_URL, uniqueRedisPrefix } from '../support/redis-scratch';
import {
  startFairShareGateway,
  startSharedAccountUpstream,
  type FairShareGateway,
  type FairTenant,
  type GqlAnswer,
  type SharedAccountUpstream,
} from '../support/fair-share-upstream';

/**
 * Two gateways in this process, as two replicas, over one Redis key prefix and one upstream
 * account: the account's write budget holds for the sum of their writes, not for each.
 */

const UPDATE = `mutation ($input: UpdateImageSetMetadataInput!) {
  updateImageSetMetadata(input: $input) { imageSet { imageSetId } }
}`;

const RATE_PER_SECOND = 2;
const SEND_INTERVAL_MS = 100;
const SEND_FOR_MS = 4000;

describeWithRedis('the upstream write budget shared through Redis', () => {
  let upstream: SharedAccountUpstream;
  let replicas: FairShareGateway[];

  beforeAll(async () => {
    upstream = await startSharedAccountUpstream();
    const env = {
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: uniqueRedisPrefix('fair-share'),
      UPSTREAM_WRITE_RATE_PER_SECOND: String(RATE_PER_SECOND),
      // A short queue: the writes still waiting when sending stops are refused soon after.
      UPSTREAM_WRITE_QUEUE_WAIT_MS: '1000',
    };
    replicas = [await startFairShareGateway(upstream, env), await startFairShareGateway(upstream, env)];
  }, 60_000);

  afterAll(async () => {
    for (const replica of replicas ?? []) await replica.close();
    await upstream?.close();
  });

  /** Updates of image sets that do not exist (each reaches HealthImaging and spends the quota), every 100 ms. */
  async function send(replica: FairShareGateway, tenant: FairTenant, until: number): Promise<GqlAnswer[]> {
    const answers: Array<Promise<GqlAnswer>> = [];
    while (Date.now() < until) {
      answers.push(
        replica.gql(tenant, UPDATE, {
          input: {
            datastoreId: upstream.datastores[tenant],
            imageSetId: randomBytes(16).toString('hex'),
            latestVersionId: '1',
            updates: { study: { StudyDescription: 'SHARED' } },
          },
        }),
      );
      await sleep(SEND_INTERVAL_MS);
    }
    return Promise.all(answers);
  }

  it('admits the account’s rate across both replicas together, each replica getting its part', async () => {
    const before = upstream.upstreamCalls('UpdateImageSetMetadata');
    const started = Date.now();
    // Five times the account's rate together: acme through one replica, globex through the other.
    const [first, second] = replicas as [FairShareGateway, FairShareGateway];
    const answers = await Promise.all([
      send(first, 'acme', started + SEND_FOR_MS),
      send(second, 'globex', started + SEND_FOR_MS),
    ]);
    const elapsedSeconds = (Date.now() - started) / 1000;
    const sent = upstream.upstreamCalls('UpdateImageSetMetadata') - before;

    // The shared window admits `points` per window; one more window's worth covers a window
    // that had opened just before the first call.
    const { points, durationSeconds } = sharedWindowOf({ perSecond: RATE_PER_SECOND, burst: 1 });
    expect(sent).toBeLessThanOrEqual(points * (Math.ceil(elapsedSeconds / durationSeconds) + 1));
    expect(sent).toBeGreaterThan(0);

    const admitted = (replica: FairShareGateway, tenant: FairTenant) =>
      replica.metrics
        .scrape()
        .then(({ body }) =>
          sampleValue(parsePrometheusText(body), 'gateway_upstream_write_queue_wait_seconds_count', { tenant }),
        );
    expect(await admitted(first, 'acme')).toBeGreaterThan(0);
    expect(await admitted(second, 'globex')).toBeGreaterThan(0);
    expect((await admitted(first, 'acme')) + (await admitted(second, 'globex'))).toBe(sent);

    const throttled = answers.flat().filter((answer) => answer.errors?.[0]?.extensions?.code === 'THROTTLED');
    expect(throttled.length).toBeGreaterThan(0);
  }, 60_000);
});
