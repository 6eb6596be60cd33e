import { startGatewayHarness, type GatewayHarness } from '../support/gateway-harness';
import type { GatewayReplica } from '../support/gateway-replica';
import { describeWithRedis, TEST_REDIS_URL, uniqueRedisPrefix } from '../support/redis-scratch';
import {
  nextEvent,
  subscriptionClient,
  type SubscriptionClient,
  type SubscriptionEvent,
} from '../support/subscription-client';

const WATCH = `subscription Watch($ds: String!, $id: String!) {
  imageSetChanged(datastoreId: $ds, imageSetId: $id) { state workflowStatus latestVersionId }
}`;

const UPDATE = `mutation ($input: UpdateImageSetMetadataInput!) {
  updateImageSetMetadata(input: $input) { imageSet { latestVersionId } }
}`;

type Changed = { imageSetChanged: { state: string; workflowStatus: string; latestVersionId: string } | null };
type Event = SubscriptionEvent<Changed>;

function summary(event: Event | 'done'): string {
  if (event === 'done') return 'done';
  const imageSet = event.data?.imageSetChanged;
  return imageSet ? `${imageSet.state}/${imageSet.workflowStatus}/${imageSet.latestVersionId}` : 'null';
}

async function drain(events: AsyncIterator<Event>): Promise<string[]> {
  const seen: string[] = [];
  for (;;) {
    const event = await nextEvent(events);
    seen.push(summary(event));
    if (event === 'done') return seen;
  }
}

describeWithRedis('subscriptions across replicas (Redis pub/sub)', () => {
  let h: GatewayHarness;
  /** Polls once per subscription start and then not for 10 minutes: what it streams, another replica saw. */
  let deaf: GatewayReplica;
  const clients: SubscriptionClient[] = [];

  beforeAll(async () => {
    h = await startGatewayHarness({
      writeDelayMs: 300,
      env: { REDIS_URL: TEST_REDIS_URL, REDIS_KEY_PREFIX: uniqueRedisPrefix('subscriptions') },
    });
    deaf = await h.startReplica({ SUBSCRIPTION_POLL_MIN_MS: '600000', SUBSCRIPTION_POLL_MAX_MS: '600000' });
  });
  afterAll(async () => {
    await Promise.all(clients.splice(0).map((client) => client.dispose()));
    await deaf?.close();
    await h?.close();
  });

  it("streams a write made on one replica, and the state the other's poller saw, to a subscriber on another", async () => {
    const ds = h.datastores.acme;
    const [imageSetId] = await h.importStudy('acme', 'sub-redis');
    const params = { authorization: `Bearer ${h.tokens.acme}` };
    const onDeaf = subscriptionClient(deaf.url, params);
    const onFirst = subscriptionClient(h.url, params);
    clients.push(onDeaf, onFirst);
    const far = onDeaf.subscribe<Changed>(WATCH, { ds, id: imageSetId });
    const near = onFirst.subscribe<Changed>(WATCH, { ds, id: imageSetId });
    expect(summary(await nextEvent(far))).toMatch(/^ACTIVE\/[A-Z]+\/1$/);
    expect(summary(await nextEvent(near))).toMatch(/^ACTIVE\/[A-Z]+\/1$/);

    const answer = await fetch(h.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...params },
      body: JSON.stringify({
        query: UPDATE,
        variables: {
          input: { datastoreId: ds, imageSetId, latestVersionId: '1', updates: { study: { StudyDescription: 'X' } } },
        },
      }),
    });
    expect(((await answer.json()) as any).data.updateImageSetMetadata.imageSet.latestVersionId).toBe('2');

    const [farSeen, nearSeen] = await Promise.all([drain(far), drain(near)]);
    expect(nearSeen).toEqual(['LOCKED/UPDATING/2', 'ACTIVE/UPDATED/2', 'done']);
    expect(farSeen).toEqual(['LOCKED/UPDATING/2', 'ACTIVE/UPDATED/2', 'done']);
  });
});
