/**
 * Tracing settings from the standard `OTEL_*` variables, read by the config loader (src/config.ts)
 * through `tracingSettingsOf`. Tracing is off unless a variable asks for it: `OTEL_TRACES_EXPORTER=otlp`,
 * or an OTLP endpoint. The OpenTelemetry specification makes `otlp` the default exporter; a
 * gateway in front of patient data must not start sending anything to localhost:4318 because
 * nobody set a variable, so here the default is none.
 */

export const TRACES_SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;
export type TracesSampler = (typeof TRACES_SAMPLERS)[number];

export interface BatchSettings {
  /** OTEL_BSP_SCHEDULE_DELAY */
  readonly scheduledDelayMillis: number;
  /** OTEL_BSP_EXPORT_TIMEOUT */
  readonly exportTimeoutMillis: number;
  /** OTEL_BSP_MAX_QUEUE_SIZE */
  readonly maxQueueSize: number;
  /** OTEL_BSP_MAX_EXPORT_BATCH_SIZE */
  readonly maxExportBatchSize: number;
}

export interface TracingSettings {
  readonly enabled: boolean;
  /** Where spans are POSTed (OTLP over HTTP, JSON), `/v1/traces` included. */
  readonly url: string;
  /** OTEL_EXPORTER_OTLP_(TRACES_)HEADERS: often an API key, so never logged. */
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMillis: number;
  readonly serviceName: string;
  /** OTEL_RESOURCE_ATTRIBUTES, e.g. `deployment.environment.name=prod`. */
  readonly resourceAttributes: Readonly<Record<string, string>>;
  readonly sampler: TracesSampler;
  /** The ratio of the `*traceidratio` samplers, 0 to 1. */
  readonly samplerRatio: number;
  readonly batch: BatchSettings;
}

export const DEFAULT_SERVICE_NAME = 'healthimaging-gateway';
export const DEFAULT_OTLP_BASE_URL = 'http://localhost:4318';
const TRACES_PATH = 'v1/traces';

/** What the config loader lends: its reader of one variable (unset and blank are the same) and its issue list. */
export interface SettingsReader {
  raw(name: string): string | undefined;
  integer(name: string, fallback: number, min: number, max: number): number;
  readonly issues: string[];
}

function truncate(value: string): string {
  return value.length > 40 ? `${value.slice(0, 40)}…` : value;
}

/** `OTEL_TRACES_EXPORTER`: a list, of which only `otlp` and `none` are known here. */
function exporterChoice(reader: SettingsReader): 'otlp' | 'none' | undefined {
  const value = reader.raw('OTEL_TRACES_EXPORTER');
  if (value === undefined) return undefined;
  const entries = value
    .toLowerCase()
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  const unknown = entries.filter((entry) => entry !== 'otlp' && entry !== 'none');
  if (unknown.length > 0) {
    reader.issues.push(`OTEL_TRACES_EXPORTER must be otlp or none (got "${truncate(value)}")`);
    return 'none';
  }
  return entries.includes('otlp') ? 'otlp' : 'none';
}

function endpointUrl(reader: SettingsReader, name: string): URL | undefined {
  const value = reader.raw(name);
  if (value === undefined) return undefined;
  try {
    const url = new URL(value);
    if ((url.protocol === 'http:' || url.protocol === 'https:') && !url.username && !url.password && !url.hash)
      return url;
  } catch {
    // Reported below.
  }
  // Not echoed: a malformed value may still hold a token.
  reader.issues.push(`${name} must be an http(s) URL without credentials or fragment`);
  return undefined;
}

