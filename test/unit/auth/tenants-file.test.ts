import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPair, exportJWK } from 'jose';
import { ConfigError } from '../../../src/config';
import { loadTenants, parseTenants } from '../../../src/tenants/tenants-file';
import {
  acmeApiKey,
  acmeDatastoreId,
  acmeTenantJson,
  globexTenantJson,
  hs256Secret,
  sha256Hex,
} from './tenant-fixtures';

function issuesOf(json: unknown, env: Record<string, string | undefined> = {}): readonly string[] {
  try {
    parseTenants(json, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).issues;
  }
  throw new Error('parseTenants accepted an invalid file');
}

const withUpstream = (upstream: Record<string, unknown>) =>
  acmeTenantJson({ upstream: { region: 'us-east-1', ...upstream } });
const withJwt = (jwt: Record<string, unknown>) => acmeTenantJson({ jwt });

describe('parseTenants', () => {
  it('fills upstream and JWT defaults', () => {
    const acme = parseTenants({ tenants: [acmeTenantJson()] }, {}).byId('acme')!;
    expect(acme.upstream).toEqual({
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:4566',
      credentials: { type: 'default' },
      maxConcurrency: 50,
      connectionTimeoutMs: 2000,
      requestTimeoutMs: 10000,
      maxReadAttempts: 3,
    });
    expect(acme.jwt).toEqual({
      issuer: 'https://idp.acme.test',
      audience: 'healthimaging-gateway',
      hs256Secret,
      algorithms: ['HS256'],
      scopesClaim: 'scope',
      maxTokenLifetimeSeconds: 86400,
    });
  });

  it('returns deeply frozen tenants', () => {
    const acme = parseTenants({ tenants: [acmeTenantJson()] }, {}).byId('acme')!;
    expect(Object.isFrozen(acme)).toBe(true);
    expect(Object.isFrozen(acme.upstream.credentials)).toBe(true);
    expect(Object.isFrozen(acme.datastoreIds)).toBe(true);
  });

  it('indexes tenants by id, issuer and API key hash', () => {
    const registry = parseTenants({ tenants: [acmeTenantJson(), globexTenantJson()] }, {});
    expect(registry.all().map((tenant) => tenant.id)).toEqual(['acme', 'globex']);
    expect(registry.byIssuer('https://idp.acme.test').map((tenant) => tenant.id)).toEqual(['acme']);
    expect(registry.byIssuer('https://unknown.test')).toEqual([]);
    expect(registry.byApiKeyHash(sha256Hex(acmeApiKey))?.tenant.id).toBe('acme');
    expect(registry.byApiKeyHash(sha256Hex('nope'))).toBeUndefined();
    expect(registry.byId('nobody')).toBeUndefined();
  });

  it('resolves static credentials from the named environment variables', () => {
    const json = {
      tenants: [
        withUpstream({
          credentials: {
            type: 'static',
            accessKeyIdEnv: 'ACME_KEY',
            secretAccessKeyEnv: 'ACME_SECRET',
            sessionTokenEnv: 'ACME_TOKEN',
          },
        }),
      ],
    };
    const acme = parseTenants(json, { ACME_KEY: 'AKIAEXAMPLE', ACME_SECRET: 's3cret', ACME_TOKEN: 'tok' }).byId(
      'acme',
    )!;
    expect(acme.upstream.resolvedStaticCredentials).toEqual({
      accessKeyId: 'AKIAEXAMPLE',
      secretAccessKey: 's3cret',
      sessionToken: 'tok',
    });
  });

  it('names the field path of an unset credential variable', () => {
    const json = {
      tenants: [
        globexTenantJson(),
        withUpstream({
          credentials: { type: 'static', accessKeyIdEnv: 'ACME_KEY', secretAccessKeyEnv: 'ACME_SECRET' },
        }),
      ],
    };
    expect(issuesOf(json, { ACME_SECRET: 'set' })).toEqual([
      'tenants[1].upstream.credentials.accessKeyIdEnv: environment variable ACME_KEY is not set',
    ]);
  });

  it('accepts an assumeRole credential with its optional fields', () => {
    const credentials = {
      type: 'assumeRole',
      roleArn: 'arn:aws:iam::123456789012:role/gateway-acme',
      externalId: 'acme-ext-1',
      sessionName: 'gw',
    };
    const acme = parseTenants({ tenants: [withUpstream({ credentials })] }, {}).byId('acme')!;
    expect(acme.upstream.credentials).toEqual(credentials);
  });

  it('reports every invalid field of a tenant with its path', () => {
    const json = {
      tenants: [
        {
          id: 'Acme Corp',
          name: '',
          datastoreIds: ['not-a-datastore-id', acmeDatastoreId, acmeDatastoreId],
          upstream: {
            region: 'moon-base',
            endpoint: 'ftp://example.org',
            credentials: { type: 'assumeRole', roleArn: 'arn:aws:s3:::bucket' },
            maxConcurrency: 0,
            requestTimeoutMs: 'slow',
            retries: 3,
          },
          apiKeys: [{ id: 'k', sha256: 'abc', scopes: ['imagesets:admin'] }],
        },
      ],
    };
    expect(issuesOf(json)).toEqual([
      'tenants[0].id: must be 1-64 lowercase letters, digits or inner hyphens (got "Acme Corp")',
      'tenants[0].name: must not be empty',
      'tenants[0].datastoreIds[0]: must be a data store id of 32 lowercase letters or digits (got "not-a-datastore-id")',
      `tenants[0].datastoreIds[2]: duplicates data store ${acmeDatastoreId}`,
      'tenants[0].upstream.retries: unknown field (allowed: region, endpoint, credentials, maxConcurrency, connectionTimeoutMs, requestTimeoutMs, maxReadAttempts, quotaWeight, quotaAccount)',
      'tenants[0].upstream.region: must be an AWS region like us-east-1 (got "moon-base")',
      'tenants[0].upstream.endpoint: must use http or https',
      'tenants[0].upstream.credentials.roleArn: must be an IAM role ARN like arn:aws:iam::123456789012:role/name (got "arn:aws:s3:::bucket")',
      'tenants[0].upstream.maxConcurrency: must be an integer from 1 to 64 (got 0)',
      'tenants[0].upstream.requestTimeoutMs: must be an integer from 1 to 300000 (got "slow")',
      'tenants[0].apiKeys[0].sha256: must be the key\'s SHA-256 as 64 hex digits (e.g. `printf %s "$KEY" | sha256sum`) (got "abc")',
      'tenants[0].apiKeys[0].scopes[0]: unknown scope "imagesets:admin" (known: imagesets:read, imagesets:write, imagesets:delete, phi:read, audit:read)',
    ]);
  });

  it('refuses an HS256 secret where development-only key sources are not allowed', () => {
    expect(
      parseTenants({ tenants: [acmeTenantJson()] }, {}, { allowHs256Secret: true }).byId('acme')!.jwt!.hs256Secret,
    ).toBe(hs256Secret);
    let issues: readonly string[] = [];
    try {
      parseTenants({ tenants: [acmeTenantJson()] }, {}, { allowHs256Secret: false });
    } catch (error) {
      issues = (error as ConfigError).issues;
    }
    expect(issues).toEqual([
      'tenants[0].jwt.hs256Secret: is for development only; in production verify tokens with jwksUrl or jwksFile',
    ]);
  });

  describe('deployment-wide upstream defaults (AWS_REGION, HEALTHIMAGING_ENDPOINT)', () => {
    const defaults = { region: 'eu-central-1', endpoint: 'http://127.0.0.1:4500' };
    const bare = (upstream: Record<string, unknown>) =>
      acmeTenantJson({ upstream: { credentials: { type: 'default' }, ...upstream } });

    it('fills region and endpoint for a tenant that omits them', () => {
      const acme = parseTenants({ tenants: [bare({})] }, {}, { upstreamDefaults: defaults }).byId('acme')!;
      expect(acme.upstream).toMatchObject({ region: 'eu-central-1', endpoint: 'http://127.0.0.1:4500' });
    });

    it("keeps a tenant's own region and endpoint over the defaults", () => {
      const acme = parseTenants(
        { tenants: [bare({ region: 'us-west-2', endpoint: 'https://vpce.example.test' })] },
        {},
        { upstreamDefaults: defaults },
      ).byId('acme')!;
      expect(acme.upstream).toMatchObject({ region: 'us-west-2', endpoint: 'https://vpce.example.test' });
    });

    it('leaves the endpoint unset (the public AWS endpoint) when neither the tenant nor the deployment names one', () => {
      const acme = parseTenants({ tenants: [bare({})] }, {}, { upstreamDefaults: { region: 'eu-central-1' } }).byId(
        'acme',
      )!;
      expect(acme.upstream.region).toBe('eu-central-1');
      expect(acme.upstream).not.toHaveProperty('endpoint');
    });

    it('names AWS_REGION in the error for a tenant without a region when none is configured', () => {
      expect(issuesOf({ tenants: [bare({ endpoint: 'http://127.0.0.1:4500' })] })).toEqual([
        'tenants[0].upstream.region: is required (or set AWS_REGION as the region of every tenant that omits it)',
      ]);
    });

    it('applies the defaults when loading a tenants file from disk', () => {
      const dir = mkdtempSync(join(tmpdir(), 'tenants-defaults-'));
      try {
        const file = join(dir, 'tenants.json');
        writeFileSync(file, JSON.stringify({ tenants: [bare({})] }));
        expect(loadTenants(file, {}, { upstreamDefaults: defaults }).byId('acme')!.upstream.endpoint).toBe(
          'http://127.0.0.1:4500',
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  it('refuses a missing or empty tenants list', () => {
    expect(issuesOf({})).toEqual(['tenants: must be an array (got nothing)']);
    expect(issuesOf({ tenants: [] })).toEqual(['tenants: must have at least 1 item']);
    expect(issuesOf([])).toEqual(['(root): must be an object (got an array)']);
  });

  it('refuses a tenant nobody could authenticate as', () => {
    expect(issuesOf({ tenants: [acmeTenantJson({ jwt: undefined, apiKeys: [] })] })).toEqual([
      'tenants[0]: needs "jwt" or at least one entry in "apiKeys" (otherwise no caller can reach this tenant)',
    ]);
  });

  it('refuses an unknown credentials type', () => {
    expect(issuesOf({ tenants: [withUpstream({ credentials: { type: 'instance' } })] })).toEqual([
      'tenants[0].upstream.credentials.type: must be one of default, static, assumeRole (got "instance")',
    ]);
  });

  it('requires exactly one JWT key source', () => {
    const base = { issuer: 'https://idp.acme.test', audience: 'gw' };
    expect(issuesOf({ tenants: [withJwt(base)] })).toEqual([
      'tenants[0].jwt: needs exactly one key source of jwksUrl, jwksFile, hs256Secret (got none)',
    ]);
    expect(issuesOf({ tenants: [withJwt({ ...base, hs256Secret, jwksUrl: 'https://idp.acme.test/jwks' })] })).toEqual([
      'tenants[0].jwt: needs exactly one key source of jwksUrl, jwksFile, hs256Secret (got jwksUrl, hs256Secret)',
    ]);
  });

  it('never accepts alg none, nor mixes HMAC with asymmetric algorithms', () => {
    const base = { issuer: 'https://idp.acme.test', audience: 'gw' };
    expect(issuesOf({ tenants: [withJwt({ ...base, hs256Secret, algorithms: ['HS256', 'RS256', 'none'] })] })).toEqual([
      'tenants[0].jwt.algorithms[1]: "RS256" is not allowed with hs256Secret (only HS256)',
      'tenants[0].jwt.algorithms[2]: "none" is never accepted (unsigned tokens)',
    ]);
    expect(
      issuesOf({
        tenants: [withJwt({ ...base, jwksUrl: 'https://idp.acme.test/jwks', algorithms: ['RS256', 'HS256'] })],
      }),
    ).toEqual([
      'tenants[0].jwt.algorithms[1]: "HS256" is not allowed with a JWKS key source (allowed: RS256, RS384, RS512, PS256, ES256, ES384, EdDSA)',
    ]);
  });

  it('refuses a short HS256 secret without echoing it', () => {
    const issues = issuesOf({
      tenants: [withJwt({ issuer: 'https://i', audience: 'gw', hs256Secret: 'short-secret' })],
    });
    expect(issues).toEqual(['tenants[0].jwt.hs256Secret: must be at least 32 characters']);
  });

  it('accepts plain-http JWKS URLs only on loopback', () => {
    const base = { issuer: 'https://idp.acme.test', audience: 'gw' };
    expect(() =>
      parseTenants({ tenants: [withJwt({ ...base, jwksUrl: 'http://localhost:8080/jwks' })] }, {}),
    ).not.toThrow();
    expect(issuesOf({ tenants: [withJwt({ ...base, jwksUrl: 'http://idp.acme.test/jwks' })] })).toEqual([
      'tenants[0].jwt.jwksUrl: must be an https URL (http is accepted only for localhost)',
    ]);
  });

  it('rejects duplicate tenant ids and API key hashes across tenants', () => {
    const duplicateKey = [{ id: 'copy', sha256: sha256Hex(acmeApiKey), scopes: ['imagesets:read'] }];
    expect(
      issuesOf({
        tenants: [acmeTenantJson(), acmeTenantJson({ jwt: undefined }), globexTenantJson({ apiKeys: duplicateKey })],
      }),
    ).toEqual([
      'tenants[1].id: duplicates the id of tenants[0] (acme)',
      'tenants[1].apiKeys[0].sha256: the same key hash is already used by tenants[0].apiKeys[0]',
      'tenants[2].apiKeys[0].sha256: the same key hash is already used by tenants[0].apiKeys[0]',
    ]);
  });

  it('requires a tenant claim on every tenant that shares an issuer', () => {
    const jwt = { issuer: 'https://shared-idp.test', audience: 'gw', hs256Secret };
    expect(
      issuesOf({ tenants: [acmeTenantJson({ jwt: { ...jwt, tenantClaim: 'tid' } }), globexTenantJson({ jwt })] }),
    ).toEqual([
      'tenants[1].jwt.tenantClaim: is required because issuer "https://shared-idp.test" is shared by tenants[0], tenants[1]',
    ]);
  });

  it('rejects duplicate API key ids within a tenant', () => {
    const apiKeys = [
      { id: 'same', sha256: sha256Hex('one'), scopes: ['imagesets:read'] },
      { id: 'same', sha256: sha256Hex('two'), scopes: ['imagesets:read'] },
    ];
    expect(issuesOf({ tenants: [acmeTenantJson({ apiKeys })] })).toEqual([
      'tenants[0].apiKeys[1].id: duplicates API key id same',
    ]);
  });
});

describe('loadTenants', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tenants-file-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('resolves a relative jwksFile against the tenants file and checks its keys', async () => {
    const { publicKey } = await generateKeyPair('ES256', { extractable: true });
    writeFileSync(
      join(dir, 'acme-jwks.json'),
      JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k1' }] }),
    );
    const file = join(dir, 'tenants.json');
    writeFileSync(
      file,
      JSON.stringify({
        tenants: [withJwt({ issuer: 'https://idp.acme.test', audience: 'gw', jwksFile: 'acme-jwks.json' })],
      }),
    );
    expect(loadTenants(file, {}).byId('acme')!.jwt!.jwksFile).toBe(join(dir, 'acme-jwks.json'));
  });

  it('refuses a JWKS file that holds a private key', async () => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    writeFileSync(join(dir, 'leaky.json'), JSON.stringify({ keys: [await exportJWK(privateKey)] }));
    const file = join(dir, 'tenants.json');
    writeFileSync(
      file,
      JSON.stringify({ tenants: [withJwt({ issuer: 'https://i', audience: 'gw', jwksFile: 'leaky.json' })] }),
    );
    expect(() => loadTenants(file, {})).toThrow(
      /tenants\[0\]\.jwt\.jwksFile: JWKS .*leaky\.json: keys\[0\] contains private key material \("d"\)/,
    );
  });

  it('names the file when it is missing or not JSON, without quoting its content', () => {
    expect(() => loadTenants(join(dir, 'absent.json'), {})).toThrow(
      /TENANTS_FILE: cannot read .*absent\.json \(ENOENT\)/,
    );
    const file = join(dir, 'broken.json');
    writeFileSync(file, `{ "tenants": [ { "hs256Secret": "${hs256Secret}" `);
    expect(() => loadTenants(file, {})).toThrow(ConfigError);
    try {
      loadTenants(file, {});
    } catch (error) {
      expect((error as Error).message).toContain('is not valid JSON');
      expect((error as Error).message).not.toContain(hs256Secret);
    }
  });
});
