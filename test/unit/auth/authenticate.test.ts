import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT, exportJWK, exportSPKI, generateKeyPair, type CryptoKey, type JWTPayload } from 'jose';
import { createAuthenticator, hashApiKey, scopesFromClaim, type Authenticator } from '../../../src/auth/authenticate';
import { parseTenants } from '../../../src/tenants/tenants-file';
import type { TenantRegistry } from '../../../src/tenants/tenant-registry';
import { UnauthenticatedError, UpstreamUnavailableError } from '../../../src/errors/gateway-errors';
import { acmeApiKey, acmeTenantJson, globexApiKey, globexTenantJson, hs256Secret } from './tenant-fixtures';

const acmeIssuer = 'https://idp.acme.test';
const audience = 'healthimaging-gateway';
const sharedIssuer = 'https://shared-idp.test';

interface Keys {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
}

let dir: string;
let acmeKeys: Keys;
let strangerKeys: Keys;
let remoteKeys: Keys;
let jwksServer: Server;
let jwksUrl: string;
let unreachableJwksUrl: string;
let registry: TenantRegistry;
let authenticate: Authenticator;

/** Claims over the defaults; a claim set to `undefined` leaves that default out of the token. */
type Claims = { [K in keyof JWTPayload]?: JWTPayload[K] | undefined };

async function token(
  keys: Keys | Uint8Array,
  claims: Claims,
  options: { alg?: string; kid?: string; expiresIn?: string | null } = {},
): Promise<string> {
  const alg = options.alg ?? (keys instanceof Uint8Array ? 'HS256' : 'RS256');
  const payload = Object.fromEntries(
    Object.entries({ sub: 'dr-house', scope: 'imagesets:read', ...claims }).filter(([, value]) => value !== undefined),
  );
  let jwt = new SignJWT(payload)
    .setProtectedHeader({ alg, ...(options.kid ? { kid: options.kid } : {}) })
    .setIssuedAt();
  if (options.expiresIn !== null) jwt = jwt.setExpirationTime(options.expiresIn ?? '5m');
  if (claims.iss === undefined) jwt = jwt.setIssuer(acmeIssuer);
  if (claims.aud === undefined) jwt = jwt.setAudience(audience);
  return jwt.sign(keys instanceof Uint8Array ? keys : keys.privateKey);
}

const bearer = (jwt: string) => ({ authorization: `Bearer ${jwt}` });

async function rejection(headers: Record<string, string>): Promise<Error> {
  try {
    await authenticate(headers);
  } catch (error) {
    return error as Error;
  }
  throw new Error('authentication unexpectedly succeeded');
}

async function expectInvalidToken(headers: Record<string, string>): Promise<void> {
  const error = await rejection(headers);
  expect(error).toBeInstanceOf(UnauthenticatedError);
  expect(error.message).toBe('Invalid or expired token.');
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'authenticate-'));
  acmeKeys = await generateKeyPair('RS256', { extractable: true });
  strangerKeys = await generateKeyPair('RS256', { extractable: true });
  remoteKeys = await generateKeyPair('ES256', { extractable: true });
  writeFileSync(
    join(dir, 'acme-jwks.json'),
    JSON.stringify({ keys: [{ ...(await exportJWK(acmeKeys.publicKey)), kid: 'acme-1', alg: 'RS256', use: 'sig' }] }),
  );

  const remoteJwks = JSON.stringify({
    keys: [{ ...(await exportJWK(remoteKeys.publicKey)), kid: 'remote-1', alg: 'ES256' }],
  });
  jwksServer = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(remoteJwks));
  await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
  jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/.well-known/jwks.json`;
  // A port that was open a moment ago and is closed now: connection refused.
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  unreachableJwksUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/jwks`;
  await new Promise<void>((resolve) => closed.close(() => resolve()));

  registry = parseTenants(
    {
      tenants: [
        acmeTenantJson({
          jwt: { issuer: acmeIssuer, audience, jwksFile: join(dir, 'acme-jwks.json'), algorithms: ['RS256'] },
        }),
        globexTenantJson({
          jwt: { issuer: 'https://idp.globex.test', audience, hs256Secret, scopesClaim: 'permissions' },
        }),
        {
          id: 'initech',
          name: 'Initech',
          datastoreIds: ['cccccccc0123456789abcdef01234567'],
          upstream: { region: 'us-east-1', credentials: { type: 'default' } },
          jwt: { issuer: sharedIssuer, audience, hs256Secret, tenantClaim: 'tid' },
        },
        {
          id: 'hooli',
          name: 'Hooli',
          datastoreIds: ['dddddddd0123456789abcdef01234567'],
          upstream: { region: 'us-east-1', credentials: { type: 'default' } },
          jwt: { issuer: sharedIssuer, audience, hs256Secret, tenantClaim: 'tid' },
        },
        {
          id: 'umbrella',
          name: 'Umbrella',
          datastoreIds: ['eeeeeeee0123456789abcdef01234567'],
          upstream: { region: 'us-east-1', credentials: { type: 'default' } },
          jwt: { issuer: 'https://idp.umbrella.test', audience, jwksUrl },
        },
        {
          id: 'wayne',
          name: 'Wayne',
          datastoreIds: ['ffffffff0123456789abcdef01234567'],
          upstream: { region: 'us-east-1', credentials: { type: 'default' } },
          jwt: { issuer: 'https://idp.wayne.test', audience, jwksUrl: unreachableJwksUrl },
        },
      ],
    },
    {},
  );
  authenticate = createAuthenticator(registry, { jwksTimeoutMs: 2000 });
});

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await new Promise<void>((resolve) => jwksServer.close(() => resolve()));
});

