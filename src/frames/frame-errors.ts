import type { ServerResponse } from 'node:http';
import type { GatewayError } from '../errors/gateway-errors';

/** A frame request's failure, in the gateway's JSON error shape (`errors[0].extensions.code`). */
export interface FrameError {
  status: number;
  code: string;
  message: string;
  extensions?: Record<string, unknown>;
}

const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  NOT_FOUND: 404,
  THROTTLED: 429,
  UPSTREAM_UNAVAILABLE: 503,
  DEADLINE_EXCEEDED: 504,
  FORBIDDEN: 403,
  UNAUTHENTICATED: 401,
};

export function statusOfGatewayError(error: GatewayError): number {
  return STATUS_BY_CODE[error.code] ?? 500;
}

/**
 * Writes the error as the whole response and returns its status. Nothing of it may be cached: a
 * refusal is about this moment (an expired URL, a revoked grant, a busy upstream).
 */
export function sendFrameError(response: ServerResponse, error: FrameError): number {
  const requestId = response.getHeader('x-request-id');
  const extensions: Record<string, unknown> = { code: error.code, ...error.extensions };
  // A masked failure names the request, so an operator can find it in the logs (as GraphQL errors do).
  if (error.code === 'INTERNAL_SERVER_ERROR' && typeof requestId === 'string') extensions.requestId = requestId;
  const retryAfter = error.extensions?.retryAfterSeconds;
  if (typeof retryAfter === 'number' && !response.hasHeader('retry-after'))
    response.setHeader('retry-after', String(retryAfter));
  const payload = JSON.stringify({ errors: [{ message: error.message, extensions }] });
  response.writeHead(error.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
    'cache-control': 'no-store',
  });
  response.end(payload);
  return error.status;
}
