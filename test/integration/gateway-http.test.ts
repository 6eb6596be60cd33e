import { expectData, expectGraphQLError } from '../support/gateway-expect';
import { startGatewayHarness, totalCalls, type GatewayHarness, type RawResponse } from '../support/gateway-harness';

const APP_ORIGIN = 'https://app.acme.test';

function errorCode(response: RawResponse): string | undefined {
  return (JSON.parse(response.body) as { errors?: Array<{ extensions?: { code?: string } }> }).errors?.[0]?.extensions
    ?.code;
}

describe('gateway: HTTP transport', () => {
  let h: GatewayHarness;
  let acme: Record<string, string>;

  beforeAll(async () => {
    h = await startGatewayHarness({
      env: { CORS_ORIGINS: APP_ORIGIN, MAX_QUERY_DEPTH: '6', MAX_QUERY_COST: '300' },
    });
    acme = h.as({ token: h.tokens.acme });
  });
  afterAll(async () => {
    await h?.close();
  });

  describe('CORS', () => {
    it('answers a preflight from a configured origin with the allowed methods and headers', async () => {
      const res = await h.raw({
        method: 'OPTIONS',
        headers: {
          origin: APP_ORIGIN,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, content-type',
        },
      });
      expect(res.status).toBe(204);
      expect(res.headers['access-control-allow-origin']).toBe(APP_ORIGIN);
      expect(res.headers['access-control-allow-methods']).toContain('POST');
      expect(res.headers['access-control-allow-headers']).toEqual(expect.stringContaining('authorization'));
      expect(res.headers['access-control-allow-headers']).toEqual(expect.stringContaining('x-api-key'));
      expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    });

    it('refuses a preflight from any other origin', async () => {
      const res = await h.raw({
        method: 'OPTIONS',
        headers: { origin: 'https://evil.test', 'access-control-request-method': 'POST' },
      });
      expect(res.status).toBe(403);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    });

    it('serves a configured origin and exposes the request id to it', async () => {
      const res = await h.gql('{ viewer { subject } }', undefined, { ...acme, origin: APP_ORIGIN });
      expectData(res);
      expect(res.headers['access-control-allow-origin']).toBe(APP_ORIGIN);
      expect(res.headers['access-control-expose-headers']).toContain('x-request-id');
    });

    it('refuses to run a request from an unconfigured origin at all', async () => {
      h.resetUpstreamCalls();
      const res = await h.raw({
        headers: { 'content-type': 'application/json', origin: 'https://evil.test', ...acme },
        body: JSON.stringify({
          query: 'query ($ds: String!) { datastore(datastoreId: $ds) { name } }',
          variables: { ds: h.datastores.acme },
        }),
      });
      expect(res.status).toBe(403);
      expect(errorCode(res)).toBe('FORBIDDEN');
      expect(totalCalls(h.upstreamCalls('acme'))).toBe(0);
    });
  });

  describe('request ids', () => {
    it('echoes a well-formed x-request-id', async () => {
      const res = await h.gql('{ viewer { subject } }', undefined, { ...acme, 'x-request-id': 'client-req-42' });
      expect(res.headers['x-request-id']).toBe('client-req-42');
    });

    it('replaces a malformed x-request-id with its own', async () => {
      const res = await h.gql('{ viewer { subject } }', undefined, { ...acme, 'x-request-id': 'bad id\twith spaces' });
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('sends a request id with errors produced before GraphQL runs', async () => {
      const res = await h.raw({ path: '/nowhere', method: 'GET' });
      expect(res.status).toBe(404);
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });
  });

  describe('bodies', () => {
    it('refuses a body over the limit with 413', async () => {
      const res = await h.raw({
        headers: { 'content-type': 'application/json', ...acme },
        body: JSON.stringify({ query: `{ viewer { subject } } # ${'x'.repeat(1024 * 1024)}` }),
      });
      expect(res.status).toBe(413);
      expect(errorCode(res)).toBe('BAD_REQUEST');
    });

    it('refuses a body that is not JSON with 400', async () => {
      const res = await h.raw({ headers: { 'content-type': 'application/json', ...acme }, body: '{"query": ' });
      expect(res.status).toBe(400);
      expect(errorCode(res)).toBe('BAD_REQUEST');
    });

    it('refuses a GET query without a CSRF-safe header', async () => {
      const res = await h.raw({
        method: 'GET',
        path: `/graphql?query=${encodeURIComponent('{ viewer { subject } }')}`,
        headers: acme,
      });
      expect(res.status).toBe(400);
    });
  });

  describe('query limits', () => {
    it('refuses an operation nested deeper than the configured depth', async () => {
      const res = await h.gql(
        `query ($ds: String!, $id: String!) {
          imageSet(datastoreId: $ds, imageSetId: $id) { metadata { study { series { instances { edges { node { frames { id } } } } } } } }
        }`,
        { ds: h.datastores.acme, id: h.imageSets.acme[0] },
        acme,
      );
      expect(res.status).toBe(400);
      const error = expectGraphQLError(res, 'LIMIT_EXCEEDED');
      expect(error.message).toMatch(/nested deeper than allowed \(limit "depth", maximum 6\)/);
      expect(error.extensions).toMatchObject({ limit: 'depth', maximum: 6 });
    });

    it('refuses an operation whose estimated cost exceeds the configured cost, before any upstream call', async () => {
      h.resetUpstreamCalls();
      const res = await h.gql(
        `query ($ds: String!) {
          imageSets(datastoreId: $ds, first: 50) { edges { node { metadata { study { studyId } } } } }
        }`,
        { ds: h.datastores.acme },
        acme,
      );
      expect(res.status).toBe(400);
      expect(expectGraphQLError(res, 'LIMIT_EXCEEDED').extensions).toMatchObject({ limit: 'cost', maximum: 300 });
      expect(totalCalls(h.upstreamCalls('acme'))).toBe(0);
    });

    it('costs one document anew for each set of variables (a remembered cost never lets a bigger page through)', async () => {
      const query =
        'query ($ds: String!, $n: Int!) { imageSets(datastoreId: $ds, first: $n) { edges { node { metadata { study { studyId } } } } } }';
      expect(expectData(await h.gql(query, { ds: h.datastores.acme, n: 2 }, acme)).imageSets.edges).toHaveLength(2);
      const tooBig = await h.gql(query, { ds: h.datastores.acme, n: 50 }, acme);
      expect(expectGraphQLError(tooBig, 'LIMIT_EXCEEDED').extensions).toMatchObject({ limit: 'cost' });
      expect(expectData(await h.gql(query, { ds: h.datastores.acme, n: 2 }, acme)).imageSets.edges).toHaveLength(2);
    });

    it('runs the same operation with a smaller page', async () => {
      const res = await h.gql(
        'query ($ds: String!) { imageSets(datastoreId: $ds, first: 5) { edges { node { metadata { study { studyId } } } } } }',
        { ds: h.datastores.acme },
        acme,
      );
      expectData(res);
    });
  });

  describe('outside development', () => {
    it('offers no introspection', async () => {
      const res = await h.gql('{ __schema { queryType { name } } }', undefined, acme);
      expectGraphQLError(res, 'GRAPHQL_VALIDATION_FAILED');
    });

    it('serves no landing page', async () => {
      const res = await h.raw({ method: 'GET', headers: { accept: 'text/html' } });
      expect(res.body).not.toContain('embeddable-sandbox');
    });

    it('answers health checks', async () => {
      const res = await h.raw({ method: 'GET', path: '/healthz' });
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body)).toEqual({ status: 'ok' });
    });
  });
});

describe('gateway: HTTP transport in development', () => {
  let h: GatewayHarness;

  beforeAll(async () => {
    h = await startGatewayHarness({ env: { GATEWAY_ENV: 'development' } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('serves Apollo Sandbox as the landing page', async () => {
    const res = await h.raw({ method: 'GET', headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('embeddable-sandbox');
  });

  it('lets the embedded Sandbox call the gateway across origins', async () => {
    const res = await h.raw({
      method: 'OPTIONS',
      headers: { origin: 'https://sandbox.embed.apollographql.com', 'access-control-request-method': 'POST' },
    });
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('https://sandbox.embed.apollographql.com');
  });

  it('answers introspection, so Sandbox can show the documented schema', async () => {
    const data = expectData(
      await h.gql(
        '{ __type(name: "ImageSet") { description fields { name description } } }',
        undefined,
        h.as({ token: h.tokens.acme }),
      ),
    );
    expect(data.__type.description).toMatch(/image set/i);
    expect(
      data.__type.fields.every((field: any) => typeof field.description === 'string' && field.description.length > 0),
    ).toBe(true);
  });
});
