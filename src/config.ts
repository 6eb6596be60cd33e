import { randomBytes } from 'node:crypto';
import { isAbsolute, join, resolve } from 'node:path';
import { LOG_LEVELS, type LogLevel } from './logging/logger';
import { describeTracing, tracingSettingsOf, type TracingSettings } from './telemetry/tracing-settings';
import { DEFAULT_OPERATION_LIMITS, OPERATION_LIMIT_VARIABLES, type OperationLimits } from './limits/operation-limits';
import {
  DEFAULT_RATE_LIMITS,
  RATE_LIMIT_CEILINGS,
  RATE_LIMIT_VARIABLES,
  type BucketLimit,
  type RateLimitSettings,
} from './limits/rate-limits-settings';
import { DEFAULT_METADATA_CACHE_BYTES } from './imaging/metadata-cache';
import { DEFAULT_SUBSCRIPTION_SETTINGS, type SubscriptionSettings } from './subscriptions/subscription-settings';
import {
  BUDGET_CEILINGS,
  DEFAULT_UPSTREAM_BUDGETS,
  MIN_BUDGET_PER_SECOND,
  UPSTREAM_BUDGET_VARIABLES,
  parseReadBudgets,
  type UpstreamBudgetSettings,
} from './imaging/upstream/upstream-budget-settings';

/**
 * The gateway's one configuration object. `loadConfig(env)` is the only reader of environment
 * variables (main passes `process.env`); everything else receives the frozen result.
 */

export const GATEWAY_ENVIRONMENTS = ['development', 'test', 'production'] as const;
export type GatewayEnvironment = (typeof GATEWAY_ENVIRONMENTS)[number];

/** Apollo Sandbox's origin: the only cross-origin caller development needs. */
export const APOLLO_SANDBOX_ORIGIN = 'https://studio.apollographql.com';

export const MIN_CURSOR_SECRET_LENGTH = 32;

export interface GatewayConfig {
  readonly environment: GatewayEnvironment;
  readonly port: number;
  readonly host: string;
  /** Absolute path of the tenants file; optional only in development (the launcher writes one). */
  readonly tenantsFile?: string;
  /** HMAC key for cursors and global ids. Never log it (see `describeConfig`). */
  readonly cursorSecret: string;
  /** True when development generated a throwaway secret: cursors die with the process. */
  readonly cursorSecretGenerated: boolean;
  readonly cursorTtlSeconds: number;
  /** Exact origins allowed by CORS; empty means no cross-origin access. */
  readonly corsOrigins: readonly string[];
  /** Apollo Sandbox landing page on GET /graphql. */
  readonly landingPage: boolean;
  readonly introspection: boolean;
  /** EXPLORER (on/off): the offline GraphiQL page at /explorer; on by default in development only. */
  readonly explorer: boolean;
  /** EXPLORER_DEFAULT_HEADERS (development only): the headers Sandbox and /explorer open with. A credential: never logged. */
  readonly explorerDefaultHeaders?: Readonly<Record<string, string>>;
  /** EXPLORER_DEFAULT_VARIABLES: the variables Sandbox and /explorer open with (the Browse query takes `ds`). */
  readonly explorerDefaultVariables?: Readonly<Record<string, unknown>>;
  /** HEALTHIMAGING_ENDPOINT: the endpoint of every tenant whose tenants-file `upstream.endpoint` is omitted (HealthImaging Local, a VPC endpoint). */
  readonly healthImagingEndpoint?: string;
  /** AWS_REGION: the region of every tenant whose tenants-file `upstream.region` is omitted. */
  readonly awsRegion?: string;
  /** Checked on every request before validation (see src/limits/operation-limits.ts). */
  readonly operationLimits: OperationLimits;
  /** Past it a request answers DEADLINE_EXCEEDED and its upstream calls are aborted. */
  readonly requestDeadlineMs: number;
  /** AUDIT_DATABASE_URL: the audit trail in PostgreSQL. Never logged (it may hold a password). */
  readonly auditDatabaseUrl?: string;
  /** AUDIT_SQLITE_FILE: the audit trail's SQLite file when no database URL is set. */
  readonly auditSqliteFile: string;
  /** JSON bytes of metadata documents all requests in flight may hold at once (see metadata-budget.ts). */
  readonly maxMetadataBytesInFlight: number;
  /** METADATA_CACHE_BYTES: JSON bytes of settled versions' documents the replica keeps across requests; 0 turns the cache off. */
  readonly metadataCacheBytes: number;
  /** Request rate limits and the in-flight cap (RATE_LIMIT_*); a tenant may override them. */
  readonly rateLimits: RateLimitSettings;
  /** UPSTREAM_*: how fast calls of one upstream account reach HealthImaging, per operation (see src/imaging/upstream/upstream-admission.ts). */
  readonly upstreamBudgets: UpstreamBudgetSettings;
  /** REDIS_URL: limits shared by every replica through Redis; unset keeps them in this process. Never logged. */
  readonly redisUrl?: string;
  /** REDIS_KEY_PREFIX: starts every key the gateway writes, so deployments (or test runs) can share one Redis. */
  readonly redisKeyPrefix: string;
  /** METRICS_PORT: Prometheus metrics on their own listener; unset means no metrics listener. */
  readonly metricsPort?: number;
  /** METRICS_HOST: the metrics listener's address (loopback by default, like HOST). */
  readonly metricsHost: string;
  /** SHUTDOWN_DRAIN_MS: how long SIGTERM waits for requests in flight before cutting their connections. */
  readonly shutdownDrainMs: number;
  /** FRAME_URL_TTL_SECONDS: how long a `DicomFrame.url` stays usable (it is a bearer credential: keep it short). */
  readonly frameUrlTtlSeconds: number;
  /** Subscriptions over WebSocket: per-credential limit, idle timeout, poll back-off (SUBSCRIPTION_*). */
  readonly subscriptions: SubscriptionSettings;
  readonly logLevel: LogLevel;
  /** OTEL_*: OpenTelemetry tracing, off unless OTEL_TRACES_EXPORTER=otlp or an OTLP endpoint asks for it (see src/telemetry/). */
  readonly tracing: TracingSettings;
}