describe('createAuthenticator with bearer tokens', () => {
  it('returns undefined (anonymous) when no credentials are sent', async () => {
    await expect(authenticate({})).resolves.toBeUndefined();
    await expect(authenticate({ 'content-type': 'application/json' })).resolves.toBeUndefined();
  });

  it('accepts a valid RS256 token verified against the tenant JWKS file', async () => {
    const jwt = await token(acmeKeys, { scope: 'imagesets:read openid imagesets:write' }, { kid: 'acme-1' });
    await expect(authenticate(bearer(jwt))).resolves.toEqual({
      tenantId: 'acme',
      subject: 'dr-house',
      scopes: ['imagesets:read', 'imagesets:write'],
      method: 'jwt',
    });
  });

  it('reads headers from a Map-like header object such as Apollo HeaderMap', async () => {
    const jwt = await token(acmeKeys, {}, { kid: 'acme-1' });
    const headers = new Map([['authorization', `Bearer ${jwt}`]]);
    await expect(authenticate(headers)).resolves.toMatchObject({ tenantId: 'acme' });
  });

  it('accepts an HS256 token for a tenant configured with a shared secret and reads its scopes claim', async () => {
    const jwt = await token(new TextEncoder().encode(hs256Secret), {
      iss: 'https://idp.globex.test',
      aud: audience,
      permissions: ['imagesets:delete', 'admin:everything'],
    });
    await expect(authenticate(bearer(jwt))).resolves.toMatchObject({
      tenantId: 'globex',
      scopes: ['imagesets:delete'],
    });
  });

  it('accepts a token verified against a remote JWKS URL', async () => {
    const jwt = await token(
      remoteKeys,
      { iss: 'https://idp.umbrella.test', aud: audience },
      { alg: 'ES256', kid: 'remote-1' },
    );
    await expect(authenticate(bearer(jwt))).resolves.toMatchObject({ tenantId: 'umbrella', subject: 'dr-house' });
  });

  it("reports an unreachable identity provider as UPSTREAM_UNAVAILABLE, not as the caller's fault", async () => {
    const jwt = await token(
      remoteKeys,
      { iss: 'https://idp.wayne.test', aud: audience },
      { alg: 'ES256', kid: 'remote-1' },
    );
    const error = await rejection(bearer(jwt));
    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    expect(error.message).toBe('The identity provider could not be reached; retry later.');
  });

  it('rejects an expired token', async () => {
    const expired = Math.floor(Date.now() / 1000) - 120;
    await expectInvalidToken(bearer(await token(acmeKeys, { exp: expired }, { kid: 'acme-1', expiresIn: null })));
  });

  it('rejects a token without exp', async () => {
    await expectInvalidToken(bearer(await token(acmeKeys, {}, { kid: 'acme-1', expiresIn: null })));
  });

  it('rejects a token without sub', async () => {
    await expectInvalidToken(bearer(await token(acmeKeys, { sub: undefined }, { kid: 'acme-1' })));
  });

  it('rejects a token for another audience', async () => {
    await expectInvalidToken(bearer(await token(acmeKeys, { aud: 'some-other-api' }, { kid: 'acme-1' })));
  });

  it('rejects a token from an unknown issuer', async () => {
    await expectInvalidToken(bearer(await token(acmeKeys, { iss: 'https://evil.test' }, { kid: 'acme-1' })));
  });

  it('rejects a token whose nbf is in the future', async () => {
    const nbf = Math.floor(Date.now() / 1000) + 600;
    await expectInvalidToken(bearer(await token(acmeKeys, { nbf }, { kid: 'acme-1' })));
  });

  it('rejects a token signed by a key outside the tenant JWKS', async () => {
    await expectInvalidToken(bearer(await token(strangerKeys, {}, { kid: 'acme-1' })));
  });

  it('rejects an unsigned token (alg none)', async () => {
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const unsigned = `${encode({ alg: 'none', typ: 'JWT' })}.${encode({ iss: acmeIssuer, aud: audience, sub: 'x', exp: now + 300, scope: 'imagesets:delete' })}.`;
    await expectInvalidToken(bearer(unsigned));
  });

  it("rejects an HS256 token keyed with the RS256 tenant's public key (algorithm confusion)", async () => {
    const publicPem = await exportSPKI(acmeKeys.publicKey);
    const forged = await token(
      new TextEncoder().encode(publicPem),
      { scope: 'imagesets:delete' },
      { alg: 'HS256', kid: 'acme-1' },
    );
    await expectInvalidToken(bearer(forged));
  });

  it('rejects a tampered payload', async () => {
    const [header, , signature] = (await token(acmeKeys, {}, { kid: 'acme-1' })).split('.');
    const payload = Buffer.from(
      JSON.stringify({
        iss: acmeIssuer,
        aud: audience,
        sub: 'dr-house',
        exp: Math.floor(Date.now() / 1000) + 300,
        scope: 'imagesets:delete',
      }),
    ).toString('base64url');
    await expectInvalidToken(bearer(`${header}.${payload}.${signature}`));
  });

  it('selects the tenant named by the tenant claim when tenants share an issuer', async () => {
    const secret = new TextEncoder().encode(hs256Secret);
    await expect(authenticate(bearer(await token(secret, { iss: sharedIssuer, tid: 'hooli' })))).resolves.toMatchObject(
      { tenantId: 'hooli' },
    );
    await expect(
      authenticate(bearer(await token(secret, { iss: sharedIssuer, tid: 'initech' }))),
    ).resolves.toMatchObject({ tenantId: 'initech' });
  });

  it('rejects a token whose tenant claim names no tenant of its issuer', async () => {
    const secret = new TextEncoder().encode(hs256Secret);
    await expectInvalidToken(bearer(await token(secret, { iss: sharedIssuer, tid: 'acme' })));
    await expectInvalidToken(bearer(await token(secret, { iss: sharedIssuer })));
  });

  it('rejects authorization headers that are not a bearer JWT', async () => {
    await expectInvalidToken({ authorization: 'Basic YWxhZGRpbjpvcGVuc2VzYW1l' });
    await expectInvalidToken({ authorization: 'Bearer not-a-jwt' });
    await expectInvalidToken({ authorization: `Bearer ${'a'.repeat(9000)}.b.c` });
  });
});

