import {
  BadUserInputError,
  NotFoundError,
  ThrottledError,
  UpstreamUnavailableError,
  VersionConflictError,
} from '../../errors/gateway-errors';

/**
 * What an upstream failure means for us. Every SDK exception, HTTP status and transport failure
 * lands in exactly one kind; the retry policy and the mapping to gateway errors both switch on it.
 *
 * - `unsent`: the request provably never reached HealthImaging (no connection was made).
 * - `timeout` / `network`: the request may have reached it; the outcome is unknown.
 */
export type UpstreamErrorKind =
  | 'not-found'
  | 'conflict'
  | 'validation'
  | 'quota'
  | 'access'
  | 'throttled'
  | 'server'
  | 'timeout'
  | 'network'
  | 'unsent'
  | 'unknown';

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  $response?: { body?: unknown };
  cause?: unknown;
}

/** Credential and signature failures: our tenant configuration is wrong, not the caller's request. */
const ACCESS_ERROR_NAMES = new Set([
  'AccessDeniedException',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'IncompleteSignatureException',
  'SignatureDoesNotMatch',
  'MissingAuthenticationTokenException',
  'InvalidClientTokenId',
  'ExpiredTokenException',
  'ExpiredToken',
  'CredentialsProviderError',
]);

const THROTTLING_ERROR_NAMES = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'SlowDown',
]);

/** Socket errors raised before any byte was written: the upstream cannot have seen the request. */
const UNSENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

const NETWORK_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ERR_STREAM_PREMATURE_CLOSE', 'UND_ERR_SOCKET']);

/** @smithy/node-http-handler's message when the connect phase timed out (nothing was sent). */
const CONNECT_TIMEOUT_MARKER = 'did not establish a connection';

export function classifyUpstreamError(error: unknown): UpstreamErrorKind {
  if (typeof error !== 'object' || error === null) return 'unknown';
  const e = error as ErrorLike;
  const name = typeof e.name === 'string' ? e.name : '';
  const code = typeof e.code === 'string' ? e.code : '';
  const status = typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined;
  const message = typeof e.message === 'string' ? e.message : '';

  switch (name) {
    case 'ResourceNotFoundException':
      return 'not-found';
    case 'ConflictException':
      return 'conflict';
    case 'ValidationException':
    case 'BadRequestException':
    case 'NotAcceptableException':
    case 'SerializationException':
      return 'validation';
    case 'ServiceQuotaExceededException':
      return 'quota';
    case 'InternalServerException':
    case 'ServiceUnavailableException':
    case 'InternalFailure':
    case 'ServiceUnavailable':
      return 'server';
    case 'TimeoutError':
      return message.includes(CONNECT_TIMEOUT_MARKER) ? 'unsent' : 'timeout';
    case 'AbortError':
      // Our per-call deadline fired (UpstreamCaller): same meaning as a timeout.
      return 'timeout';
    default:
      break;
  }
  if (ACCESS_ERROR_NAMES.has(name)) return 'access';
  if (THROTTLING_ERROR_NAMES.has(name)) return 'throttled';
  if (code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT') return 'timeout';
  if (UNSENT_CODES.has(code)) return 'unsent';
  if (NETWORK_CODES.has(code) || message === 'socket hang up' || message === 'aborted') return 'network';

  // Errors the client did not recognise by name (an unmodelled code) still carry the status.
  if (status !== undefined) {
    if (status === 404) return 'not-found';
    if (status === 409) return 'conflict';
    if (status === 400 || status === 406 || status === 413 || status === 415) return 'validation';
    if (status === 402) return 'quota';
    if (status === 401 || status === 403) return 'access';
    if (status === 429) return 'throttled';
    if (status >= 500 && status <= 599) return 'server';
  }
  if (e.$fault === 'server') return 'server';
  // Deserialisation failures wrap the transport error; look one level down.
  if (e.cause !== undefined && e.cause !== error) {
    const inner = classifyUpstreamError(e.cause);
    if (inner !== 'unknown') return inner;
  }
  return 'unknown';
}

/** Upstream input member names we may echo back: names only, never values. */
const SAFE_PARAMETER_NAMES = new Set([
  'datastoreId',
  'imageSetId',
  'sourceImageSetId',
  'versionId',
  'version',
  'latestVersionId',
  'latestVersion',
  'revertToVersionId',
  'maxResults',
  'nextToken',
  'searchCriteria',
  'filters',
  'values',
  'operator',
  'sort',
  'sortField',
  'sortOrder',
  'copyImageSetInformation',
  'sourceImageSet',
  'destinationImageSet',
  'DICOMCopies',
  'copiableAttributes',
  'updateImageSetMetadataUpdates',
  'DICOMUpdates',
  'updatableAttributes',
  'removableAttributes',
  'force',
  'promoteToPrimary',
  'imageFrameId',
  'imageFrameInformation',
]);

/**
 * The input members an upstream validation message names (`... at 'copyImageSetInformation.
 * sourceImageSet.latestVersionId' failed ...`), reduced to whitelisted member names. The message
 * itself is never passed on: it can quote the offending value, which may be patient data.
 */
export function safeParameterNames(message: unknown): string[] {
  if (typeof message !== 'string') return [];
  const found = new Set<string>();
  for (const match of message.matchAll(/[A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z][A-Za-z0-9]*)*/g)) {
    const path = match[0].split('.');
    if (path.every((segment) => SAFE_PARAMETER_NAMES.has(segment))) {
      found.add(path.join('.'));
    }
  }
  return [...found].sort();
}