export type EnvSource = NodeJS.ProcessEnv | Record<string, string | undefined>;

/** Thrown for an invalid configuration; `issues` holds one line per problem, each naming its variable or field. */
export class ConfigError extends Error {
  readonly issues: readonly string[];
  constructor(issues: readonly string[], heading = 'Invalid gateway configuration') {
    super(`${heading}:\n  - ${issues.join('\n  - ')}`);
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

const PORT_RANGE = [0, 65535] as const;
const HOST_PATTERN =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\[?[0-9A-Fa-f:.]+\]?)$/;
const REGION_PATTERN = /^[a-z]{2}(?:-[a-z0-9]+)+-\d+$/;

class EnvReader {
  readonly issues: string[] = [];
  constructor(private readonly env: EnvSource) {}

  /** Unset and blank values are the same thing: "PORT=" in a .env file means "not set". */
  raw(name: string): string | undefined {
    const value = this.env[name];
    if (value === undefined) return undefined;
    const trimmed = value.trim();
    return trimmed === '' ? undefined : trimmed;
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
      this.issues.push(`${name} must be an integer from ${min} to ${max} (got "${truncate(value)}")`);
      return fallback;
    }
    return Number(value);
  }

  /** A decimal number such as 0.25 (no exponent, no sign). */
  decimal(name: string, fallback: number, min: number, max: number): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if (!/^\d+(?:\.\d+)?$/.test(value) || Number(value) < min || Number(value) > max) {
      this.issues.push(`${name} must be a number from ${min} to ${max} (got "${truncate(value)}")`);
      return fallback;
    }
    return Number(value);
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const lowered = value.toLowerCase();
    if (!(allowed as readonly string[]).includes(lowered)) {
      this.issues.push(`${name} must be one of ${allowed.join(', ')} (got "${truncate(value)}")`);
      return fallback;
    }
    return lowered as T;
  }
}

function truncate(value: string): string {
  return value.length > 40 ? `${value.slice(0, 40)}…` : value;
}

function environmentOf(reader: EnvReader): GatewayEnvironment {
  // GATEWAY_ENV wins so that a deployment can run NODE_ENV=production builds in development mode
  // (or the reverse) without lying to libraries that read NODE_ENV.
  if (reader.raw('GATEWAY_ENV') !== undefined) return reader.oneOf('GATEWAY_ENV', GATEWAY_ENVIRONMENTS, 'production');
  if (reader.raw('NODE_ENV') !== undefined) return reader.oneOf('NODE_ENV', GATEWAY_ENVIRONMENTS, 'production');
  // Unset means production: the safe side (no introspection, no sandbox, secrets required).
  return 'production';
}

