import WebSocket from 'ws';
import { expectData } from '../support/gateway-expect';
import { startGatewayHarness, totalCalls, type GatewayHarness } from '../support/gateway-harness';
import type { GatewayReplica } from '../support/gateway-replica';
import {
  nextEvent,
  subscriptionClient,
  type SubscriptionClient,
  type SubscriptionEvent,
} from '../support/subscription-client';

const WATCH = `subscription Watch($ds: String!, $id: String!, $until: String) {
  imageSetChanged(datastoreId: $ds, imageSetId: $id, untilVersionId: $until) {
    imageSetId
    state
    workflowStatus
    latestVersionId
    message
  }
}`;

const UPDATE = `mutation ($input: UpdateImageSetMetadataInput!) {
  updateImageSetMetadata(input: $input) { imageSet { state workflowStatus latestVersionId } }
}`;

type Event = { imageSetChanged: { state: string; workflowStatus: string; latestVersionId: string } | null };

/** "STATE/STATUS/version" per event, "done" at completion, the error code for an error. */
async function drain(events: AsyncIterator<SubscriptionEvent<Event>>): Promise<string[]> {
  const seen: string[] = [];
  for (;;) {
    const event = await nextEvent(events);
    if (event === 'done') return [...seen, 'done'];
    seen.push(summary(event));
  }
}

function summary(event: SubscriptionEvent<Event> | 'done'): string {
  if (event === 'done') return 'done';
  if (event.errors) return `error:${event.errors.map((error) => error.extensions?.code as string).join(',')}`;
  const imageSet = event.data?.imageSetChanged;
  return imageSet ? `${imageSet.state}/${imageSet.workflowStatus}/${imageSet.latestVersionId}` : 'null';
}

async function post(url: string, query: string, variables: Record<string, unknown>, headers: Record<string, string>) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: any; errors?: Array<{ extensions?: Record<string, unknown> }> };
}

