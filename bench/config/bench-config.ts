import { VARIANTS, WORKLOADS, type VariantName, type WorkloadName } from '../workloads/variants';

/**
 * The bench's knobs, from the environment (`npm run bench` reads `process.env` here only).
 * Defaults keep a full run near a quarter of an hour on a 2-core machine.
 */
export interface BenchConfig {
  /** Seconds of each measured run (whole seconds: autocannon ends a run on its 1 s tick). */
  durationS: number;
  /** Seconds of discarded load before a variant's first run of a workload at a latency. */
  warmupS: number;
  rounds: number;
  /** Connection counts of the closed-loop throughput runs. */
  connections: number[];
  /** Latency HealthImaging Local adds to every call, one pass each. */
  upstreamLatenciesMs: number[];
  workloads: WorkloadName[];
  variants: VariantName[];
  /** Sequential operations per variant and workload for the exact upstream call counts. */
  countOperations: number;
  /** Fixed-rate runs offer this fraction of the hand-written server's measured maximum. */
  rateFraction: number;
  /** Set: written into the tenants file as `upstream.maxConcurrency` (unset: the gateway's default). */
  tenantMaxConcurrency?: number;
  /** Node flags of the gateway process only: its deployed heap budget unless set (experiments). */
  gatewayNodeOptions: string[];
  /** Set: the variants of `cpuProfileVariants` run under `--cpu-prof` and their profiles land here. */
  cpuProfileDir?: string;
  cpuProfileVariants: VariantName[];
  outDir: string;
  /** Pairs of (c) runs with the audit trail on and off per round (0: no audit-cost phase). */
  auditPairs: number;
  /** Times each attack document is sent per round while (a) runs (0: no attack phase). */
  attackRepeats: number;
  /** The run the gateway's figures are compared with; unset: the newest earlier `<date>.json` in the results folder. */
  previousResults?: string;
  /** What runs: `rounds` (the variant matrix and its phases) and `replicas` (shared state in Redis: replica-cost.ts). */
  parts: BenchPart[];
  /** Runs per arm of the replica phase (0: no replica phase). */
  replicaPairs: number;
  /** The replica phase's fixed rate of (a), operations per second, and the length of each run. */
  replicaRate: number;
  replicaDurationS: number;
  /** The Redis the replica phase's gateways share (under a key prefix of the run's own). */
  redisUrl: string;
}

/** The gateway runs as deployed: with the heap budget of `npm start` and docs/deploying.md. */
export const GATEWAY_NODE_OPTIONS = '--max-old-space-size=160';

/**
 * And with its environment: two glibc malloc arenas instead of one per thread that allocates (the
 * libuv pool's gunzip and crypto, the audit writer), whose fragmentation was 15-20 MB of peak RSS.
 */
export const GATEWAY_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '2' };

export const BENCH_PARTS = ['rounds', 'replicas'] as const;
export type BenchPart = (typeof BENCH_PARTS)[number];

function number(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max)
    throw new Error(`${name} must be a number from ${min} to ${max} (got "${raw}")`);
  return value;
}

function list<T extends string>(env: NodeJS.ProcessEnv, name: string, allowed: readonly T[]): T[] {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return [...allowed];
  const items = raw
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  for (const item of items)
    if (!allowed.includes(item as T)) throw new Error(`${name}: unknown "${item}" (known: ${allowed.join(', ')})`);
  // Keep the canonical order whatever the order given.
  return allowed.filter((item) => items.includes(item));
}

function numbers(env: NodeJS.ProcessEnv, name: string, fallback: number[]): number[] {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const values = raw.split(',').map((item) => Number(item.trim()));
  if (values.some((value) => !Number.isInteger(value) || value < 0))
    throw new Error(`${name} must be a comma-separated list of non-negative integers`);
  return values;
}

export function loadBenchConfig(env: NodeJS.ProcessEnv, defaultOutDir: string): BenchConfig {
  const variants = list(env, 'BENCH_VARIANTS', VARIANTS);
  return {
    durationS: number(env, 'BENCH_DURATION_S', 2, 1, 600),
    warmupS: number(env, 'BENCH_WARMUP_S', 1, 0, 60),
    rounds: number(env, 'BENCH_ROUNDS', 3, 1, 20),
    connections: numbers(env, 'BENCH_CONNECTIONS', [10, 50]),
    upstreamLatenciesMs: numbers(env, 'BENCH_LATENCIES_MS', [0, 20]),
    workloads: list(env, 'BENCH_WORKLOADS', WORKLOADS),
    // The hand-written server is the reference every other variant's answers are held to.
    variants: VARIANTS.filter((variant) => variant === 'hand-written' || variants.includes(variant)),
    countOperations: number(env, 'BENCH_COUNT_OPERATIONS', 5, 1, 100),
    rateFraction: number(env, 'BENCH_RATE_FRACTION', 0.5, 0.05, 1),
    ...(env.BENCH_TENANT_MAX_CONCURRENCY
      ? { tenantMaxConcurrency: number(env, 'BENCH_TENANT_MAX_CONCURRENCY', 8, 1, 64) }
      : {}),
    ...(env.BENCH_CPU_PROF_DIR ? { cpuProfileDir: env.BENCH_CPU_PROF_DIR } : {}),
    gatewayNodeOptions: (env.BENCH_GATEWAY_NODE_OPTIONS ?? GATEWAY_NODE_OPTIONS).split(/\s+/).filter(Boolean),
    cpuProfileVariants: env.BENCH_CPU_PROF_VARIANTS ? list(env, 'BENCH_CPU_PROF_VARIANTS', VARIANTS) : ['gateway'],
    outDir: env.BENCH_OUT_DIR ?? defaultOutDir,
    auditPairs: number(env, 'BENCH_AUDIT_PAIRS', 2, 0, 20),
    attackRepeats: number(env, 'BENCH_ATTACK_REPEATS', 8, 0, 100),
    ...(env.BENCH_PREVIOUS_RESULTS ? { previousResults: env.BENCH_PREVIOUS_RESULTS } : {}),
    parts: list(env, 'BENCH_PARTS', BENCH_PARTS),
    replicaPairs: number(env, 'BENCH_REPLICA_PAIRS', 3, 0, 20),
    replicaRate: number(env, 'BENCH_REPLICA_RATE', 50, 1, 10_000),
    replicaDurationS: number(env, 'BENCH_REPLICA_DURATION_S', 10, 1, 600),
    redisUrl: env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
  };
}