/** The environment `loadConfig(env)` settles on (production when the variable is invalid). */
export function gatewayEnvironmentOf(env: EnvSource): GatewayEnvironment {
  return environmentOf(new EnvReader(env));
}

function parseOrigin(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  if (url.username || url.password || url.search || url.hash || (url.pathname !== '/' && url.pathname !== ''))
    return undefined;
  if (value.endsWith('/')) return undefined;
  return url.origin;
}

function corsOriginsOf(reader: EnvReader, environment: GatewayEnvironment): string[] {
  const value = reader.raw('CORS_ORIGINS');
  if (value === undefined) return environment === 'development' ? [APOLLO_SANDBOX_ORIGIN] : [];
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (entries.length === 1 && entries[0] === '*') return ['*'];
  const origins: string[] = [];
  for (const entry of entries) {
    if (entry === '*') {
      reader.issues.push('CORS_ORIGINS: "*" must be the only entry when used');
      continue;
    }
    const origin = parseOrigin(entry);
    if (origin === undefined) {
      reader.issues.push(
        `CORS_ORIGINS: "${truncate(entry)}" is not an origin like https://app.example.com (scheme, host, optional port; no path)`,
      );
    } else if (!origins.includes(origin)) {
      origins.push(origin);
    }
  }
  return origins;
}

function cursorSecretOf(reader: EnvReader, environment: GatewayEnvironment): { secret: string; generated: boolean } {
  const value = reader.raw('CURSOR_SECRET');
  if (value === undefined) {
    if (environment === 'development') return { secret: randomBytes(48).toString('base64url'), generated: true };
    reader.issues.push(
      `CURSOR_SECRET is required outside development (at least ${MIN_CURSOR_SECRET_LENGTH} characters)`,
    );
    return { secret: '', generated: false };
  }
  // The value itself is never echoed: it is a secret.
  if (value.length < MIN_CURSOR_SECRET_LENGTH) {
    reader.issues.push(`CURSOR_SECRET must be at least ${MIN_CURSOR_SECRET_LENGTH} characters (got ${value.length})`);
  } else if (new Set(value).size < 8) {
    reader.issues.push('CURSOR_SECRET is too repetitive to be a secret (use e.g. `openssl rand -base64 48`)');
  }
  return { secret: value, generated: false };
}

/** Upper bounds of each limit's variable: beyond them a limit protects nothing. */
const OPERATION_LIMIT_CEILINGS: Readonly<Record<keyof OperationLimits, number>> = {
  tokens: 100_000,
  depth: 100,
  aliases: 1000,
  rootFields: 1000,
  directives: 1000,
  fieldRepetition: 100,
  mutations: 100,
  cost: 1_000_000,
};

function operationLimitsOf(reader: EnvReader): OperationLimits {
  const limits = {} as Record<keyof OperationLimits, number>;
  for (const key of Object.keys(DEFAULT_OPERATION_LIMITS) as Array<keyof OperationLimits>) {
    limits[key] = reader.integer(
      OPERATION_LIMIT_VARIABLES[key],
      DEFAULT_OPERATION_LIMITS[key],
      1,
      OPERATION_LIMIT_CEILINGS[key],
    );
  }
  return Object.freeze(limits);
}

function bucketOf(reader: EnvReader, perSecondName: string, burstName: string, fallback: BucketLimit): BucketLimit {
  const perSecond = reader.integer(perSecondName, fallback.perSecond, 1, RATE_LIMIT_CEILINGS.perSecond);
  // An unset burst follows a changed rate, keeping the default's ratio of two seconds' worth.
  const burst = reader.integer(
    burstName,
    reader.raw(perSecondName) === undefined ? fallback.burst : perSecond * 2,
    1,
    RATE_LIMIT_CEILINGS.burst,
  );
  if (burst < perSecond)
    reader.issues.push(`${burstName} must be at least ${perSecondName} (got ${burst} < ${perSecond})`);
  return Object.freeze({ perSecond, burst });
}

