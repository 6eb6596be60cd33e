/**
 * A small structured logger: one JSON object per line on stderr, filtered by level. It logs what
 * operators need (ids, codes, timings, counts) and nothing else: every field outside
 * `SAFE_LOG_FIELDS` is replaced by "[redacted]" and error messages are never written, because
 * messages of third-party errors (JSON.parse, the SDK, dcmjs) can quote the data that failed,
 * and that data can be a patient's name or birth date.
 */

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export type LogFields = Record<string, unknown>;

export interface Logger {
  readonly level: LogLevel;
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line (e.g. `{ requestId, tenantId }`). */
  child(fields: LogFields): Logger;
}

/** Field names whose values are identifiers, codes, timings or counts: safe to write as they are. */
export const SAFE_LOG_FIELDS: ReadonlySet<string> = new Set([
  'requestId',
  'tenantId',
  'subject',
  'authMethod',
  'apiKeyId',
  'datastoreId',
  'imageSetId',
  'versionId',
  'operation',
  'operationName',
  'operationType',
  'path',
  'code',
  'reason',
  'status',
  'statusCode',
  'httpStatus',
  'method',
  'url',
  'host',
  'port',
  'attempt',
  'attempts',
  'count',
  'keys',
  'batchSize',
  'durationMs',
  'elapsedMs',
  'bytes',
  'environment',
  'errorName',
  'errorCode',
  'origin',
  'upstreamRequestId',
  'outcome',
  'errorKind',
  'reconciling',
  'field',
  'variable',
  'issues',
  // The start-up configuration line (`describeConfig`); the cursor secret stays redacted.
  'tenantsFile',
  'corsOrigins',
  'landingPage',
  'introspection',
  'healthImagingEndpoint',
  'awsRegion',
  'operationLimits',
  'requestDeadlineMs',
  'maxMetadataBytesInFlight',
  'auditStore',
  'auditSqliteFile',
  'logLevel',
  'cursorTtlSeconds',
  'cursorSecretGenerated',
  'rateLimits',
  'redisKeyPrefix',
  'metricsPort',
  'metricsHost',
  'shutdownDrainMs',
]);

const MAX_STRING = 300;
const MAX_ARRAY = 20;

/** Only scalars (and short arrays of scalars) are written; anything structured could carry data. */
function safeValue(value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string') return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value;
  if (Array.isArray(value)) {
    const items = value
      .slice(0, MAX_ARRAY)
      .map((item) => (item !== null && typeof item === 'object' ? '[redacted]' : safeValue(item)));
    return value.length > MAX_ARRAY ? [...items, `…${value.length - MAX_ARRAY} more`] : items;
  }
  return '[redacted]';
}

/** Keeps whitelisted fields (scalars only) and replaces every other value by "[redacted]". */
export function redactFields(fields: LogFields, allowed: ReadonlySet<string> = SAFE_LOG_FIELDS): LogFields {
  const out: LogFields = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    out[key] = allowed.has(key) ? safeValue(value) : '[redacted]';
  }
  return out;
}

/**
 * What may be logged about an error: its class name, its code (GraphQL extension or Node/SDK
 * `code`/`name`) and where it was thrown (one `file:line:column`, relative to the working
 * directory), never its message and never a stack trace.
 */
export function describeError(error: unknown): { errorName: string; errorCode?: string; origin?: string } {
  if (!(error instanceof Error)) return { errorName: typeof error };
  const described: { errorName: string; errorCode?: string; origin?: string } = {
    errorName: error.constructor?.name || error.name || 'Error',
  };
  const extensionCode = (error as { extensions?: { code?: unknown } }).extensions?.code;
  const nodeCode = (error as { code?: unknown }).code;
  const code = typeof extensionCode === 'string' ? extensionCode : typeof nodeCode === 'string' ? nodeCode : undefined;
  if (code) described.errorCode = code;
  const origin = originOf(error);
  if (origin) described.origin = origin;
  return described;
}

/**
 * The location of the first "at ..." frame. A V8 stack starts with `String(error)`, which holds the
 * message (possibly over several lines, possibly quoting data): that header is cut off first, and
 * when the stack does not start with it nothing is read at all.
 */
function originOf(error: Error): string | undefined {
  let frames: string;
  try {
    const header = String(error);
    if (typeof error.stack !== 'string' || !error.stack.startsWith(header)) return undefined;
    frames = error.stack.slice(header.length);
  } catch {
    return undefined;
  }
  const frame = frames.split('\n').find((line) => line.trim().startsWith('at '));
  const location = frame ? /\(?((?:file:\/\/)?[^\s()]+:\d+:\d+)\)?\s*$/.exec(frame.trim())?.[1] : undefined;
  if (!location) return undefined;
  const cwd = `${process.cwd()}/`;
  const plain = location.startsWith('file://') ? location.slice('file://'.length) : location;
  return plain.startsWith(cwd) ? plain.slice(cwd.length) : plain;
}

export interface LoggerOptions {
  level: LogLevel;
  /** Where lines go; stderr by default (stdout stays free for the process's own output). */
  write?: (line: string) => void;
  now?: () => Date;
  /** Fields written on every line. */
  bindings?: LogFields;
}

export function createLogger(options: LoggerOptions): Logger {
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const now = options.now ?? (() => new Date());
  const threshold = RANK[options.level];
  const bindings = redactFields(options.bindings ?? {});

  const emit = (level: Exclude<LogLevel, 'silent'>, event: string, fields?: LogFields): void => {
    if (RANK[level] < threshold) return;
    const line = { time: now().toISOString(), level, event, ...bindings, ...redactFields(fields ?? {}) };
    try {
      write(JSON.stringify(line));
    } catch {
      // A logger must never take a request down with it.
    }
  };

  return {
    level: options.level,
    debug: (event, fields) => emit('debug', event, fields),
    info: (event, fields) => emit('info', event, fields),
    warn: (event, fields) => emit('warn', event, fields),
    error: (event, fields) => emit('error', event, fields),
    child: (fields) => createLogger({ ...options, write, now, bindings: { ...options.bindings, ...fields } }),
  };
}

/** A logger that writes nothing, for tests and library use. */
export const silentLogger: Logger = createLogger({ level: 'silent', write: () => undefined });
