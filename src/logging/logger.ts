import { isSpanContextValid, trace, type Span } from '@opentelemetry/api';
import pino, { type DestinationStream, type Logger as PinoLogger } from 'pino';
import { currentLogContext } from './log-context';

/**
 * The gateway's structured logger: pino, one JSON object per line on stderr, with pino's
 * standard fields (`level` as its label, `time`, `msg`) plus ours. It logs what operators need
 * (ids, codes, timings, counts) and nothing else: every field outside `SAFE_LOG_FIELDS` is
 * replaced by "[redacted]" before pino sees it, and error messages are never written, because
 * messages of third-party errors (JSON.parse, the SDK, dcmjs) can quote the data that failed, and
 * that data can be a patient's name or birth date.
 *
 * Every line written while a request is served also carries that request's fields (request id,
 * tenant, subject, operation name; see `log-context.ts`) and, when tracing is on, the trace and
 * span ids, so a line can be found from its trace and the reverse.
 */

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type LogFields = Record<string, unknown>;

export interface Logger {
  readonly level: LogLevel;
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line (e.g. `{ requestId, tenantId, subject }`). */
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
  'trace_id',
  'span_id',
  'trace_flags',
  'limit',
  'deadlineMs',
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
  'metadataCacheBytes',
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
  'tracing',
  'upstreamBudgets',
  'explorer',
  'explorerDefaultHeaders',
  'frameUrlTtlSeconds',
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
  /** Where lines go (one call per line, without its newline); stderr by default, as stdout stays free for the process's own output. */
  write?: (line: string) => void;
  now?: () => Date;
  /** Fields written on every line. */
  bindings?: LogFields;
}

/** The ids of a span, named as OpenTelemetry's log correlation names them; none for an invalid (no-op) span. */
export function traceFieldsOf(span: Span | undefined): LogFields | undefined {
  if (!span) return undefined;
  const spanContext = span.spanContext();
  if (!isSpanContextValid(spanContext)) return undefined;
  return {
    trace_id: spanContext.traceId,
    span_id: spanContext.spanId,
    trace_flags: `0${spanContext.traceFlags.toString(16)}`.slice(-2),
  };
}

function destinationOf(write: LoggerOptions['write']): DestinationStream {
  // Synchronous, like the stderr writes before: a line logged just before an exit is not lost.
  if (!write) return pino.destination({ dest: 2, sync: true });
  return { write: (line: string) => write(line.endsWith('\n') ? line.slice(0, -1) : line) };
}

function pinoOf(options: LoggerOptions): PinoLogger {
  const now = options.now;
  return pino(
    {
      level: options.level,
      formatters: { level: (label) => ({ level: label }) },
      timestamp: now ? () => `,"time":"${now().toISOString()}"` : pino.stdTimeFunctions.isoTime,
    },
    destinationOf(options.write),
  );
}

/** Pino's own fields: a line's fields never repeat them (a JSON object with a key twice reads differently per parser). */
const PINO_FIELDS: ReadonlySet<string> = new Set(['level', 'time', 'msg', 'pid', 'hostname']);

function withoutPinoFields(fields: LogFields): LogFields {
  for (const key of PINO_FIELDS) if (key in fields) delete fields[key];
  return fields;
}

function wrap(root: PinoLogger, level: LogLevel, bindings: LogFields): Logger {
  const emit = (lineLevel: Exclude<LogLevel, 'silent'>, event: string, fields?: LogFields): void => {
    if (!root.isLevelEnabled(lineLevel)) return;
    try {
      // Later sources win: the request's context, then this logger's bindings, then the line's own fields.
      const line = withoutPinoFields({
        ...redactFields(currentLogContext() ?? {}),
        ...traceFieldsOf(trace.getActiveSpan()),
        ...bindings,
        ...redactFields(fields ?? {}),
        event,
      });
      root[lineLevel](line, event);
    } catch {
      // A logger must never take a request down with it.
    }
  };
  return {
    level,
    debug: (event, fields) => emit('debug', event, fields),
    info: (event, fields) => emit('info', event, fields),
    warn: (event, fields) => emit('warn', event, fields),
    error: (event, fields) => emit('error', event, fields),
    child: (fields) => wrap(root, level, { ...bindings, ...redactFields(fields) }),
  };
}

export function createLogger(options: LoggerOptions): Logger {
  return wrap(pinoOf(options), options.level, redactFields(options.bindings ?? {}));
}

/** A logger that writes nothing, for tests and library use. */
export const silentLogger: Logger = createLogger({ level: 'silent', write: () => undefined });
