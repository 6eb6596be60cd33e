import { expectData, expectGraphQLError, firstError } from '../support/gateway-expect';
import { pollUntil } from '../support/hil-wait';
import { startGatewayHarness, totalCalls, type GatewayHarness, type GqlResponse } from '../support/gateway-harness';

/**
 * The attack documents of the protection review, sent over HTTP to a real gateway over HealthImaging
 * Local. Each is refused with the limit it breaks, before validation or any upstream call, while a
 * normal query of the other tenant still answers.
 */

/** `query { ...F0 }` where each fragment spreads the next twice: 2^levels fields once expanded, under 1 KB of text. */
function fragmentBomb(levels: number): string {
  const fragments = Array.from({ length: levels }, (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`);
  return `query Q { ...F0 }\n${fragments.join('\n')}\nfragment F${levels} on Query { __typename }`;
}

/** The same doubling, but each level spreads the next once under two different fields: no repetition to catch. */
function nestedFragmentBomb(levels: number): string {
  const fragments = Array.from(
    { length: levels },
    (_, i) => `fragment F${i} on Query { viewer { tenantId } a${i}: viewer { subject } ...F${i + 1} }`,
  );
  return `query Q { ...F0 }\n${fragments.join('\n')}\nfragment F${levels} on Query { __typename }`;
}

const GLOBEX_NORMAL = '{ viewer { tenantId } }';

function limitOf(response: GqlResponse): { limit: string; maximum: number } {
  const error = expectGraphQLError(response, 'LIMIT_EXCEEDED');
  expect(response.errors).toHaveLength(1);
  const { limit, maximum } = error.extensions as { limit: string; maximum: number };
  return { limit, maximum };
}

describe('security: operation limits hold against the review attacks', () => {
  let h: GatewayHarness;
  let acme: Record<string, string>;
  let globex: Record<string, string>;

  beforeAll(async () => {
    h = await startGatewayHarness({ env: { REQUEST_DEADLINE_MS: '1500' }, upstream: { requestTimeoutMs: 20_000 } });
    acme = h.as({ apiKey: h.apiKeys.acmeReadOnly });
    globex = h.as({ token: h.tokens.globex });
  });
  afterAll(async () => {
    await h?.close();
  });

  /** Sends the attack and a normal query of the other tenant at once; both must answer. */
  async function alongsideNormal(attack: () => Promise<GqlResponse>): Promise<GqlResponse> {
    const [refused, normal] = await Promise.all([attack(), h.gql(GLOBEX_NORMAL, undefined, globex)]);
    expect(expectData(normal).viewer.tenantId).toBe('globex');
    return refused;
  }

  it('refuses the anonymous fragment bomb without parsing it (HTTP 401)', async () => {
    const res = await alongsideNormal(() => h.gql(fragmentBomb(23)));
    expect(fragmentBomb(23).length).toBeLessThan(1100);
    expect(res.status).toBe(401);
    expectGraphQLError(res, 'UNAUTHENTICATED');
  });

  it('refuses the fragment bomb from a credential: its expansion breaks the root field limit', async () => {
    const res = await alongsideNormal(() => h.gql(fragmentBomb(23), undefined, acme));
    expect(res.status).toBe(400);
    expect(limitOf(res)).toEqual({ limit: 'rootFields', maximum: 10 });
  });

  it('measures fragments once: a bomb that spreads each fragment once per level is counted in full', async () => {
    const res = await alongsideNormal(() => h.gql(nestedFragmentBomb(40), undefined, acme));
    expect(limitOf(res).limit).toBe('aliases');
  });

  it('refuses 10,000 padding fields by the token limit, with one error naming the limit (not the document)', async () => {
    const padding = Array.from({ length: 10_000 }, (_, i) => `t${i}: __typename`).join(' ');
    const res = await alongsideNormal(() => h.gql(`{ ${padding} }`, undefined, acme));
    expect(limitOf(res)).toEqual({ limit: 'tokens', maximum: 3000 });
    expect(firstError(res).message).not.toContain('t9999');
  });

  it('refuses 500 aliased searches with metadata before any upstream call', async () => {
    h.resetUpstreamCalls();
    const heavy = `imageSets(datastoreId: "${h.datastores.acme}", first: 50) { edges { node { metadata { patient { dicom } study { dicom series { dicom instances(first: 50) { edges { node { dicom } } } } } } } } }`;
    const res = await alongsideNormal(() =>
      h.gql(`{ ${Array.from({ length: 500 }, (_, i) => `s${i}: ${heavy}`).join(' ')} }`, undefined, acme),
    );
    expect(['tokens', 'aliases']).toContain(limitOf(res).limit);
    expect(totalCalls(h.upstreamCalls('acme'))).toBe(0);
  });

  it('refuses 21 aliases of __typename (the alias limit is 20)', async () => {
    const res = await h.gql(
      `{ ${Array.from({ length: 21 }, (_, i) => `a${i}: __typename`).join(' ')} }`,
      undefined,
      acme,
    );
    expect(limitOf(res)).toEqual({ limit: 'aliases', maximum: 20 });
    const allowed = await h.gql(
      `{ ${Array.from({ length: 9 }, (_, i) => `a${i}: __typename`).join(' ')} }`,
      undefined,
      acme,
    );
    expect(expectData(allowed).a8).toBe('Query');
  });

  it('refuses a field repeated 500 times in one selection set', async () => {
    const res = await alongsideNormal(() => h.gql(`{ viewer { ${'subject '.repeat(500)} } }`, undefined, acme));
    expect(limitOf(res)).toEqual({ limit: 'fieldRepetition', maximum: 2 });
  });

  it('refuses 21 directives, known or not, before validation', async () => {
    const directives = Array.from({ length: 21 }, (_, i) => `@unknown${i}`).join(' ');
    const res = await h.gql(`{ viewer ${directives} { subject } }`, undefined, acme);
    expect(limitOf(res)).toEqual({ limit: 'directives', maximum: 20 });
  });

  it('refuses 60,000 directives and 950 KB of overlapping fields by the token limit', async () => {
    const directives = await h.gql(`{ viewer ${'@skip(if: false) '.repeat(60_000)} { subject } }`, undefined, acme);
    expect(limitOf(directives).limit).toBe('tokens');
    const overlapping = `{ ${'viewer { subject } '.repeat(50_000)} }`;
    expect(overlapping.length).toBeGreaterThan(950_000);
    expect(limitOf(await alongsideNormal(() => h.gql(overlapping, undefined, acme))).limit).toBe('tokens');
  });

  it('refuses an operation nested deeper than 12 levels', async () => {
    const res = await h.gql(
      `query ($ds: String!, $id: String!) { imageSet(datastoreId: $ds, imageSetId: $id) { versions { edges { node { imageSet { versions { edges { node { imageSet { versions { edges { node { versionId } } } } } } } } } } } } }`,
      { ds: h.datastores.acme, id: h.imageSets.acme[0] },
      acme,
    );
    expect(limitOf(res)).toEqual({ limit: 'depth', maximum: 12 });
  });

  it('refuses a page of 50 image sets that each expand 50 instances, by cost, before any upstream call', async () => {
    h.resetUpstreamCalls();
    const res = await h.gql(
      `query ($ds: String!) { imageSets(datastoreId: $ds, first: 50) { edges { node { metadata { study { series { instances(first: 50) { edges { node { sopInstanceUid } } } } } } } } } }`,
      { ds: h.datastores.acme },
      acme,
    );
    expect(limitOf(res)).toEqual({ limit: 'cost', maximum: 3000 });
    expect(totalCalls(h.upstreamCalls('acme'))).toBe(0);
  });

  it('runs one mutation per operation: 300 aliased deletes and two plain ones are refused with no upstream delete', async () => {
    h.resetUpstreamCalls();
    const writer = h.as({ token: h.tokens.acme });
    const del = (i: number) =>
      `d${i}: deleteImageSet(input: { datastoreId: "${h.datastores.acme}", imageSetId: "${h.imageSets.acme[0]}" }) { state }`;
    const aliased = await h.gql(
      `mutation { ${Array.from({ length: 300 }, (_, i) => del(i)).join(' ')} }`,
      undefined,
      writer,
    );
    expect(['aliases', 'tokens']).toContain(limitOf(aliased).limit);
    const two = await h.gql(
      `mutation { deleteImageSet(input: { datastoreId: "${h.datastores.acme}", imageSetId: "${h.imageSets.acme[0]}" }) { state } deleteImageSet(input: { datastoreId: "${h.datastores.acme}", imageSetId: "${h.imageSets.acme[1]}" }) { state } }`,
      undefined,
      writer,
    );
    expect(limitOf(two)).toEqual({ limit: 'mutations', maximum: 1 });
    expect(h.upstreamCalls('acme').DeleteImageSet ?? 0).toBe(0);
  });

  it('refuses, fail closed, an operation whose cost cannot be computed, with the error Apollo would give', async () => {
    const res = await h.gql(
      'query ($n: Int!) { imageSets(datastoreId: "x", first: $n) { pageInfo { hasNextPage } } }',
      { n: 'Lovelace^Ada' },
      acme,
    );
    expect(expectGraphQLError(res, 'BAD_USER_INPUT').message).toBe(
      'Variable "$n" has an invalid value: Int cannot represent the given value.',
    );
    expect(JSON.stringify(res)).not.toContain('Lovelace');
  });

  it('refuses batched requests: one operation per request', async () => {
    const res = await h.raw({
      headers: { 'content-type': 'application/json', ...acme },
      body: JSON.stringify([{ query: '{ viewer { subject } }' }, { query: '{ viewer { subject } }' }]),
    });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body).errors[0].extensions.code).toBe('BAD_REQUEST');
  });

  it('answers DEADLINE_EXCEEDED at the request deadline and aborts the hung upstream call', async () => {
    h.hil.hil.admin.faults.set({ operation: 'GetImageSet', mode: 'hang' });
    try {
      const res = await h.gql(
        'query ($ds: String!, $id: String!) { imageSet(datastoreId: $ds, imageSetId: $id) { state } }',
        { ds: h.datastores.acme, id: h.imageSets.acme[0] },
        acme,
      );
      expect(res.status).toBe(504);
      expect(expectGraphQLError(res, 'DEADLINE_EXCEEDED').extensions).toMatchObject({ deadlineMs: 1500 });
      // The SDK call was aborted (HealthImaging Local still hangs): the call ends, logged as failed.
      const failed = await pollUntil('the aborted GetImageSet to be logged', async () =>
        h.logs.find((line) => line.event === 'upstream.call_failed' && line.operation === 'GetImageSet'),
      );
      expect(failed).toMatchObject({ outcome: 'error', errorKind: 'timeout' });
    } finally {
      h.hil.hil.admin.faults.clear();
    }
    expect(expectData(await h.gql(GLOBEX_NORMAL, undefined, globex)).viewer.tenantId).toBe('globex');
  });
});
