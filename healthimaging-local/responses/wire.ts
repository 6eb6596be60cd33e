import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { ServiceError } from '../shapes/errors';

/**
 * restJson1 output conventions: JSON bodies without null members, epoch-second timestamps with a
 * millisecond fraction, a request id on every response, and errors the SDK's
 * `loadRestJsonErrorCode` maps back to the named exception.
 */

export function newRequestId(): string {
  return randomUUID();
}

/** Drops undefined/null members recursively so absent optional members are omitted, not null. */
export function compact<T>(value: T): T {
  if (Array.isArray(value)) return (value as unknown[]).map((v) => compact(v)) as T;
  if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === undefined || v === null) continue;
      out[k] = compact(v);
    }
    return out as T;
  }
  return value;
}

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export function jsonResponse(body: unknown, status = 200): WireResponse {
  return {
    status,
    headers: { 'Content-Type': 'application/json' },
    body: Buffer.from(JSON.stringify(compact(body))),
  };
}

export function errorResponse(error: ServiceError): WireResponse {
  return {
    status: error.status,
    headers: { 'Content-Type': 'application/json', 'x-amzn-ErrorType': error.errorName },
    body: Buffer.from(
      JSON.stringify({ message: error.message, __type: `com.amazonaws.medicalimaging#${error.errorName}` }),
    ),
  };
}

export function writeResponse(res: ServerResponse, response: WireResponse, requestId: string): void {
  if (res.headersSent || res.destroyed) return;
  res.statusCode = response.status;
  for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value);
  res.setHeader('x-amzn-RequestId', requestId);
  res.setHeader('Content-Length', response.body.length);
  res.end(response.body);
}
