import type { IncomingMessage } from 'node:http';
import type { CallStats } from './call-stats';
import { parseFaultSpec, validateFault, type FaultController } from './faults';
import { parseRateLimits, type RateLimiter } from './rate-limits';
import type { OperationName } from './routes';
import type { WireResponse } from './wire';

/**
 * `/_hil/*`: the control endpoints (faults, rate limits, call statistics, health). Not part of the
 * AWS API, not signed, and answered only to loopback callers.
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

export function handleAdmin(
  method: string,
  path: string,
  query: URLSearchParams,
  body: Buffer,
  deps: { faults: FaultController; stats: CallStats; rateLimiter: RateLimiter },
): WireResponse {
  try {
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
        const parsed = body.length ? (JSON.parse(body.toString('utf8')) as unknown) : {};
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
        const parsed = body.length ? (JSON.parse(body.toString('utf8')) as { spec?: unknown }) : {};
        if (typeof parsed.spec !== 'string') throw new Error('expected {"spec": "quota"} or {"spec": "Op=RATE/BURST,..."}');
        deps.rateLimiter.set(parseRateLimits(parsed.spec));
      } else if (method === 'DELETE') {
        deps.rateLimiter.clear();
      } else if (method !== 'GET') {
        return json(404, { message: 'Unknown admin endpoint' });
      }
      return json(200, { rateLimits: deps.rateLimiter.current() });
    }
    return json(404, { message: 'Unknown admin endpoint' });
  } catch (err) {
    return json(400, { message: err instanceof Error ? err.message : 'Bad request' });
  }
}
