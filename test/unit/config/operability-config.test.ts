import { ConfigError, describeConfig, loadConfig } from '../../../src/config';

const env = {
  NODE_ENV: 'production',
  TENANTS_FILE: '/etc/gateway/tenants.json',
  CURSOR_SECRET: 'k3Y-for-tests_0123456789abcdefghijKLMNOP',
};

function issuesOf(extra: Record<string, string>): readonly string[] {
  try {
    loadConfig({ ...env, ...extra });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).issues;
  }
  throw new Error('loadConfig accepted an invalid environment');
}

describe('loadConfig: metrics listener and shutdown drain', () => {
  it('has no metrics listener, a loopback metrics host and a 10 s drain by default', () => {
    const config = loadConfig(env);
    expect(config.metricsPort).toBeUndefined();
    expect(config).toMatchObject({ metricsHost: '127.0.0.1', shutdownDrainMs: 10_000 });
  });

  it('reads METRICS_PORT, METRICS_HOST and SHUTDOWN_DRAIN_MS', () => {
    expect(loadConfig({ ...env, METRICS_PORT: '9464', METRICS_HOST: '0.0.0.0', SHUTDOWN_DRAIN_MS: '0' })).toMatchObject(
      {
        metricsPort: 9464,
        metricsHost: '0.0.0.0',
        shutdownDrainMs: 0,
      },
    );
  });

  it('refuses a metrics port equal to the API port, and values out of range', () => {
    expect(issuesOf({ PORT: '8080', METRICS_PORT: '8080' })).toEqual([
      "METRICS_PORT must differ from PORT (both 8080): metrics are never served on the API's listener",
    ]);
    expect(issuesOf({ METRICS_PORT: '70000', METRICS_HOST: 'not a host', SHUTDOWN_DRAIN_MS: '-1' })).toEqual([
      'METRICS_PORT must be an integer from 0 to 65535 (got "70000")',
      'METRICS_HOST must be a host name or IP address (got "not a host")',
      'SHUTDOWN_DRAIN_MS must be an integer from 0 to 600000 (got "-1")',
    ]);
  });

  it('logs the new settings at start-up', () => {
    expect(describeConfig(loadConfig({ ...env, METRICS_PORT: '9464' }))).toMatchObject({
      metricsPort: 9464,
      metricsHost: '127.0.0.1',
      shutdownDrainMs: 10_000,
    });
  });
});
