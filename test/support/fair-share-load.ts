import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FairTenant, GqlAnswer, SharedAccountUpstream } from './fair-share-upstream';
import { waitForUnlocked } from './hil-wait';

/**
 * The two sides of the fair-share tests, over any gateway (one replica, or two behind Redis): globex
 * writing at its half of the account's quota, and acme sending ten times its share. `gql` sends
 * one request as a tenant, through whichever replica the test chose for it.
 */

export type TenantGql = (tenant: FairTenant, query: string, variables?: Record<string, unknown>) => Promise<GqlAnswer>;

export const FAIR_UPDATE = `mutation ($input: UpdateImageSetMetadataInput!) {
  updateImageSetMetadata(input: $input) { imageSet { imageSetId latestVersionId } }
}`;

/** globex's pace: one update every 500 ms, 2/s, its half of the account's 4/s. */
const GLOBEX_INTERVAL_MS = 500;
export const GLOBEX_UPDATES = 8;
/** acme's pace: one update every 50 ms, 20/s, ten times its half. */
const ACME_INTERVAL_MS = 50;

/** globex's updates of its image set, one after another at its pace; returns how many succeeded. */
export async function globexWrites(upstream: SharedAccountUpstream, gql: TenantGql, label: string): Promise<number> {
  const datastoreId = upstream.datastores.globex;
  const [imageSetId] = upstream.imageSets.globex;
  if (imageSetId === undefined) throw new Error('globex has no image set to update');
  const admin = upstream.hil.client();
  let latestVersionId = (await waitForUnlocked(admin, datastoreId, imageSetId)).versionId!;
  let succeeded = 0;
  for (let i = 0; i < GLOBEX_UPDATES; i++) {
    const started = Date.now();
    const answer = await gql('globex', FAIR_UPDATE, {
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
 * acme's flood until `stopped`: stale updates of its own image sets (a version long gone) and
 * updates of image sets that do not exist. Both reach HealthImaging and spend the quota there
 * (a conflict, a not-found), and the unknown ids keep acme's calls from queueing behind each
 * other per image set.
 */
export async function acmeFlood(
  upstream: SharedAccountUpstream,
  gql: TenantGql,
  stopped: () => boolean,
): Promise<GqlAnswer[]> {
  const answers: Array<Promise<GqlAnswer>> = [];
  for (let i = 0; !stopped(); i++) {
    const stale = i % 4 === 0;
    const own = upstream.imageSets.acme[i % upstream.imageSets.acme.length];
    const imageSetId = stale && own !== undefined ? own : randomBytes(16).toString('hex');
    answers.push(
      gql('acme', FAIR_UPDATE, {
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

export interface FairShareRun {
  /** globex's share of successful updates writing alone, then while acme floods (0 to 1). */
  solo: number;
  underAttack: number;
  acmeAnswers: GqlAnswer[];
}

/**
 * globex writes alone, then again while acme floods (acme's queue gets a second's head start, so
 * globex arrives at a busy account). Each tenant goes through its own `gql`: the same gateway, or
 * one replica each.
 */
export async function fairShareRun(
  upstream: SharedAccountUpstream,
  through: { globex: TenantGql; acme: TenantGql },
): Promise<FairShareRun> {
  const solo = (await globexWrites(upstream, through.globex, 'solo')) / GLOBEX_UPDATES;
  let stop = false;
  const flood = acmeFlood(upstream, through.acme, () => stop);
  await sleep(1000);
  const underAttack = (await globexWrites(upstream, through.globex, 'attack')) / GLOBEX_UPDATES;
  stop = true;
  return { solo, underAttack, acmeAnswers: await flood };
}

/**
 * acme, over its share, is told to come back later rather than spend globex's: some of its writes
 * are THROTTLED, each as HTTP 429 with one error and `Retry-After` equal to its `retryAfterSeconds`.
 */
export function expectToldToWait(answers: readonly GqlAnswer[]): void {
  const refused = answers.filter((answer) => answer.errors?.[0]?.extensions?.code === 'THROTTLED');
  expect(refused.length).toBeGreaterThan(0);
  for (const answer of refused) {
    expect(answer.status).toBe(429);
    expect(answer.errors).toHaveLength(1);
    const seconds = answer.errors?.[0]?.extensions?.retryAfterSeconds as number;
    expect(seconds).toBeGreaterThanOrEqual(1);
    expect(answer.retryAfter).toBe(String(seconds));
  }
}
