import { expectData, expectGraphQLError } from '../support/gateway-expect';
import { startGatewayHarness, totalCalls, type GatewayHarness } from '../support/gateway-harness';

const SEARCH = 'query ($ds: String!) { imageSets(datastoreId: $ds) { edges { node { imageSetId } } } }';

describe('gateway: authentication and scopes', () => {
  let h: GatewayHarness;

  beforeAll(async () => {
    h = await startGatewayHarness();
  });
  afterAll(async () => {
    await h?.close();
  });
  beforeEach(() => h.resetUpstreamCalls());
  afterEach(() => expect(totalCalls(h.upstreamCalls('acme'))).toBe(0));

  it('answers UNAUTHENTICATED to a request without credentials', async () => {
    const res = await h.gql(SEARCH, { ds: h.datastores.acme });
    // Refused before the document is even parsed: an anonymous request costs nothing more.
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expectGraphQLError(res, 'UNAUTHENTICATED');
    expect(res.data).toBeUndefined();
  });

  it('answers UNAUTHENTICATED to viewer without credentials', async () => {
    expectGraphQLError(await h.gql('{ viewer { subject } }'), 'UNAUTHENTICATED');
  });

  it.each([
    [
      'a token with a tampered signature',
      () => ({
        authorization: `Bearer ${h.tokens.acme.slice(0, -4)}${h.tokens.acme.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`,
      }),
    ],
    ['an expired token', () => h.as({ token: h.tokens.acmeExpired })],
    ['a malformed bearer value', () => ({ authorization: 'Bearer not-a-jwt' })],
    ['an unknown API key', () => h.as({ apiKey: 'acme-not-a-real-key' })],
    ['both a token and an API key', () => ({ ...h.as({ token: h.tokens.acme }), ...h.as({ apiKey: h.apiKeys.acme }) })],
  ])('answers HTTP 401 with a Bearer challenge to %s', async (_label, headers) => {
    const res = await h.gql(SEARCH, { ds: h.datastores.acme }, headers());
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    expectGraphQLError(res, 'UNAUTHENTICATED');
  });

  it('lets a caller without scopes ask who they are, and nothing else', async () => {
    const headers = h.as({ token: h.tokens.acmeNoScopes });
    expect(expectData(await h.gql('{ viewer { subject scopes } }', undefined, headers)).viewer).toEqual({
      subject: 'nora@acme.test',
      scopes: [],
    });
    const error = expectGraphQLError(await h.gql(SEARCH, { ds: h.datastores.acme }, headers), 'FORBIDDEN');
    expect(error.message).toMatch(/imagesets:read/);
    expectGraphQLError(await h.gql('{ datastores { name } }', undefined, headers), 'FORBIDDEN');
  });

  it('keeps errors free of stack traces', async () => {
    const res = await h.gql(SEARCH, { ds: h.datastores.acme }, h.as({ token: h.tokens.acmeNoScopes }));
    expect(JSON.stringify(res.errors)).not.toMatch(/stacktrace|\.ts:\d+/);
  });
});