/** The signal's own endpoint is used as it is; the general one gets `/v1/traces` appended. */
function tracesUrl(reader: SettingsReader): { url: string; named: boolean } {
  const own = endpointUrl(reader, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  if (own) return { url: own.href, named: true };
  const base = endpointUrl(reader, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  if (base) {
    base.pathname = `${base.pathname.replace(/\/+$/, '')}/${TRACES_PATH}`;
    return { url: base.href, named: true };
  }
  return { url: `${DEFAULT_OTLP_BASE_URL}/${TRACES_PATH}`, named: false };
}

/** `key1=value1,key2=value2`, values percent-encoded (the W3C Baggage form the specification uses). */
function keyValueList(reader: SettingsReader, name: string): Record<string, string> {
  const value = reader.raw(name);
  const out: Record<string, string> = {};
  if (value === undefined) return out;
  for (const entry of value.split(',')) {
    if (entry.trim() === '') continue;
    const equals = entry.indexOf('=');
    const key = equals > 0 ? entry.slice(0, equals).trim() : '';
    let decoded: string | undefined;
    try {
      decoded = equals > 0 ? decodeURIComponent(entry.slice(equals + 1).trim()) : undefined;
    } catch {
      decoded = undefined;
    }
    if (key === '' || decoded === undefined) {
      // Values are not echoed: headers carry API keys.
      reader.issues.push(`${name} must be a list of key=value pairs separated by commas`);
      return {};
    }
    out[key] = decoded;
  }
  return out;
}

function protocolOf(reader: SettingsReader): void {
  for (const name of ['OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', 'OTEL_EXPORTER_OTLP_PROTOCOL']) {
    const value = reader.raw(name);
    if (value === undefined) continue;
    // An OTLP/HTTP receiver takes JSON and protobuf bodies on the same path; gRPC is another port and transport.
    if (value !== 'http/json' && value !== 'http/protobuf')
      reader.issues.push(
        `${name} must be http/json or http/protobuf (got "${truncate(value)}"); gRPC is not supported`,
      );
    return;
  }
}

function samplerOf(reader: SettingsReader): { sampler: TracesSampler; samplerRatio: number } {
  const value = reader.raw('OTEL_TRACES_SAMPLER')?.toLowerCase();
  let sampler: TracesSampler = 'parentbased_always_on';
  if (value !== undefined) {
    if ((TRACES_SAMPLERS as readonly string[]).includes(value)) sampler = value as TracesSampler;
    else
      reader.issues.push(`OTEL_TRACES_SAMPLER must be one of ${TRACES_SAMPLERS.join(', ')} (got "${truncate(value)}")`);
  }
  const arg = reader.raw('OTEL_TRACES_SAMPLER_ARG');
  let samplerRatio = 1;
  if (arg !== undefined && sampler.endsWith('traceidratio')) {
    const ratio = Number(arg);
    if (!Number.isFinite(ratio) || ratio < 0 || ratio > 1)
      reader.issues.push(`OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1 (got "${truncate(arg)}")`);
    else samplerRatio = ratio;
  }
  return { sampler, samplerRatio };
}

function batchOf(reader: SettingsReader): BatchSettings {
  const maxQueueSize = reader.integer('OTEL_BSP_MAX_QUEUE_SIZE', 2048, 1, 1_000_000);
  const maxExportBatchSize = reader.integer('OTEL_BSP_MAX_EXPORT_BATCH_SIZE', 512, 1, 1_000_000);
  if (maxExportBatchSize > maxQueueSize)
    reader.issues.push(
      `OTEL_BSP_MAX_EXPORT_BATCH_SIZE must not exceed OTEL_BSP_MAX_QUEUE_SIZE (got ${maxExportBatchSize} > ${maxQueueSize})`,
    );
  return Object.freeze({
    scheduledDelayMillis: reader.integer('OTEL_BSP_SCHEDULE_DELAY', 5000, 0, 600_000),
    exportTimeoutMillis: reader.integer('OTEL_BSP_EXPORT_TIMEOUT', 30_000, 1, 600_000),
    maxQueueSize,
    maxExportBatchSize,
  });
}

export function tracingSettingsOf(reader: SettingsReader): TracingSettings {
  const exporter = exporterChoice(reader);
  const { url, named } = tracesUrl(reader);
  const disabled = reader.raw('OTEL_SDK_DISABLED')?.toLowerCase() === 'true';
  const enabled = !disabled && (exporter === 'otlp' || (exporter === undefined && named));
  protocolOf(reader);
  const timeoutName = reader.raw('OTEL_EXPORTER_OTLP_TRACES_TIMEOUT')
    ? 'OTEL_EXPORTER_OTLP_TRACES_TIMEOUT'
    : 'OTEL_EXPORTER_OTLP_TIMEOUT';
  const serviceName = reader.raw('OTEL_SERVICE_NAME') ?? DEFAULT_SERVICE_NAME;
  return Object.freeze({
    enabled,
    url,
    headers: Object.freeze({
      ...keyValueList(reader, 'OTEL_EXPORTER_OTLP_HEADERS'),
      ...keyValueList(reader, 'OTEL_EXPORTER_OTLP_TRACES_HEADERS'),
    }),
    timeoutMillis: reader.integer(timeoutName, 10_000, 1, 600_000),
    serviceName,
    resourceAttributes: Object.freeze(keyValueList(reader, 'OTEL_RESOURCE_ATTRIBUTES')),
    ...samplerOf(reader),
    batch: batchOf(reader),
  });
}

/** For the start-up log line: where spans go, never the headers (they may hold a key). */
export function describeTracing(settings: TracingSettings): string {
  if (!settings.enabled) return 'off';
  const url = new URL(settings.url);
  return `otlp ${url.origin}${url.pathname} sampler=${settings.sampler}${settings.sampler.endsWith('traceidratio') ? `:${settings.samplerRatio}` : ''}`;
}

/** The settings of an environment without any OTEL_* variable: tracing off (tests turn it on through a seam). */
export function defaultTracingSettings(): TracingSettings {
  return tracingSettingsOf({ raw: () => undefined, integer: (_name, fallback) => fallback, issues: [] });
}