export const FAILURE_MESSAGES = {
  notFound: 'The requested resource was not found.',
  conflict: 'The image set changed or is busy with another write; re-read its latest version and retry.',
  validation: 'HealthImaging rejected the request as invalid.',
  quota:
    'The request would exceed a HealthImaging service quota (for example the metadata size, image frames per copy or concurrent writes per data store).',
  access:
    "The gateway's access to HealthImaging was refused for this tenant; the operator must check the tenant's credentials and permissions.",
  unavailable: 'HealthImaging could not be reached or failed; retry later.',
  timeout: 'HealthImaging did not answer in time; retry later.',
} as const;

export interface MappingContext {
  /** For conflicts: what the image set looks like now, when the caller could read it. */
  current?:
    | {
        imageSetId?: string | undefined;
        latestVersionId?: string | undefined;
        state?: string | undefined;
        workflowStatus?: string | undefined;
      }
    | undefined;
  /** For throttling: the hint the client should wait, in seconds. */
  retryAfterSeconds?: number | undefined;
}

/**
 * The single mapping from an upstream failure to what the client sees. Unknown failures become a
 * plain Error (masked as INTERNAL_SERVER_ERROR by formatError) whose message names only the
 * error's code and status, never its upstream message.
 */
export function toGatewayError(error: unknown, context: MappingContext = {}): Error {
  discardResponseBody(error);
  const kind = classifyUpstreamError(error);
  switch (kind) {
    case 'not-found':
      return new NotFoundError(FAILURE_MESSAGES.notFound);
    case 'conflict':
      return new VersionConflictError(FAILURE_MESSAGES.conflict, context.current);
    case 'validation': {
      const parameters = safeParameterNames((error as ErrorLike).message);
      return new BadUserInputError(FAILURE_MESSAGES.validation, parameters.length > 0 ? { parameters } : undefined);
    }
    case 'quota':
      // Most quotas behind this error are sizes (metadata, frames per copy) that no retry fixes;
      // the per-data-store concurrency quota is the exception, hence the wording.
      return new BadUserInputError(FAILURE_MESSAGES.quota, { reason: 'SERVICE_QUOTA_EXCEEDED' });
    case 'access':
      // Not FORBIDDEN: the caller's scopes were fine; the tenant's AWS identity is misconfigured.
      return new UpstreamUnavailableError(FAILURE_MESSAGES.access);
    case 'throttled':
      return new ThrottledError(Math.max(1, Math.ceil(context.retryAfterSeconds ?? 1)));
    case 'server':
    case 'network':
    case 'unsent':
      return new UpstreamUnavailableError(FAILURE_MESSAGES.unavailable);
    case 'timeout':
      return new UpstreamUnavailableError(FAILURE_MESSAGES.timeout);
    case 'unknown':
      return new Error(`Unexpected HealthImaging failure (${describeForLog(error)}).`);
    default: {
      const unreachable: never = kind;
      return new Error(`Unhandled upstream error kind ${String(unreachable)}.`);
    }
  }
}

/** A log-safe description: error code and HTTP status, nothing from the message. */
export function describeForLog(error: unknown): string {
  if (typeof error !== 'object' || error === null) return `non-error ${typeof error}`;
  const e = error as ErrorLike;
  const name = typeof e.name === 'string' && /^[A-Za-z0-9_.:-]{1,80}$/.test(e.name) ? e.name : 'Error';
  const code = typeof e.code === 'string' && /^[A-Z0-9_]{1,40}$/.test(e.code) ? ` ${e.code}` : '';
  const status = typeof e.$metadata?.httpStatusCode === 'number' ? ` status ${e.$metadata.httpStatusCode}` : '';
  return `${name}${code}${status}`;
}

/**
 * Releases the socket behind an error's raw response, if the SDK left it unread. The SDK reads
 * error bodies itself in normal cases; this covers the paths where it gave up part-way.
 */
export function discardResponseBody(error: unknown): void {
  if (typeof error !== 'object' || error === null) return;
  const body = (error as ErrorLike).$response?.body;
  discardStream(body);
}

export function discardStream(body: unknown): void {
  if (typeof body !== 'object' || body === null) return;
  const stream = body as { destroy?: () => void; destroyed?: boolean; cancel?: () => Promise<void> };
  try {
    if (typeof stream.destroy === 'function') {
      if (stream.destroyed !== true) stream.destroy();
    } else if (typeof stream.cancel === 'function') {
      void stream.cancel().catch(() => undefined);
    }
  } catch {
    // Nothing more can be done for a stream that refuses to close.
  }
}
