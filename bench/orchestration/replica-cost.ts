import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Redis } from 'ioredis';
import { GATEWAY_ENV } from '../config/bench-config';
import { closeRedis, connectRedis, redisReady } from '../../src/limits/rate-limits-redis';
import { startRoundRobinProxy, type RunningProxy } from '../../scripts/round-robin-proxy';
import { httpRequest } from '../lib/http-client';
import { cpuTimeMs } from '../lib/proc-stats';
import { median, quantileSorted } from '../lib/stats';
import type { PacedLoad } from '../loadgen/protocol';
import type { LoadRunSummary } from '../report/result-types';
import { VariantServer } from '../servers/variant-server';
import { readRequest } from '../workloads/read-requests';
import type { BenchContext } from './bench-context';
import { loadRunSummary } from './load-run-summary';

/**
 * What sharing the gateway's state in Redis costs a request (issue 8's benchmark): (a) viewer
 * header at one fixed rate, open loop, through the same round-robin proxy, against
 *
 * - `memory-1`: one replica, every limit in its own memory (the `npm start` default);
 * - `redis-1`: one replica with REDIS_URL (rate limits and upstream budgets in Redis);
 * - `redis-2`: two replicas over one Redis key prefix: the production shape.
 *
 * The proxy is in every arm, so the differences are the Redis round trips (redis-1) and those plus
 * a second process on the same cores (redis-2). Arms rotate within each pair of runs (ABC, BCA,
 * CAB...) so that a shared machine's drift falls on all three. The rate limits and budgets are the
 * bench tenant's ceilings: every request consults them, none is refused.
 */
export const REPLICA_ARMS = ['memory-1', 'redis-1', 'redis-2'] as const;
export type ReplicaArm = (typeof REPLICA_ARMS)[number];

/** Sockets of a run (as the main fixed-rate runs). */
const MAX_IN_FLIGHT = 64;
const REDIS_PINGS = 500;

export interface ReplicaRun extends LoadRunSummary {
  pair: number;
  arm: ReplicaArm;
  /** User + system CPU of the arm's gateway processes per operation. */
  serverCpuMsPerOperation?: number;
  /**
   * Redis round trips per operation: EVALSHA calls (each limiter or budget take is one script call);
   * the commands those scripts run inside Redis are in `redisCommandsPerOperation`, not here.
   */
  redisScriptCallsPerOperation: number;
  /** Every command Redis counted per operation, those run inside scripts included. */
  redisCommandsPerOperation: number;
}

export interface ReplicaCostResult {
  workload: 'viewer-header';
  offeredRate: number;
  durationS: number;
  pairs: number;
  /** Round trip of a PING from the bench process: the floor of one Redis command here. */
  redisPingMs: { p50: number; p99: number };
  loadAverageAtStart: number[];
  loadAverageAtEnd: number[];
  runs: ReplicaRun[];
  /** Per arm, over its runs: median p50 and p99 latency (ms), CPU and Redis commands per operation. */
  arms: Record<
    ReplicaArm,
    {
      p50Ms: number;
      p99Ms: number;
      cpuMsPerOperation: number;
      redisScriptCallsPerOperation: number;
      redisCommandsPerOperation: number;
    }
  >;
  /**
   * A run fell behind its rate (operations left unanswered, or a p50 above the gap between
   * arrivals: requests queued): the latencies are the machine's queue, not the gateway's cost.
   */
  saturated: boolean;
  /** Median p50 of the arm minus memory-1's: what Redis (and the second replica) adds per request. */
  addedP50Ms: { 'redis-1': number; 'redis-2': number };
}

interface Arm {
  name: ReplicaArm;
  servers: VariantServer[];
  proxy: RunningProxy;
}

/**
 * Redis's own counters so far (INFO commandstats, the INFO calls left out): every command, and the
 * EVALSHA calls alone. Server-wide: other clients of the same Redis during a run count too.
 */
async function redisCounters(redis: Redis): Promise<{ scripts: number; commands: number }> {
  const text = await redis.info('commandstats');
  let scripts = 0;
  let commands = 0;
  for (const match of text.matchAll(/^cmdstat_([\w|]+):calls=(\d+)/gm)) {
    if (match[1] === 'info') continue;
    commands += Number(match[2]);
    if (match[1] === 'evalsha' || match[1] === 'eval') scripts += Number(match[2]);
  }
  return { scripts, commands };
}