describe('createAuthenticator with API keys', () => {
  it('accepts a known key and uses the key id as the subject', async () => {
    await expect(authenticate({ 'x-api-key': globexApiKey })).resolves.toEqual({
      tenantId: 'globex',
      subject: 'globex-partner',
      scopes: ['imagesets:read', 'imagesets:write'],
      method: 'api-key',
    });
  });

  it('rejects an unknown key with a generic message', async () => {
    const error = await rejection({ 'x-api-key': `${acmeApiKey}x` });
    expect(error).toBeInstanceOf(UnauthenticatedError);
    expect(error.message).toBe('Invalid API key.');
  });

  it('rejects an empty or oversized key', async () => {
    expect(await rejection({ 'x-api-key': '' })).toBeInstanceOf(UnauthenticatedError);
    expect(await rejection({ 'x-api-key': 'k'.repeat(600) })).toBeInstanceOf(UnauthenticatedError);
  });

  it('compares against every stored key in constant time, with no early exit on a match', async () => {
    // The module object itself (not an ES namespace copy), the one authenticate.ts calls through.
    const nodeCrypto: typeof import('node:crypto') = jest.requireActual('node:crypto');
    const spy = jest.spyOn(nodeCrypto, 'timingSafeEqual');
    try {
      const stored = registry.apiKeys().length;
      expect(stored).toBe(2);
      await authenticate({ 'x-api-key': acmeApiKey });
      expect(spy).toHaveBeenCalledTimes(stored);
      spy.mockClear();
      await rejection({ 'x-api-key': 'unknown-key' });
      expect(spy).toHaveBeenCalledTimes(stored);
    } finally {
      spy.mockRestore();
    }
  });

  it('rejects a request that sends both a bearer token and an API key', async () => {
    const jwt = await token(acmeKeys, {}, { kid: 'acme-1' });
    const error = await rejection({ authorization: `Bearer ${jwt}`, 'x-api-key': acmeApiKey });
    expect(error).toBeInstanceOf(UnauthenticatedError);
  });

  it('hashes keys the way the tenants file stores them', () => {
    expect(hashApiKey('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('scopesFromClaim', () => {
  it('reads space-separated strings and arrays, keeping only known scopes once', () => {
    expect(scopesFromClaim('openid imagesets:read  imagesets:read imagesets:write')).toEqual([
      'imagesets:read',
      'imagesets:write',
    ]);
    expect(scopesFromClaim(['imagesets:delete', 42, 'profile'])).toEqual(['imagesets:delete']);
    expect(scopesFromClaim(undefined)).toEqual([]);
    expect(scopesFromClaim({ 'imagesets:read': true })).toEqual([]);
  });
});
