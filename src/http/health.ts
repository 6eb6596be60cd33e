import type { ServerResponse } from 'node:http';
import type { Redis } from 'ioredis';
import type { AuditStore } from '../audit/audit-store';
import type { TenantRegistry } from '../tenants/tenant-registry';
import { sendJsonError } from './json-responses';
import type { Route } from './router';

export const HEALTH_PATH = '/healthz';
export const READY_PATH = '/readyz';

/** A dependency that does not answer within this is not ready (a probe must never hang). */
export const READINESS_CHECK_TIMEOUT_MS = 2000;
/** A tenant id no tenants file can hold (ids are identifier-shaped), so the audit probe reads nothing. */
const AUDIT_PROBE_TENANT = '(readiness probe)';

/** One thing readiness depends on. `check` resolves true when it is usable. */
export interface ReadinessCheck {
  name: string;
  check(): Promise<boolean>;
}

export interface ReadinessReport {
  ready: boolean;
  /** Each check's verdict; never an error message (it could name a host or hold a password). */
  checks: Record<string, 'ok' | 'failed'>;
}

export function tenantsCheck(registry: TenantRegistry): ReadinessCheck {
  return { name: 'tenants', check: async () => registry.all().length > 0 };
}

/** A one-row read the store must answer through its connection (a closed SQLite file or a lost pool fails it). */
export function auditStoreCheck(audit: AuditStore): ReadinessCheck {
  return {
    name: 'auditStore',
    check: async () => {
      await audit.list(AUDIT_PROBE_TENANT, { first: 1 });
      return true;
    },
  };
}

/** The client is connected and answers PING (it fails at once while disconnected: no offline queue). */
export function redisCheck(redis: Redis): ReadinessCheck {
  return { name: 'redis', check: async () => redis.status === 'ready' && (await redis.ping()) === 'PONG' };
}

/**
 * Readiness: whether this replica should be sent traffic. Concurrent probes share one run of the
 * checks, so a burst of probes costs the dependencies one round of queries.
 */
export class Readiness {
  private running: Promise<ReadinessReport> | undefined;

  constructor(
    private readonly checks: readonly ReadinessCheck[],
    private readonly timeoutMs = READINESS_CHECK_TIMEOUT_MS,
  ) {}

  report(): Promise<ReadinessReport> {
    this.running ??= this.run().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async run(): Promise<ReadinessReport> {
    const verdicts = await Promise.all(
      this.checks.map((check) => withTimeout(check.check(), this.timeoutMs).catch(() => false)),
    );
    const checks: ReadinessReport['checks'] = {};
    this.checks.forEach((check, index) => (checks[check.name] = verdicts[index] ? 'ok' : 'failed'));
    return { ready: verdicts.every(Boolean), checks };
  }
}

function withTimeout(work: Promise<boolean>, ms: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve(false), ms);
    timer.unref();
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/**
 * Answers GET/HEAD /healthz (the process serves HTTP) and /readyz (see `Readiness`); returns the
 * status sent. 503 tells a load balancer to route around this replica.
 */
export async function answerProbe(
  path: string,
  method: string,
  response: ServerResponse,
  readiness: Readiness,
): Promise<number> {
  let status = 200;
  let body: unknown = { status: 'ok' };
  if (path === READY_PATH) {
    const report = await readiness.report();
    status = report.ready ? 200 : 503;
    body = { status: report.ready ? 'ready' : 'not_ready', checks: report.checks };
  }
  const payload = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
    'cache-control': 'no-store',
  });
  response.end(method === 'HEAD' ? undefined : payload);
  return status;
}

/** GET/HEAD of one probe; any other method is answered like an unknown path. */
export function healthRoute(path: typeof HEALTH_PATH | typeof READY_PATH, readiness: Readiness): Route {
  return {
    path,
    handle: (_request, response, { method }) =>
      method === 'GET' || method === 'HEAD'
        ? answerProbe(path, method, response, readiness)
        : Promise.resolve(
            sendJsonError(response, { status: 404, code: 'NOT_FOUND', message: 'Not found; the probes answer GET.' }),
          ),
  };
}