async function pingLatency(redis: Redis): Promise<{ p50: number; p99: number }> {
  const samples: number[] = [];
  for (let i = 0; i < REDIS_PINGS; i++) {
    const started = performance.now();
    await redis.ping();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return { p50: quantileSorted(samples, 0.5), p99: quantileSorted(samples, 0.99) };
}

export async function measureReplicaCost(
  ctx: Pick<BenchContext, 'config' | 'hil' | 'tenant' | 'loadgen' | 'readTargets' | 'workDir' | 'log'>,
): Promise<ReplicaCostResult | undefined> {
  const { config, log } = ctx;
  const redis = connectRedis(config.redisUrl);
  try {
    if (!(await redisReady(redis, 2000))) {
      log(`replicas: Redis does not answer at ${new URL(config.redisUrl).host}; the replica phase is skipped`);
      return undefined;
    }
    return await measureWith(ctx, redis);
  } finally {
    await closeRedis(redis);
  }
}

async function measureWith(
  ctx: Pick<BenchContext, 'config' | 'hil' | 'tenant' | 'loadgen' | 'readTargets' | 'workDir' | 'log'>,
  redis: Redis,
): Promise<ReplicaCostResult> {
  const { config, log } = ctx;
  const loadAverageAtStart = loadavg();
  await ctx.hil.setLatency(0);
  const request = readRequest('viewer-header', 'graphql', ctx.readTargets, ctx.tenant.apiKey);
  const runId = randomBytes(4).toString('hex');

  const startArm = async (name: ReplicaArm): Promise<Arm> => {
    const count = name === 'redis-2' ? 2 : 1;
    // One deployment per arm: its own key prefix, one audit file shared by its replicas.
    const env: Record<string, string> =
      name === 'memory-1' ? {} : { REDIS_URL: config.redisUrl, REDIS_KEY_PREFIX: `bench:${runId}:${name}:` };
    const servers: VariantServer[] = [];
    for (let index = 0; index < count; index++)
      servers.push(
        await VariantServer.start('gateway', {
          tenant: ctx.tenant,
          probe: request,
          auditSqliteFile: `${ctx.workDir}/replicas-${name}/audit.sqlite`,
          nodeFlags: config.gatewayNodeOptions,
          env: { ...GATEWAY_ENV, ...env },
        }),
      );
    const proxy = await startRoundRobinProxy({
      targets: servers.map((server, index) => ({ name: `${name}-${index + 1}`, origin: server.baseUrl })),
      port: 0,
      host: '127.0.0.1',
    });
    return { name, servers, proxy };
  };

  const arms: Arm[] = [];
  try {
    for (const name of REPLICA_ARMS) arms.push(await startArm(name));
    // Every arm, through both of redis-2's replicas, must answer exactly the same bytes.
    const [reference] = arms;
    if (!reference) throw new Error('no arm started');
    const expectedBody = (await httpRequest(reference.proxy.origin, request)).body;
    for (const arm of arms)
      for (let i = 0; i < 4; i++) {
        const answer = await httpRequest(arm.proxy.origin, request);
        if (answer.status !== 200 || answer.body !== expectedBody)
          throw new Error(`${arm.name} answered (a) differently (HTTP ${answer.status}): ${answer.body.slice(0, 300)}`);
      }
    const scenario = { kind: 'fixed' as const, steps: [{ request, expectedBody }] };
    for (const arm of arms)
      if (config.warmupS > 0)
        await ctx.loadgen.run({
          baseUrl: arm.proxy.origin,
          scenario,
          mode: { kind: 'closed', connections: 10, durationS: Math.max(2, config.warmupS) },
        });

    const redisPingMs = await pingLatency(redis);
    log(
      `  replicas: Redis PING from the bench p50 ${redisPingMs.p50.toFixed(3)} ms, p99 ${redisPingMs.p99.toFixed(3)} ms`,
    );
    const mode: PacedLoad = {
      kind: 'paced',
      operationsPerSecond: config.replicaRate,
      durationS: config.replicaDurationS,
      maxInFlight: MAX_IN_FLIGHT,
    };
    const runs: ReplicaRun[] = [];
    for (let pair = 1; pair <= config.replicaPairs; pair++) {
      const shift = (pair - 1) % arms.length;
      for (const arm of [...arms.slice(shift), ...arms.slice(0, shift)]) {
        await ctx.hil.quiesce();
        const pids = arm.servers.map((server) => server.pid);
        const cpuBefore = pids.reduce((sum, pid) => sum + cpuTimeMs(pid), 0);
        const countersBefore = await redisCounters(redis);
        const result = await ctx.loadgen.run({ baseUrl: arm.proxy.origin, scenario, mode });
        const countersAfter = await redisCounters(redis);
        const cpuMs = pids.reduce((sum, pid) => sum + cpuTimeMs(pid), 0) - cpuBefore;
        const summary = loadRunSummary(mode, result);
        const perOperation = (count: number): number => (summary.operations > 0 ? count / summary.operations : 0);
        const run: ReplicaRun = {
          pair,
          arm: arm.name,
          ...summary,
          ...(summary.operations > 0 ? { serverCpuMsPerOperation: cpuMs / summary.operations } : {}),
          redisScriptCallsPerOperation: perOperation(countersAfter.scripts - countersBefore.scripts),
          redisCommandsPerOperation: perOperation(countersAfter.commands - countersBefore.commands),
        };
        runs.push(run);
        log(
          `  replicas ${String(pair)} ${arm.name.padEnd(8)} rate=${mode.operationsPerSecond}/s  p50 ${run.latencyMs.p50.toFixed(2)} p99 ${run.latencyMs.p99.toFixed(2)} ms` +
            `  cpu ${run.serverCpuMsPerOperation?.toFixed(2) ?? '?'} ms/op  redis ${run.redisScriptCallsPerOperation.toFixed(1)} scripts, ${run.redisCommandsPerOperation.toFixed(1)} commands/op` +
            `${run.void ? ` VOID (${run.failureSamples[0] ?? ''})` : ''}`,
        );
      }
    }
    return summarize({ mode, pairs: config.replicaPairs, redisPingMs, loadAverageAtStart, runs });
  } finally {
    for (const arm of arms) {
      await arm.proxy.close();
      for (const server of arm.servers) await server.stop();
    }
  }
}

function summarize(facts: {
  mode: PacedLoad;
  pairs: number;
  redisPingMs: { p50: number; p99: number };
  loadAverageAtStart: number[];
  runs: ReplicaRun[];
}): ReplicaCostResult {
  const valid = facts.runs.filter((run) => !run.void);
  const armOf = (name: ReplicaArm) => {
    const runs = valid.filter((run) => run.arm === name);
    return {
      p50Ms: median(runs.map((run) => run.latencyMs.p50)),
      p99Ms: median(runs.map((run) => run.latencyMs.p99)),
      cpuMsPerOperation: median(runs.map((run) => run.serverCpuMsPerOperation ?? Number.NaN)),
      redisScriptCallsPerOperation: median(runs.map((run) => run.redisScriptCallsPerOperation)),
      redisCommandsPerOperation: median(runs.map((run) => run.redisCommandsPerOperation)),
    };
  };
  const arms = { 'memory-1': armOf('memory-1'), 'redis-1': armOf('redis-1'), 'redis-2': armOf('redis-2') };
  return {
    workload: 'viewer-header',
    offeredRate: facts.mode.operationsPerSecond,
    durationS: facts.mode.durationS,
    pairs: facts.pairs,
    redisPingMs: facts.redisPingMs,
    loadAverageAtStart: facts.loadAverageAtStart,
    loadAverageAtEnd: loadavg(),
    runs: facts.runs,
    arms,
    saturated: facts.runs.some(
      (run) => (run.unfinished ?? 0) > 0 || run.latencyMs.p50 > 1000 / facts.mode.operationsPerSecond,
    ),
    addedP50Ms: {
      'redis-1': arms['redis-1'].p50Ms - arms['memory-1'].p50Ms,
      'redis-2': arms['redis-2'].p50Ms - arms['memory-1'].p50Ms,
    },
  };
}
