import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { parsePrometheusText, sampleValue } from '../support/prometheus-text';
import { waitForUnlocked } from '../support/hil-wait';
import {
  FAIR_SHARE_HIL_QUOTA,
  startFairShareGateway,
  startSharedAccountUpstream,
  type FairShareGateway,
  type GqlAnswer,
  type SharedAccountUpstream,
} from '../support/fair-share-upstream';

/**
 * Two tenants share one upstream account whose write quota HealthImaging Local enforces (4/s here,
 * as the gateway is told). acme sends ten times its share of updates; globex's updates must still
 * succeed at least 90% as often as when globex writes alone. Everything goes over real HTTP to the
 * gateway and through the real SDK to HealthImaging Local.
 */

const UPDATE = `mutation ($input: UpdateImageSetMetadataInput!) {
  updateImageSetMetadata(input: $input) { imageSet { imageSetId latestVersionId } }
}`;

/** globex's pace: one update every 500 ms, 2/s, its half of the account's 4/s. */
const GLOBEX_INTERVAL_MS = 500;
const GLOBEX_UPDATES = 8;
/** acme's pace: one update every 50 ms, 20/s, ten times its half. */
const ACME_INTERVAL_MS = 50;

describe('fair share of one upstream account’s write quota', () => {
  let upstream: SharedAccountUpstream;
  let gateway: FairShareGateway;

  beforeAll(async () => {
    upstream = await startSharedAccountUpstream();
    upstream.setWriteQuota(FAIR_SHARE_HIL_QUOTA);
    gateway = await startFairShareGateway(upstream);
  }, 60_000);

  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
  });

  /** globex's updates of its image set, one after another at its pace; returns how many succeeded. */
  async function globexWrites(label: string): Promise<number> {
    const datastoreId = upstream.datastores.globex;
    const [imageSetId = ''] = upstream.imageSets.globex;
    const admin = upstream.hil.client();
    let latestVersionId = (await waitForUnlocked(admin, datastoreId, imageSetId)).versionId!;
    let succeeded = 0;
    for (let i = 0; i < GLOBEX_UPDATES; i++) {
      const started = Date.now();
      const answer = await gateway.gql('globex', UPDATE, {
        input: {
          datastoreId,
          imageSetId,
          latestVersionId,
          updates: { study: { StudyDescription: `FAIR ${label} ${i}` } },
        },
      });
      const written = answer.errors === undefined ? answer.data?.updateImageSetMetadata?.imageSet : undefined;
      if (written) {
        succeeded += 1;
        latestVersionId = (await waitForUnlocked(admin, datastoreId, imageSetId)).versionId!;
      }
      await sleep(Math.max(0, started + GLOBEX_INTERVAL_MS - Date.now()));
    }
    return succeeded;
  }

  /**
   * acme's flood until `stop`: stale updates of its own image sets (a version long gone) and
   * updates of image sets that do not exist. Both reach HealthImaging and spend the quota there
   * (a conflict, a not-found), and the unknown ids keep acme's calls from queueing behind each
   * other per image set.
   */
  async function acmeFlood(stopped: () => boolean): Promise<GqlAnswer[]> {
    const answers: Array<Promise<GqlAnswer>> = [];
    for (let i = 0; !stopped(); i++) {
      const stale = i % 4 === 0;
      const imageSetId = stale
        ? (upstream.imageSets.acme[i % upstream.imageSets.acme.length] ?? '')
        : randomBytes(16).toString('hex');
      answers.push(
        gateway.gql('acme', UPDATE, {
          input: {
            datastoreId: upstream.datastores.acme,
            imageSetId,
            latestVersionId: stale ? '99' : '1',
            updates: { study: { StudyDescription: 'FLOOD' } },
          },
        }),
      );
      await sleep(ACME_INTERVAL_MS);
    }
    return Promise.all(answers);
  }

  it('keeps globex’s write success within 90% of its solo rate while acme sends ten times its share', async () => {
    const solo = (await globexWrites('solo')) / GLOBEX_UPDATES;
    expect(solo).toBeGreaterThan(0);

    let stop = false;
    const flood = acmeFlood(() => stop);
    // acme's queue fills first: globex arrives at a busy account.
    await sleep(1000);
    const underAttack = (await globexWrites('attack')) / GLOBEX_UPDATES;
    stop = true;
    const acmeAnswers = await flood;

    expect(underAttack).toBeGreaterThanOrEqual(0.9 * solo);

    // acme was told to come back later rather than spend globex's share: as the rate limits say it,
    // HTTP 429 with Retry-After and one THROTTLED error carrying the same seconds.
    const refused = acmeAnswers.filter((answer) => answer.errors?.[0]?.extensions?.code === 'THROTTLED');
    expect(refused.length).toBeGreaterThan(0);
    for (const answer of refused) {
      expect(answer.status).toBe(429);
      expect(answer.errors).toHaveLength(1);
      const seconds = answer.errors?.[0]?.extensions?.retryAfterSeconds as number;
      expect(seconds).toBeGreaterThanOrEqual(1);
      expect(answer.retryAfter).toBe(String(seconds));
    }

    const samples = parsePrometheusText((await gateway.metrics.scrape()).body);
    expect(sampleValue(samples, 'gateway_throttles_total', { reason: 'upstream_write_queue' })).toBeGreaterThan(0);
    expect(
      sampleValue(samples, 'gateway_upstream_write_queue_wait_seconds_count', { tenant: 'globex' }),
    ).toBeGreaterThanOrEqual(2 * GLOBEX_UPDATES);
    expect(sampleValue(samples, 'gateway_upstream_write_queue_depth', { tenant: 'acme' })).toBe(0);
    expect(sampleValue(samples, 'gateway_upstream_write_queue_depth', { tenant: 'globex' })).toBe(0);
  }, 90_000);
});