function rateLimitsOf(reader: EnvReader): RateLimitSettings {
  const names = RATE_LIMIT_VARIABLES;
  return Object.freeze({
    credential: bucketOf(reader, names.credentialPerSecond, names.credentialBurst, DEFAULT_RATE_LIMITS.credential),
    tenant: bucketOf(reader, names.tenantPerSecond, names.tenantBurst, DEFAULT_RATE_LIMITS.tenant),
    maxInFlight: reader.integer(names.maxInFlight, DEFAULT_RATE_LIMITS.maxInFlight, 1, RATE_LIMIT_CEILINGS.maxInFlight),
  });
}

/** A JSON object setting; the value is not echoed (it may hold a credential). */
function jsonObjectOf(reader: EnvReader, name: string): Record<string, unknown> | undefined {
  const value = reader.raw(name);
  if (value === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    parsed = undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    reader.issues.push(`${name} must be a JSON object`);
    return undefined;
  }
  return parsed as Record<string, unknown>;
}

function upstreamBudgetsOf(reader: EnvReader): UpstreamBudgetSettings {
  const names = UPSTREAM_BUDGET_VARIABLES;
  const defaults = DEFAULT_UPSTREAM_BUDGETS;
  const enabled = reader.oneOf(names.enabled, ['on', 'off'], 'on') === 'on';
  const perSecond = reader.decimal(
    names.writePerSecond,
    defaults.write.perSecond,
    MIN_BUDGET_PER_SECOND,
    BUDGET_CEILINGS.perSecond,
  );
  const burst = reader.integer(names.writeBurst, defaults.write.burst, 1, BUDGET_CEILINGS.burst);
  const readsText = reader.raw(names.reads);
  let reads = defaults.reads;
  if (readsText !== undefined) {
    const parsed = parseReadBudgets(readsText);
    if ('issues' in parsed) for (const issue of parsed.issues) reader.issues.push(`${names.reads}: ${issue}`);
    else reads = Object.freeze(parsed.budgets);
  }
  return Object.freeze({
    enabled,
    write: Object.freeze({ perSecond, burst }),
    writeQueueWaitMs: reader.integer(names.writeQueueWaitMs, defaults.writeQueueWaitMs, 0, 600_000),
    reads,
    readWaitMs: reader.integer(names.readWaitMs, defaults.readWaitMs, 0, 60_000),
  });
}

function redisUrlOf(reader: EnvReader): string | undefined {
  const value = reader.raw('REDIS_URL');
  if (value === undefined) return undefined;
  let valid = false;
  try {
    const url = new URL(value);
    valid = (url.protocol === 'redis:' || url.protocol === 'rediss:') && url.hostname !== '';
  } catch {
    valid = false;
  }
  // The value is never echoed: it may hold a password.
  if (!valid) reader.issues.push('REDIS_URL must be a redis:// or rediss:// URL with a host');
  return value;
}