describe('subscriptions: imageSetChanged over WebSocket', () => {
  let h: GatewayHarness;
  let ds: string;
  const clients: SubscriptionClient[] = [];
  const subscriberKey = 'acme-subscriber-0123456789abcdef';

  const connect = (url: string, params: Record<string, unknown>): SubscriptionClient => {
    const client = subscriptionClient(url, params);
    clients.push(client);
    return client;
  };
  const update = (imageSetId: string, latestVersionId: string, url = h.url) =>
    post(
      url,
      UPDATE,
      {
        input: {
          datastoreId: ds,
          imageSetId,
          latestVersionId,
          updates: { study: { StudyDescription: `REVIEWED ${latestVersionId}` } },
        },
      },
      h.as({ token: h.tokens.acme }),
    );

  beforeAll(async () => {
    h = await startGatewayHarness({
      writeDelayMs: 300,
      env: { SUBSCRIPTIONS_PER_CREDENTIAL: '2' },
      acmeApiKeys: [{ id: 'acme-subscriber', key: subscriberKey, scopes: ['imagesets:read'] }],
    });
    ds = h.datastores.acme;
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.dispose()));
  });
  afterAll(async () => {
    await h?.close();
  });

  it('streams a write from LOCKED/UPDATING to ACTIVE/UPDATED, then completes', async () => {
    const [imageSetId] = await h.importStudy('acme', 'sub-update');
    const client = connect(h.url, { authorization: `Bearer ${h.tokens.acme}` });
    const events = client.subscribe<Event>(WATCH, { ds, id: imageSetId });
    expect(summary(await nextEvent(events))).toMatch(/^ACTIVE\/[A-Z]+\/1$/);

    const answer = await update(imageSetId, '1');
    expect(answer.data?.updateImageSetMetadata.imageSet).toEqual({
      state: 'LOCKED',
      workflowStatus: 'UPDATING',
      latestVersionId: '2',
    });
    expect(await drain(events)).toEqual(['LOCKED/UPDATING/2', 'ACTIVE/UPDATED/2', 'done']);

    // A client that subscribes after its write finished names the version and is answered at once.
    const late = client.subscribe<Event>(WATCH, { ds, id: imageSetId, until: '2' });
    expect(await drain(late)).toEqual(['ACTIVE/UPDATED/2', 'done']);
  });

  it('accepts an API key in connection_init and shares one poller between subscribers', async () => {
    const [imageSetId] = await h.importStudy('acme', 'sub-shared');
    // A replica whose pollers wait 10 minutes between reads: every read it makes is the first one.
    const replica: GatewayReplica = await h.startReplica({
      SUBSCRIPTION_POLL_MIN_MS: '600000',
      SUBSCRIPTION_POLL_MAX_MS: '600000',
    });
    try {
      h.resetUpstreamCalls();
      const first = connect(replica.url, { 'x-api-key': subscriberKey }).subscribe<Event>(WATCH, {
        ds,
        id: imageSetId,
      });
      expect(summary(await nextEvent(first))).toMatch(/^ACTIVE\/[A-Z]+\/1$/);
      const second = connect(replica.url, { authorization: `Bearer ${h.tokens.acme}` }).subscribe<Event>(WATCH, {
        ds,
        id: imageSetId,
      });
      expect(summary(await nextEvent(second))).toMatch(/^ACTIVE\/[A-Z]+\/1$/);
      expect(h.upstreamCalls('acme').GetImageSet).toBe(1);

      // The replica's own write reaches both at once, with no read of its own.
      await update(imageSetId, '1', replica.url);
      expect(summary(await nextEvent(first))).toBe('LOCKED/UPDATING/2');
      expect(summary(await nextEvent(second))).toBe('LOCKED/UPDATING/2');
      expect(h.upstreamCalls('acme').GetImageSet).toBe(1);
    } finally {
      await Promise.all(clients.splice(0).map((client) => client.dispose()));
      await replica.close();
    }
  });

  it('answers NOT_FOUND outside the grant without calling HealthImaging', async () => {
    h.resetUpstreamCalls();
    const client = connect(h.url, { authorization: `Bearer ${h.tokens.globex}` });
    const events = client.subscribe<Event>(WATCH, { ds, id: h.imageSets.acme[0] });
    expect(await drain(events)).toEqual(['error:NOT_FOUND', 'done']);
    expect(totalCalls(h.upstreamCalls('globex'))).toBe(0);
    expect(totalCalls(h.upstreamCalls('acme'))).toBe(0);
  });

  it('refuses a connection without valid credentials (close 4401)', async () => {
    for (const params of [{}, { 'x-api-key': 'not-a-key' }, { authorization: `Bearer ${h.tokens.acmeExpired}` }]) {
      const client = connect(h.url, params);
      const events = client.subscribe<Event>(WATCH, { ds, id: h.imageSets.acme[0] });
      await expect(events.next()).rejects.toMatchObject({ code: 4401 });
      expect(await client.closed).toEqual({ code: 4401, reason: 'Unauthorized' });
    }
  });

  it('checks scopes and the operation limits, and runs only subscriptions', async () => {
    const noScopes = connect(h.url, { authorization: `Bearer ${h.tokens.acmeNoScopes}` });
    expect(await drain(noScopes.subscribe<Event>(WATCH, { ds, id: h.imageSets.acme[0] }))).toEqual([
      'error:FORBIDDEN',
      'done',
    ]);

    const client = connect(h.url, { authorization: `Bearer ${h.tokens.acme}` });
    const tooManyAliases = `subscription { ${Array.from({ length: 21 }, (_, i) => `a${i}: __typename`).join(' ')} }`;
    await expect(drain(client.subscribe(tooManyAliases))).rejects.toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'LIMIT_EXCEEDED', limit: 'aliases' }) }),
    ]);
    await expect(drain(client.subscribe('query { viewer { subject } }'))).rejects.toEqual([
      expect.objectContaining({ extensions: { code: 'BAD_REQUEST' } }),
    ]);
  });

  it('limits the subscriptions one credential holds', async () => {
    // Places are per subscription: three on one image set count as three.
    const [first, second, third] = [h.imageSets.acme[0], h.imageSets.acme[0], h.imageSets.acme[0]];
    const client = connect(h.url, { 'x-api-key': subscriberKey });
    const held = [
      client.subscribe<Event>(WATCH, { ds, id: first }),
      client.subscribe<Event>(WATCH, { ds, id: second }),
    ] as const;
    for (const events of held) expect(summary(await nextEvent(events))).toMatch(/^ACTIVE\//);

    const other = connect(h.url, { 'x-api-key': subscriberKey });
    await expect(drain(other.subscribe<Event>(WATCH, { ds, id: third }))).rejects.toEqual([
      expect.objectContaining({
        extensions: { code: 'LIMIT_EXCEEDED', limit: 'subscriptions', maximum: 2 },
      }),
    ]);
    // Another credential of the same tenant is not affected.
    const user = connect(h.url, { authorization: `Bearer ${h.tokens.acme}` }).subscribe<Event>(WATCH, {
      ds,
      id: third,
    });
    expect(summary(await nextEvent(user))).toMatch(/^ACTIVE\//);

    // Leaving one gives its place back.
    await held[0].return?.();
    const again = other.subscribe<Event>(WATCH, { ds, id: third });
    expect(summary(await nextEvent(again))).toMatch(/^ACTIVE\//);
  });

  it('closes the connection when its token expires (4401)', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await h.mintToken('acme', { sub: 'brief@acme.test', scope: 'imagesets:read', exp: now + 2 });
    const client = connect(h.url, { authorization: `Bearer ${token}` });
    const events = client.subscribe<Event>(WATCH, { ds, id: h.imageSets.acme[0] });
    expect(summary(await nextEvent(events))).toMatch(/^ACTIVE\//);
    expect(await client.closed).toEqual({ code: 4401, reason: 'Token expired' });
  });

  it('closes a connection that holds no subscription after the idle timeout', async () => {
    const replica = await h.startReplica({ SUBSCRIPTION_IDLE_TIMEOUT_MS: '1000' });
    try {
      const socket = new WebSocket(replica.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
      const messages: string[] = [];
      socket.on('message', (data) => messages.push(JSON.parse(String(data)).type as string));
      socket.on('open', () =>
        socket.send(JSON.stringify({ type: 'connection_init', payload: { 'x-api-key': h.apiKeys.acme } })),
      );
      const closed = await new Promise<{ code: number; reason: string }>((resolve) =>
        socket.on('close', (code, reason) => resolve({ code, reason: String(reason) })),
      );
      expect(messages).toEqual(['connection_ack']);
      expect(closed).toEqual({ code: 1000, reason: 'Idle timeout' });
    } finally {
      await replica.close();
    }
  });

  it('tells subscribers to go away (1001) when the gateway shuts down', async () => {
    const replica = await h.startReplica();
    const client = connect(replica.url, { authorization: `Bearer ${h.tokens.acme}` });
    const events = client.subscribe<Event>(WATCH, { ds, id: h.imageSets.acme[0] });
    expect(summary(await nextEvent(events))).toMatch(/^ACTIVE\//);
    await replica.close();
    expect(await client.closed).toEqual({ code: 1001, reason: 'Going away' });
  });

  it('answers a subscription sent over HTTP with an error, not a stream', async () => {
    const response = await h.gql(WATCH, { ds, id: h.imageSets.acme[0] }, h.as({ token: h.tokens.acme }));
    expect(response.data?.imageSetChanged ?? null).toBeNull();
    expect(response.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors?.[0]?.message).toMatch(/WebSocket/);
  });

  it('serves queries over HTTP on the same path as before', async () => {
    const data = expectData(await h.gql('{ viewer { tenantId } }', {}, h.as({ token: h.tokens.acme })));
    expect(data.viewer.tenantId).toBe('acme');
  });
});
