import { createHash } from 'node:crypto';
import { connect } from 'node:net';
import { expectData, expectGraphQLError } from '../support/gateway-expect';
import { startGatewayHarness, type GatewayHarness } from '../support/gateway-harness';

/**
 * Credentials that must not pass (over-long tokens, two credentials at once) and trusted documents
 * (a tenant or a key restricted to an allow-list of documents), over HTTP against a real gateway.
 */

const VIEWER_DOC = 'query Me { viewer { tenantId subject } }';
const SCOPES_DOC = 'query MyScopes { viewer { scopes } }';
const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** One HTTP request written by hand, so that headers can repeat exactly as an attacker sends them. */
function rawRequest(port: number, headerLines: string[], body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString('utf8')));
    socket.on('error', reject);
    socket.on('end', () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(received)?.[1] ?? 0);
      resolve({ status, body: received.slice(received.indexOf('\r\n\r\n') + 4) });
    });
    socket.write(
      [
        'POST /graphql HTTP/1.1',
        'Host: 127.0.0.1',
        'Content-Type: application/json',
        `Content-Length: ${Buffer.byteLength(body)}`,
        'Connection: close',
        ...headerLines,
        '',
        body,
      ].join('\r\n'),
    );
  });
}

describe('security: credentials', () => {
  let h: GatewayHarness;
  let port: number;
  const now = (): number => Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    h = await startGatewayHarness();
    port = Number(new URL(h.url).port);
  });
  afterAll(async () => {
    await h?.close();
  });

  it.each([
    ['expires in year 9999', { exp: 253402300799 }],
    ['lives 25 hours from iat (the maximum is 24)', { exp: Math.floor(Date.now() / 1000) + 25 * 3600 }],
    ['has no iat and 48 hours left', { exp: Math.floor(Date.now() / 1000) + 48 * 3600, iat: null }],
  ])('refuses a token that %s', async (_label, times) => {
    const token = await h.mintToken('acme', { sub: 'mallory@acme.test', scope: 'imagesets:read', ...times });
    const res = await h.gql(VIEWER_DOC, undefined, h.as({ token }));
    expect(res.status).toBe(401);
    expectGraphQLError(res, 'UNAUTHENTICATED');
  });

  it('accepts a token within the maximum lifetime', async () => {
    const token = await h.mintToken('acme', {
      sub: 'alice@acme.test',
      scope: 'imagesets:read',
      exp: now() + 23 * 3600,
    });
    expect(expectData(await h.gql(VIEWER_DOC, undefined, h.as({ token }))).viewer.subject).toBe('alice@acme.test');
  });

  it('refuses two Authorization headers, even when the first is valid', async () => {
    const res = await rawRequest(
      port,
      [`Authorization: Bearer ${h.tokens.acme}`, `Authorization: Bearer ${h.tokens.globex}`],
      JSON.stringify({ query: VIEWER_DOC }),
    );
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body).errors[0]).toMatchObject({
      message: 'Send exactly one Authorization or x-api-key header.',
      extensions: { code: 'UNAUTHENTICATED' },
    });
  });

  it('refuses two x-api-key headers', async () => {
    const res = await rawRequest(
      port,
      [`x-api-key: ${h.apiKeys.acme}`, `X-Api-Key: ${h.apiKeys.acme}`],
      JSON.stringify({ query: VIEWER_DOC }),
    );
    expect(res.status).toBe(401);
  });

  it('still serves one credential sent by hand', async () => {
    const res = await rawRequest(
      port,
      [`Authorization: Bearer ${h.tokens.acme}`],
      JSON.stringify({ query: VIEWER_DOC }),
    );
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).data.viewer.tenantId).toBe('acme');
  });
});

describe('security: trusted documents', () => {
  let h: GatewayHarness;
  const partnerKey = `acme-partner-${sha256('partner').slice(0, 24)}`;

  beforeAll(async () => {
    h = await startGatewayHarness({
      acmeTrustedDocuments: [`sha256:${sha256(VIEWER_DOC)}`],
      acmeApiKeys: [
        { id: 'acme-partner', key: partnerKey, scopes: ['imagesets:read'], trustedDocuments: [sha256(SCOPES_DOC)] },
      ],
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  it("runs a document of the tenant's list for its JWT callers, and refuses any other with its id", async () => {
    const acme = h.as({ token: h.tokens.acme });
    expect(expectData(await h.gql(VIEWER_DOC, undefined, acme)).viewer.tenantId).toBe('acme');
    const other = await h.gql(SCOPES_DOC, undefined, acme);
    expect(other.status).toBe(403);
    expect(expectGraphQLError(other, 'FORBIDDEN').message).toBe(
      `This credential may run trusted documents only, and this document (id sha256:${sha256(SCOPES_DOC)}) is not one of them.`,
    );
  });

  it("holds a key to its own list, which replaces the tenant's", async () => {
    const partner = h.as({ apiKey: partnerKey });
    expect(expectData(await h.gql(SCOPES_DOC, undefined, partner)).viewer.scopes).toEqual(['imagesets:read']);
    expectGraphQLError(await h.gql(VIEWER_DOC, undefined, partner), 'FORBIDDEN');
  });

  it('refuses a document that differs by one character from a trusted one', async () => {
    expectGraphQLError(await h.gql(`${VIEWER_DOC} `, undefined, h.as({ token: h.tokens.acme })), 'FORBIDDEN');
  });

  it('runs a trusted document named by its id alone, once its text was sent (the persisted-query protocol)', async () => {
    const acme = { 'content-type': 'application/json', ...h.as({ token: h.tokens.acme }) };
    const byId = (id: string) =>
      h.raw({
        headers: acme,
        body: JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: id } } }),
      });
    const unknown = JSON.parse((await byId(sha256('query Unseen { viewer { subject } }'))).body);
    expect(unknown.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');

    const registered = await h.raw({
      headers: acme,
      body: JSON.stringify({
        query: VIEWER_DOC,
        extensions: { persistedQuery: { version: 1, sha256Hash: sha256(VIEWER_DOC) } },
      }),
    });
    expect(JSON.parse(registered.body).data.viewer.tenantId).toBe('acme');
    const again = await h.raw({ headers: acme, body: JSON.stringify({ documentId: `sha256:${sha256(VIEWER_DOC)}` }) });
    expect(JSON.parse(again.body).data.viewer.tenantId).toBe('acme');
  });

  it('refuses a text whose hash does not match the id sent with it', async () => {
    const res = await h.raw({
      headers: { 'content-type': 'application/json', ...h.as({ token: h.tokens.acme }) },
      body: JSON.stringify({
        query: SCOPES_DOC,
        extensions: { persistedQuery: { version: 1, sha256Hash: sha256(VIEWER_DOC) } },
      }),
    });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body).errors[0].extensions.code).toBe('BAD_REQUEST');
  });

  it('leaves tenants without a list unrestricted', async () => {
    expect(expectData(await h.gql(SCOPES_DOC, undefined, h.as({ token: h.tokens.globex }))).viewer.scopes).toContain(
      'phi:read',
    );
  });
});