export function loadConfig(env: EnvSource): GatewayConfig {
  const reader = new EnvReader(env);
  const environment = environmentOf(reader);
  const development = environment === 'development';

  const port = reader.integer('PORT', 4000, PORT_RANGE[0], PORT_RANGE[1]);

  // Loopback by default: a developer's `npm start` must not expose patient images to the LAN.
  // Containers set HOST=0.0.0.0 explicitly.
  let host = reader.raw('HOST') ?? '127.0.0.1';
  if (!HOST_PATTERN.test(host)) {
    reader.issues.push(`HOST must be a host name or IP address (got "${truncate(host)}")`);
    host = '127.0.0.1';
  }

  const tenantsFileRaw = reader.raw('TENANTS_FILE');
  const tenantsFile =
    tenantsFileRaw === undefined ? undefined : isAbsolute(tenantsFileRaw) ? tenantsFileRaw : resolve(tenantsFileRaw);
  if (tenantsFile === undefined && !development) reader.issues.push('TENANTS_FILE is required outside development');

  const { secret: cursorSecret, generated: cursorSecretGenerated } = cursorSecretOf(reader, environment);
  const cursorTtlSeconds = reader.integer('CURSOR_TTL_SECONDS', 3600, 60, 7 * 24 * 3600);

  const corsOrigins = corsOriginsOf(reader, environment);

  const healthImagingEndpoint = reader.raw('HEALTHIMAGING_ENDPOINT');
  if (healthImagingEndpoint !== undefined) {
    let valid = false;
    try {
      const url = new URL(healthImagingEndpoint);
      valid =
        (url.protocol === 'http:' || url.protocol === 'https:') &&
        !url.username &&
        !url.password &&
        !url.search &&
        !url.hash;
    } catch {
      valid = false;
    }
    if (!valid)
      reader.issues.push(
        `HEALTHIMAGING_ENDPOINT must be an http(s) URL without credentials, query or fragment (got "${truncate(healthImagingEndpoint)}")`,
      );
  }

  const awsRegion = reader.raw('AWS_REGION');
  if (awsRegion !== undefined && !REGION_PATTERN.test(awsRegion)) {
    reader.issues.push(`AWS_REGION must look like us-east-1 (got "${truncate(awsRegion)}")`);
  }

  const operationLimits = operationLimitsOf(reader);
  const requestDeadlineMs = reader.integer('REQUEST_DEADLINE_MS', 30_000, 100, 600_000);
  const auditDatabaseUrl = reader.raw('AUDIT_DATABASE_URL');
  if (auditDatabaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(auditDatabaseUrl)) {
    reader.issues.push('AUDIT_DATABASE_URL must be a postgres:// or postgresql:// URL');
  }
  const auditSqliteRaw = reader.raw('AUDIT_SQLITE_FILE') ?? join('.data', 'audit', 'audit.sqlite');
  const auditSqliteFile = isAbsolute(auditSqliteRaw) ? auditSqliteRaw : resolve(auditSqliteRaw);
  const maxMetadataBytesInFlight = reader.integer(
    'MAX_METADATA_BYTES_IN_FLIGHT',
    512 * 1024 * 1024,
    1024,
    16 * 1024 * 1024 * 1024,
  );
  const metadataCacheBytes = reader.integer(
    'METADATA_CACHE_BYTES',
    DEFAULT_METADATA_CACHE_BYTES,
    0,
    16 * 1024 * 1024 * 1024,
  );
  const rateLimits = rateLimitsOf(reader);
  const upstreamBudgets = upstreamBudgetsOf(reader);
  const redisUrl = redisUrlOf(reader);
  const redisKeyPrefix = reader.raw('REDIS_KEY_PREFIX') ?? 'imaging-gateway:';
  if (!/^[A-Za-z0-9:_.-]{1,64}$/.test(redisKeyPrefix)) {
    reader.issues.push(`REDIS_KEY_PREFIX must be 1-64 letters, digits or :_.- (got "${truncate(redisKeyPrefix)}")`);
  }
  const metricsPort =
    reader.raw('METRICS_PORT') === undefined
      ? undefined
      : reader.integer('METRICS_PORT', 0, PORT_RANGE[0], PORT_RANGE[1]);
  if (metricsPort !== undefined && metricsPort !== 0 && metricsPort === port) {
    reader.issues.push(
      `METRICS_PORT must differ from PORT (both ${port}): metrics are never served on the API's listener`,
    );
  }
  let metricsHost = reader.raw('METRICS_HOST') ?? '127.0.0.1';
  if (!HOST_PATTERN.test(metricsHost)) {
    reader.issues.push(`METRICS_HOST must be a host name or IP address (got "${truncate(metricsHost)}")`);
    metricsHost = '127.0.0.1';
  }
  const shutdownDrainMs = reader.integer('SHUTDOWN_DRAIN_MS', 10_000, 0, 600_000);
  const frameUrlTtlSeconds = reader.integer('FRAME_URL_TTL_SECONDS', 300, 10, 3600);
  const subscriptions = subscriptionSettingsOf(reader);
  const logLevel = reader.oneOf('LOG_LEVEL', LOG_LEVELS, 'info');
  const tracing = tracingSettingsOf(reader);
  const explorer = reader.oneOf('EXPLORER', ['on', 'off'], development ? 'on' : 'off') === 'on';
  const explorerDefaultHeaders = jsonObjectOf(reader, 'EXPLORER_DEFAULT_HEADERS');
  if (explorerDefaultHeaders !== undefined && !development) {
    reader.issues.push(
      'EXPLORER_DEFAULT_HEADERS is for development only: the page would hand its credential to anyone',
    );
  } else if (explorerDefaultHeaders && Object.values(explorerDefaultHeaders).some((v) => typeof v !== 'string')) {
    reader.issues.push('EXPLORER_DEFAULT_HEADERS must map header names to string values');
  }
  const explorerDefaultVariables = jsonObjectOf(reader, 'EXPLORER_DEFAULT_VARIABLES');

  if (reader.issues.length > 0) throw new ConfigError(reader.issues);

  const config: GatewayConfig = {
    environment,
    port,
    host,
    ...(tenantsFile !== undefined ? { tenantsFile } : {}),
    cursorSecret,
    cursorSecretGenerated,
    cursorTtlSeconds,
    corsOrigins: Object.freeze(corsOrigins),
    landingPage: development,
    introspection: development,
    explorer,
    ...(explorerDefaultHeaders !== undefined
      ? { explorerDefaultHeaders: Object.freeze(explorerDefaultHeaders as Record<string, string>) }
      : {}),
    ...(explorerDefaultVariables !== undefined
      ? { explorerDefaultVariables: Object.freeze(explorerDefaultVariables) }
      : {}),
    ...(healthImagingEndpoint !== undefined ? { healthImagingEndpoint } : {}),
    ...(awsRegion !== undefined ? { awsRegion } : {}),
    operationLimits,
    requestDeadlineMs,
    ...(auditDatabaseUrl !== undefined ? { auditDatabaseUrl } : {}),
    auditSqliteFile,
    maxMetadataBytesInFlight,
    metadataCacheBytes,
    rateLimits,
    upstreamBudgets,
    ...(redisUrl !== undefined ? { redisUrl } : {}),
    redisKeyPrefix,
    ...(metricsPort !== undefined ? { metricsPort } : {}),
    metricsHost,
    shutdownDrainMs,
    frameUrlTtlSeconds,
    subscriptions,
    logLevel,
    tracing,
  };
  return Object.freeze(config);
}

