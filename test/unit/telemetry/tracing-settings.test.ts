import { ConfigError, describeConfig, loadConfig } from '../../../src/config';

const base = {
  GATEWAY_ENV: 'test',
  CURSOR_SECRET: 'tracing-settings-secret-0123456789abcdef',
  TENANTS_FILE: '/etc/t.json',
};
const tracingOf = (env: Record<string, string>) => loadConfig({ ...base, ...env }).tracing;
const issuesOf = (env: Record<string, string>): readonly string[] => {
  try {
    loadConfig({ ...base, ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  return [];
};

describe('tracing settings from OTEL_* variables', () => {
  it('are off by default, and describe themselves as off', () => {
    const config = loadConfig(base);
    expect(config.tracing.enabled).toBe(false);
    expect(describeConfig(config).tracing).toBe('off');
  });

  it('turn on with OTEL_TRACES_EXPORTER=otlp, sending to the default local collector', () => {
    expect(tracingOf({ OTEL_TRACES_EXPORTER: 'otlp' })).toMatchObject({
      enabled: true,
      url: 'http://localhost:4318/v1/traces',
      serviceName: 'healthimaging-gateway',
      sampler: 'parentbased_always_on',
    });
  });

  it('turn on with an endpoint: the general one gets /v1/traces, the traces one is used as it is', () => {
    expect(tracingOf({ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otel.example.com:4318/' })).toMatchObject({
      enabled: true,
      url: 'https://otel.example.com:4318/v1/traces',
    });
    expect(
      tracingOf({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otel.example.com',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://traces.example.com/custom/path',
      }).url,
    ).toBe('https://traces.example.com/custom/path');
  });

  it('stay off when OTEL_TRACES_EXPORTER=none or OTEL_SDK_DISABLED=true, whatever the endpoint', () => {
    expect(tracingOf({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' }).enabled).toBe(
      false,
    );
    expect(tracingOf({ OTEL_SDK_DISABLED: 'true', OTEL_TRACES_EXPORTER: 'otlp' }).enabled).toBe(false);
  });

  it('read headers, timeout, service name, resource attributes, sampler and batch sizes', () => {
    const tracing = tracingOf({
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_HEADERS: 'api-key=general,x-team=imaging',
      OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'api-key=s%3Dcret',
      OTEL_EXPORTER_OTLP_TIMEOUT: '2500',
      OTEL_SERVICE_NAME: 'gateway-eu',
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=prod,service.namespace=imaging',
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.25',
      OTEL_BSP_SCHEDULE_DELAY: '1000',
      OTEL_BSP_MAX_QUEUE_SIZE: '4096',
      OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '256',
    });
    expect(tracing).toMatchObject({
      headers: { 'api-key': 's=cret', 'x-team': 'imaging' },
      timeoutMillis: 2500,
      serviceName: 'gateway-eu',
      resourceAttributes: { 'deployment.environment.name': 'prod', 'service.namespace': 'imaging' },
      sampler: 'parentbased_traceidratio',
      samplerRatio: 0.25,
      batch: { scheduledDelayMillis: 1000, maxQueueSize: 4096, maxExportBatchSize: 256, exportTimeoutMillis: 30_000 },
    });
  });

  it('never put the exporter headers into the start-up description', () => {
    const config = loadConfig({
      ...base,
      OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otel.example.com/?token=q-secret',
      OTEL_EXPORTER_OTLP_HEADERS: 'api-key=h-secret',
    });
    expect(describeConfig(config).tracing).toBe(
      'otlp https://otel.example.com/v1/traces sampler=parentbased_always_on',
    );
    expect(JSON.stringify(describeConfig(config))).not.toMatch(/secret/);
  });

  it('fail fast on values the gateway cannot honour, without echoing header values', () => {
    const issues = issuesOf({
      OTEL_TRACES_EXPORTER: 'zipkin',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'ftp://collector',
      OTEL_EXPORTER_OTLP_HEADERS: 'no-equals-h-secret',
      OTEL_TRACES_SAMPLER: 'sometimes',
      OTEL_TRACES_SAMPLER_ARG: '2',
      OTEL_BSP_MAX_QUEUE_SIZE: '10',
      OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '20',
    });
    expect(issues).toEqual([
      expect.stringContaining('OTEL_TRACES_EXPORTER must be otlp or none'),
      expect.stringContaining('OTEL_EXPORTER_OTLP_ENDPOINT must be an http(s) URL'),
      expect.stringContaining('OTEL_EXPORTER_OTLP_PROTOCOL must be http/json or http/protobuf'),
      expect.stringContaining('OTEL_EXPORTER_OTLP_HEADERS must be a list of key=value pairs'),
      expect.stringContaining('OTEL_TRACES_SAMPLER must be one of'),
      expect.stringContaining('OTEL_BSP_MAX_EXPORT_BATCH_SIZE must not exceed OTEL_BSP_MAX_QUEUE_SIZE'),
    ]);
    expect(issues.join('\n')).not.toContain('h-secret');
    expect(issuesOf({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '2' })).toEqual([
      expect.stringContaining('OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1'),
    ]);
  });
});
