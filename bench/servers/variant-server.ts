import { performance } from 'node:perf_hooks';
import { ManagedChild } from '../lib/child-process';
import { distPath } from '../lib/dist-paths';
import { freePort } from '../lib/free-port';
import { httpRequest } from '../lib/http-client';
import type { BenchTenant } from '../fixture/bench-tenant';
import type { RequestTemplate, VariantName } from '../workloads/variants';

/**
 * One measured server in its own process. Started fresh every round; its cold start is the time
 * from spawn to the first correct answer to a real query (module loading, schema building, first
 * SDK client, first upstream calls), polled every few milliseconds.
 */
/** The measured variants, plus the gateway without its audit trail (the audit's cost is their difference). */
export type ServerKind = VariantName | 'gateway-no-audit';

const ENTRY: Record<ServerKind, string[]> = {
  floor: ['bench', 'servers', 'floor-server.js'],
  'hand-written': ['bench', 'servers', 'hand-written-server.js'],
  'naive-graphql': ['bench', 'servers', 'naive-graphql-server.js'],
  gateway: ['src', 'main.js'],
  'gateway-no-audit': ['bench', 'servers', 'gateway-no-audit-server.js'],
};

const COLD_START_TIMEOUT_MS = 60_000;
const PROBE_INTERVAL_MS = 5;

export interface VariantStartOptions {
  tenant: BenchTenant;
  /** Floor only: the JSON file of fixed bodies per route. */
  floorBodiesFile?: string;
  /** The query whose first correct answer ends the cold start. */
  probe: RequestTemplate;
  /** Set: run under `--cpu-prof`, writing the profile here when the server stops. */
  cpuProfileDir?: string;
  /** Extra Node flags (experiments). */
  nodeFlags?: string[];
  /** The gateway's audit trail: a SQLite file (as `npm start` uses), in the bench's temporary folder. */
  auditSqliteFile?: string;
  /** Set last, over the defaults and removals above: e.g. REDIS_URL for the replica phase. */
  env?: Record<string, string>;
}

export class VariantServer {
  private constructor(
    readonly variant: ServerKind,
    readonly baseUrl: string,
    readonly child: ManagedChild,
    readonly coldStartMs: number,
  ) {}

  static async start(variant: ServerKind, options: VariantStartOptions): Promise<VariantServer> {
    const port = await freePort();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...options.tenant.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      TENANTS_FILE: options.tenant.tenantsFile,
      NODE_ENV: 'production',
      // One log line per request is the gateway's default; none of the baselines logs, so none
      // of the measured servers does.
      LOG_LEVEL: 'warn',
      // HealthImaging Local meters nothing here and one account drives thousands of calls/s: the
      // upstream budgets still run on every call (their cost is measured) but never hold one.
      UPSTREAM_WRITE_RATE_PER_SECOND: '100000',
      UPSTREAM_WRITE_BURST: '1000000',
      UPSTREAM_READ_BUDGETS: '*=100000/1000000',
      ...(options.floorBodiesFile ? { BODIES_FILE: options.floorBodiesFile } : {}),
      ...(options.auditSqliteFile ? { AUDIT_SQLITE_FILE: options.auditSqliteFile } : {}),
    };
    delete env.GATEWAY_ENV;
    // The bench measures the SQLite trail, never a database someone's shell happens to point at.
    delete env.AUDIT_DATABASE_URL;
    // Likewise the rate limiter's buckets stay in the process (the `npm start` default), not in a Redis.
    delete env.REDIS_URL;
    delete env.NODE_OPTIONS;
    Object.assign(env, options.env);
    const nodeFlags = [
      ...(options.nodeFlags ?? []),
      ...(options.cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', options.cpuProfileDir] : []),
    ];
    const baseUrl = `http://127.0.0.1:${port}`;

    const started = performance.now();
    const child = ManagedChild.spawn(variant, process.execPath, [...nodeFlags, distPath(...ENTRY[variant])], { env });
    const coldStartMs = await firstAnswer(child, baseUrl, options.probe, started);
    return new VariantServer(variant, baseUrl, child, coldStartMs);
  }

  get pid(): number {
    return this.child.pid;
  }

  stop(): Promise<void> {
    return this.child.stop(10_000);
  }
}

async function firstAnswer(
  child: ManagedChild,
  baseUrl: string,
  probe: RequestTemplate,
  started: number,
): Promise<number> {
  const deadline = started + COLD_START_TIMEOUT_MS;
  let lastProblem = 'no answer yet';
  while (performance.now() < deadline) {
    if (!child.alive) throw new Error(`${child.name} exited during start-up. Last output:\n${child.recentOutput()}`);
    try {
      const answer = await httpRequest(baseUrl, probe, 10_000);
      const answeredAt = performance.now();
      if (answer.status === 200) {
        const parsed = JSON.parse(answer.body) as { data?: unknown; errors?: unknown };
        if (parsed.data && parsed.errors === undefined) return answeredAt - started;
      }
      // A wrong answer will not fix itself by waiting: the probe query is broken.
      throw new Error(
        `${child.name} answered its first query with HTTP ${answer.status}: ${answer.body.slice(0, 500)}`,
      );
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ECONNREFUSED' && code !== 'ECONNRESET') throw error;
      lastProblem = code;
    }
    await new Promise((resolve) => setTimeout(resolve, PROBE_INTERVAL_MS));
  }
  throw new Error(
    `${child.name} did not answer within ${COLD_START_TIMEOUT_MS} ms (${lastProblem}). Last output:\n${child.recentOutput()}`,
  );
}
