import { ConfigError, describeConfig, gatewayEnvironmentOf, loadConfig } from '../../../src/config';

const production = {
  NODE_ENV: 'production',
  TENANTS_FILE: '/etc/gateway/tenants.json',
  CURSOR_SECRET: 'k3Y-for-tests_0123456789abcdefghijKLMNOP',
};
const development = { NODE_ENV: 'development' };

function issuesOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).issues;
  }
  throw new Error('loadConfig accepted an invalid environment');
}

describe('loadConfig: the explorers', () => {
  it('serves /explorer in development only, unless EXPLORER says otherwise', () => {
    expect(loadConfig(development).explorer).toBe(true);
    expect(loadConfig(production).explorer).toBe(false);
    expect(loadConfig({ ...production, EXPLORER: 'on' }).explorer).toBe(true);
    expect(loadConfig({ ...development, EXPLORER: 'off' }).explorer).toBe(false);
    expect(issuesOf({ ...production, EXPLORER: 'yes' })).toEqual(['EXPLORER must be one of on, off (got "yes")']);
  });

  it('reads the default headers and variables as JSON objects, and never logs a header value', () => {
    const config = loadConfig({
      ...development,
      EXPLORER_DEFAULT_HEADERS: '{"Authorization": "Bearer secret-token"}',
      EXPLORER_DEFAULT_VARIABLES: '{"ds": "0123456789abcdef0123456789abcdef"}',
    });
    expect(config.explorerDefaultHeaders).toEqual({ Authorization: 'Bearer secret-token' });
    expect(config.explorerDefaultVariables).toEqual({ ds: '0123456789abcdef0123456789abcdef' });
    const described = describeConfig(config);
    expect(JSON.stringify(described)).not.toContain('secret-token');
    expect(described.explorerDefaultHeaders).toEqual(['Authorization']);
  });

  it('refuses default headers outside development, and values that are not JSON objects of strings', () => {
    expect(issuesOf({ ...production, EXPLORER: 'on', EXPLORER_DEFAULT_HEADERS: '{"x-api-key": "k"}' })).toEqual([
      'EXPLORER_DEFAULT_HEADERS is for development only: the page would hand its credential to anyone',
    ]);
    expect(
      issuesOf({ ...development, EXPLORER_DEFAULT_HEADERS: '{"x-api-key": 1}', EXPLORER_DEFAULT_VARIABLES: '[1]' }),
    ).toEqual([
      'EXPLORER_DEFAULT_HEADERS must map header names to string values',
      'EXPLORER_DEFAULT_VARIABLES must be a JSON object',
    ]);
    // The value is not echoed: it may be a credential.
    expect(issuesOf({ ...development, EXPLORER_DEFAULT_HEADERS: 'Bearer abc' })).toEqual([
      'EXPLORER_DEFAULT_HEADERS must be a JSON object',
    ]);
  });

  it('tells a launcher which environment a gateway will run in', () => {
    expect(gatewayEnvironmentOf({})).toBe('production');
    expect(gatewayEnvironmentOf({ NODE_ENV: 'development' })).toBe('development');
    expect(gatewayEnvironmentOf({ NODE_ENV: 'development', GATEWAY_ENV: 'test' })).toBe('test');
  });
});