/** The deployment-wide upstream settings the tenants file falls back on. */
export function upstreamDefaultsOf(config: GatewayConfig): { region?: string; endpoint?: string } {
  return {
    ...(config.awsRegion !== undefined ? { region: config.awsRegion } : {}),
    ...(config.healthImagingEndpoint !== undefined ? { endpoint: config.healthImagingEndpoint } : {}),
  };
}

/** The configuration as it may be logged at start-up: the secret is replaced by its length. */
export function describeConfig(config: GatewayConfig): Record<string, unknown> {
  const { cursorSecret, auditDatabaseUrl, redisUrl, rateLimits, explorerDefaultHeaders, ...rest } = config;
  return {
    ...rest,
    ...(explorerDefaultHeaders ? { explorerDefaultHeaders: Object.keys(explorerDefaultHeaders) } : {}),
    rateLimits: JSON.stringify({ ...rateLimits, sharedState: redisUrl !== undefined ? 'redis' : 'memory' }),
    corsOrigins: [...config.corsOrigins],
    operationLimits: JSON.stringify(config.operationLimits),
    upstreamBudgets: JSON.stringify(config.upstreamBudgets),
    // Where spans go, never the exporter's headers (they hold the collector's key).
    tracing: describeTracing(config.tracing),
    cursorSecret: `[${cursorSecret.length} characters]`,
    auditStore: auditDatabaseUrl !== undefined ? 'postgresql' : `sqlite ${config.auditSqliteFile}`,
  };
}

function subscriptionSettingsOf(reader: EnvReader): SubscriptionSettings {
  const defaults = DEFAULT_SUBSCRIPTION_SETTINGS;
  const settings: SubscriptionSettings = {
    maxPerCredential: reader.integer('SUBSCRIPTIONS_PER_CREDENTIAL', defaults.maxPerCredential, 1, 1000),
    idleTimeoutMs: reader.integer('SUBSCRIPTION_IDLE_TIMEOUT_MS', defaults.idleTimeoutMs, 1000, 3_600_000),
    pollMinMs: reader.integer('SUBSCRIPTION_POLL_MIN_MS', defaults.pollMinMs, 50, 600_000),
    pollMaxMs: reader.integer('SUBSCRIPTION_POLL_MAX_MS', defaults.pollMaxMs, 50, 600_000),
  };
  if (settings.pollMaxMs < settings.pollMinMs) {
    reader.issues.push(
      `SUBSCRIPTION_POLL_MAX_MS must be at least SUBSCRIPTION_POLL_MIN_MS (${settings.pollMaxMs} < ${settings.pollMinMs})`,
    );
  }
  return Object.freeze(settings);
}
