import type { IncomingMessage } from 'node:http';
import type { CallStats } from './call-stats';
import { ServiceError, validation } from '../shapes/errors';
import { parseFaultSpec, validateFault, type FaultController } from './faults';
import { parseBoundedJson } from '../shapes/json-limits';
import { parseRateLimits, type RateLimiter } from './rate-limits';
import type { OperationName } from '../shapes/operation-names';
import { errorResponse, type WireResponse } from '../responses/wire';

/**
 * `/_hil/*`: the control endpoints (faults, rate limits, call statistics, health). Not part of the
 * AWS API, not signed, and answered only to loopback callers; their failures still take the API's
 * error form, so one client-side error parser reads both.
 */
export const ADMIN_PREFIX = '/_hil/';

/** 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6 addresses. */
export function isLoopback(req: IncomingMessage): boolean {
  const address = req.socket.remoteAddress ?? '';
  return address === '::1' || /^(::ffff:)?127\.\d+\.\d+\.\d+$/.test(address);
}

function json(status: number, body: unknown): WireResponse {
  return { status, headers: { 'Content-Type': 'application/json' }, body: Buffer.from(JSON.stringify(body)) };
}

function unknownEndpoint(method: string, path: string): ServiceError {
  return new ServiceError('UnknownOperationException', `No admin endpoint matches ${method} ${path.slice(0, 200)}`);
}

function parseBody(body: Buffer): unknown {
  return body.length
    ? parseBoundedJson(body.toString('utf8'), 'The request body', 'The request body is not valid JSON')
    : {};
}

export function handleAdmin(
  method: string,
  path: string,
  query: URLSearchParams,
  body: Buffer,
  deps: { faults: FaultController; stats: CallStats; rateLimiter: RateLimiter },
): WireResponse {
  try {
    return route(method, path, query, body, deps);
  } catch (err) {
    if (err instanceof ServiceError) return errorResponse(err);
    // The parsers of fault and rate-limit specs throw plain errors whose messages name the bad spec.
    return errorResponse(validation(err instanceof Error ? err.message : 'Bad request'));
  }
}

function route(
  method: string,
  path: string,
  query: URLSearchParams,
  body: Buffer,
  deps: { faults: FaultController; stats: CallStats; rateLimiter: RateLimiter },
): WireResponse {
  if (path === '/_hil/health' && method === 'GET') return json(200, { status: 'ok' });
  if (path === '/_hil/stats') {
    if (method === 'GET') return json(200, deps.stats.snapshot());
    if (method === 'DELETE') {
      deps.stats.reset();
      return json(200, {});
    }
  }
  if (path === '/_hil/faults') {
    if (method === 'GET') return json(200, { faults: deps.faults.list() });
    if (method === 'POST') {
      const parsed = parseBody(body);
      const items = Array.isArray(parsed) ? parsed : [parsed];
      const specs = items.map((item) =>
        typeof item === 'string'
          ? parseFaultSpec(item)
          : item && typeof item === 'object' && typeof (item as { spec?: unknown }).spec === 'string'
            ? parseFaultSpec((item as { spec: string }).spec)
            : validateFault(item),
      );
      for (const spec of specs) deps.faults.set(spec);
      return json(200, { faults: deps.faults.list() });
    }
    if (method === 'DELETE') {
      const op = query.get('operation');
      deps.faults.clear(op ? (op as OperationName | '*') : undefined);
      return json(200, { faults: deps.faults.list() });
    }
  }
  if (path === '/_hil/rate-limits') {
    if (method === 'POST') {
      const parsed = parseBody(body) as { spec?: unknown } | null;
      if (typeof parsed?.spec !== 'string')
        throw validation('expected {"spec": "quota"} or {"spec": "Op=RATE/BURST,..."}');
      deps.rateLimiter.set(parseRateLimits(parsed.spec));
    } else if (method === 'DELETE') {
      deps.rateLimiter.clear();
    } else if (method !== 'GET') {
      throw unknownEndpoint(method, path);
    }
    return json(200, { rateLimits: deps.rateLimiter.current() });
  }
  throw unknownEndpoint(method, path);
}
