import {
  APOLLO_SANDBOX_ORIGIN,
  ConfigError,
  describeConfig,
  loadConfig,
  upstreamDefaultsOf,
} from '../../../src/config';
import { DEFAULT_OPERATION_LIMITS } from '../../../src/limits/operation-limits';

const productionSecret = 'k3Y-for-tests_0123456789abcdefghijKLMNOP';
const productionEnv = {
  NODE_ENV: 'production',
  TENANTS_FILE: '/etc/gateway/tenants.json',
  CURSOR_SECRET: productionSecret,
};

function issuesOf(env: Record<string, string | undefined>): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).issues;
  }
  throw new Error('loadConfig accepted an invalid environment');
}

describe('loadConfig', () => {
  it('applies safe defaults in production: loopback, port 4000, no CORS, no sandbox, no introspection', () => {
    const config = loadConfig(productionEnv);
    expect(config).toMatchObject({
      environment: 'production',
      host: '127.0.0.1',
      port: 4000,
      tenantsFile: '/etc/gateway/tenants.json',
      cursorSecret: productionSecret,
      cursorSecretGenerated: false,
      cursorTtlSeconds: 3600,
      corsOrigins: [],
      landingPage: false,
      introspection: false,
      operationLimits: DEFAULT_OPERATION_LIMITS,
      requestDeadlineMs: 30_000,
      maxMetadataBytesInFlight: 512 * 1024 * 1024,
      auditSqliteFile: expect.stringMatching(/\.data\/audit\/audit\.sqlite$/),
      logLevel: 'info',
    });
  });

  it('treats an unset environment name as production, the side that requires secrets', () => {
    expect(issuesOf({})).toEqual([
      'TENANTS_FILE is required outside development',
      'CURSOR_SECRET is required outside development (at least 32 characters)',
    ]);
  });

  it('enables the sandbox, introspection and the Apollo Sandbox origin in development only', () => {
    const config = loadConfig({ GATEWAY_ENV: 'development' });
    expect(config.landingPage).toBe(true);
    expect(config.introspection).toBe(true);
    expect(config.corsOrigins).toEqual([APOLLO_SANDBOX_ORIGIN]);
    expect(config.corsOrigins).not.toContain('*');
  });

  it('generates a throwaway cursor secret in development when none is set', () => {
    const first = loadConfig({ GATEWAY_ENV: 'development' });
    const second = loadConfig({ GATEWAY_ENV: 'development' });
    expect(first.cursorSecretGenerated).toBe(true);
    expect(first.cursorSecret.length).toBeGreaterThanOrEqual(32);
    expect(first.cursorSecret).not.toBe(second.cursorSecret);
  });

  it('lets GATEWAY_ENV override NODE_ENV', () => {
    expect(loadConfig({ NODE_ENV: 'production', GATEWAY_ENV: 'development' }).environment).toBe('development');
  });

  it('returns a frozen object whose lists are frozen too', () => {
    const config = loadConfig(productionEnv);
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.corsOrigins)).toBe(true);
  });

  it('reads every documented variable', () => {
    const config = loadConfig({
      ...productionEnv,
      PORT: '0',
      HOST: '0.0.0.0',
      CORS_ORIGINS: 'https://viewer.example.org, http://localhost:3000',
      HEALTHIMAGING_ENDPOINT: 'http://127.0.0.1:4566',
      AWS_REGION: 'eu-west-2',
      MAX_QUERY_DEPTH: '8',
      MAX_QUERY_COST: '500',
      MAX_QUERY_TOKENS: '1000',
      MAX_QUERY_ALIASES: '3',
      MAX_QUERY_ROOT_FIELDS: '4',
      MAX_QUERY_DIRECTIVES: '5',
      MAX_QUERY_FIELD_REPETITION: '1',
      MAX_MUTATIONS_PER_OPERATION: '2',
      REQUEST_DEADLINE_MS: '5000',
      LOG_LEVEL: 'warn',
      CURSOR_TTL_SECONDS: '600',
    });
    expect(config).toMatchObject({
      port: 0,
      host: '0.0.0.0',
      corsOrigins: ['https://viewer.example.org', 'http://localhost:3000'],
      healthImagingEndpoint: 'http://127.0.0.1:4566',
      awsRegion: 'eu-west-2',
      operationLimits: {
        tokens: 1000,
        depth: 8,
        aliases: 3,
        rootFields: 4,
        directives: 5,
        fieldRepetition: 1,
        mutations: 2,
        cost: 500,
      },
      requestDeadlineMs: 5000,
      logLevel: 'warn',
      cursorTtlSeconds: 600,
    });
  });

  it('hands HEALTHIMAGING_ENDPOINT and AWS_REGION to the tenants file as upstream defaults', () => {
    expect(
      upstreamDefaultsOf(
        loadConfig({ ...productionEnv, HEALTHIMAGING_ENDPOINT: 'http://127.0.0.1:4566', AWS_REGION: 'eu-west-2' }),
      ),
    ).toEqual({
      endpoint: 'http://127.0.0.1:4566',
      region: 'eu-west-2',
    });
    expect(upstreamDefaultsOf(loadConfig(productionEnv))).toEqual({});
  });

  it('resolves a relative TENANTS_FILE against the working directory', () => {
    expect(loadConfig({ ...productionEnv, TENANTS_FILE: 'config/tenants.json' }).tenantsFile).toBe(
      `${process.cwd()}/config/tenants.json`,
    );
  });

  it('names each invalid variable and reports all of them at once', () => {
    const issues = issuesOf({
      ...productionEnv,
      PORT: '70000',
      MAX_QUERY_DEPTH: 'deep',
      LOG_LEVEL: 'verbose',
      AWS_REGION: 'mars',
      HEALTHIMAGING_ENDPOINT: 'ftp://example.org',
    });
    expect(issues).toEqual([
      'PORT must be an integer from 0 to 65535 (got "70000")',
      'HEALTHIMAGING_ENDPOINT must be an http(s) URL without credentials, query or fragment (got "ftp://example.org")',
      'AWS_REGION must look like us-east-1 (got "mars")',
      'MAX_QUERY_DEPTH must be an integer from 1 to 100 (got "deep")',
      'LOG_LEVEL must be one of debug, info, warn, error, silent (got "verbose")',
    ]);
  });

  it('puts every issue in the thrown message', () => {
    expect(() => loadConfig({ ...productionEnv, PORT: 'x' })).toThrow(
      /Invalid gateway configuration:\n {2}- PORT must be an integer/,
    );
  });

  it('refuses a short cursor secret without echoing it', () => {
    const issues = issuesOf({ ...productionEnv, CURSOR_SECRET: 'tooShortSecret' });
    expect(issues).toEqual(['CURSOR_SECRET must be at least 32 characters (got 14)']);
    expect(issues.join(' ')).not.toContain('tooShortSecret');
  });

  it('refuses a long but repetitive cursor secret', () => {
    expect(issuesOf({ ...productionEnv, CURSOR_SECRET: 'a'.repeat(40) })).toEqual([
      'CURSOR_SECRET is too repetitive to be a secret (use e.g. `openssl rand -base64 48`)',
    ]);
  });

  it('refuses CORS entries that are not origins, and a wildcard mixed with origins', () => {
    expect(
      issuesOf({ ...productionEnv, CORS_ORIGINS: 'https://ok.example.org,https://bad.example.org/path,*' }),
    ).toEqual([
      'CORS_ORIGINS: "https://bad.example.org/path" is not an origin like https://app.example.com (scheme, host, optional port; no path)',
      'CORS_ORIGINS: "*" must be the only entry when used',
    ]);
  });

  it('accepts a wildcard only when it is set explicitly and alone', () => {
    expect(loadConfig({ ...productionEnv, CORS_ORIGINS: '*' }).corsOrigins).toEqual(['*']);
  });

  it('refuses an unknown environment name', () => {
    expect(issuesOf({ ...productionEnv, GATEWAY_ENV: 'staging' })).toContain(
      'GATEWAY_ENV must be one of development, test, production (got "staging")',
    );
  });

  it('treats blank variables as unset', () => {
    expect(loadConfig({ ...productionEnv, PORT: '  ', HOST: '' })).toMatchObject({ port: 4000, host: '127.0.0.1' });
  });

  it('describes itself for logs without the secret', () => {
    const described = describeConfig(loadConfig(productionEnv));
    expect(JSON.stringify(described)).not.toContain(productionSecret);
    expect(described.cursorSecret).toBe(`[${productionSecret.length} characters]`);
  });
});
