import { loadavg } from 'node:os';
import { join } from 'node:path';
import { GATEWAY_ENV } from '../config/bench-config';
import { memory } from '../lib/proc-stats';
import type { LoadMode } from '../loadgen/protocol';
import type { AttackRound, AuditCostRun, CallCount, Measurement, RoundFacts } from '../report/result-types';
import { VariantServer } from '../servers/variant-server';
import { readRequest } from '../workloads/read-requests';
import { styleOf, type ReadWorkloadName, type VariantName } from '../workloads/variants';
import { runAttackPhase } from './attack-phase';
import { measureAuditCost } from './audit-cost';
import type { BenchContext } from './bench-context';
import { countUpstreamCalls } from './count-calls';
import { measure } from './measure';
import { scenarioFor } from './scenarios';
import { verifyAnswers } from './verify-answers';

/** Sockets of a fixed-rate run; below the write pool's size, so a pool never runs dry. */
const FIXED_RATE_MAX_IN_FLIGHT = 64;
/** Fixed-rate runs last long enough for this many operations (p99 needs samples), within limits. */
const FIXED_RATE_MIN_OPERATIONS = 100;

export interface RoundOutput {
  facts: RoundFacts;
  measurements: Measurement[];
  callCounts: CallCount[];
  auditCostRuns: AuditCostRun[];
  attackRound?: AttackRound;
}

function rotate<T>(items: readonly T[], by: number): T[] {
  const shift = by % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}

/**
 * One round: every variant started fresh (cold start), its answers verified, its upstream calls
 * counted, then, per upstream latency and workload, the throughput runs and the fixed-rate runs
 * with the variants interleaved (A B C D, next round B C D A). The floor makes no upstream call,
 * so it runs at the first latency only.
 */
export async function runRound(ctx: BenchContext, round: number): Promise<RoundOutput> {
  const { config, log } = ctx;
  const order = rotate(config.variants, round - 1);
  const facts: RoundFacts = {
    round,
    coldStartMs: {},
    peakRssMiB: {},
    idleRssMiB: {},
    endRssMiB: {},
    loadAverage: loadavg()[0],
    mismatches: [],
  };
  const measurements: Measurement[] = [];
  const callCounts: CallCount[] = [];
  const servers = new Map<VariantName, VariantServer>();
  const expected = new Map<VariantName, Partial<Record<ReadWorkloadName, string>>>();
  const voided = new Set<string>();
  const auditCostRuns: AuditCostRun[] = [];
  let attackRound: AttackRound | undefined;
  // The gateway runs as deployed: its audit trail on, in a SQLite file (as `npm start`), fresh each round.
  const auditSqliteFile = join(ctx.workDir, `audit-round-${round}`, 'audit.sqlite');

  await ctx.hil.setLatency(0);
  try {
    for (const variant of order) {
      const probe = readRequest('viewer-header', styleOf(variant), ctx.readTargets, ctx.tenant.apiKey);
      const server = await VariantServer.start(variant, {
        tenant: ctx.tenant,
        probe,
        ...(variant === 'floor' ? { floorBodiesFile: ctx.floorBodiesFile } : {}),
        ...(config.cpuProfileDir && config.cpuProfileVariants.includes(variant)
          ? { cpuProfileDir: `${config.cpuProfileDir}/${variant}` }
          : {}),
        ...(variant === 'gateway' && config.gatewayNodeOptions.length > 0
          ? { nodeFlags: config.gatewayNodeOptions }
          : {}),
        ...(variant === 'gateway' ? { auditSqliteFile, env: { ...GATEWAY_ENV } } : {}),
      });
      servers.set(variant, server);
      facts.coldStartMs[variant] = server.coldStartMs;
      facts.idleRssMiB![variant] = memory(server.pid).rssMiB;
      const verified = await verifyAnswers(ctx, variant, server.baseUrl, config.workloads);
      expected.set(variant, verified.expectedBodies);
      for (const mismatch of verified.mismatches) {
        facts.mismatches.push({ variant, ...mismatch });
        voided.add(`${variant}/${mismatch.workload}`);
        log(
          `  ${variant} answered ${mismatch.workload} differently from the hand-written reference: ${mismatch.detail}`,
        );
      }
      log(
        `  ${variant}: cold start ${server.coldStartMs.toFixed(0)} ms, idle RSS ${facts.idleRssMiB![variant].toFixed(0)} MiB`,
      );
    }

    for (const workload of config.workloads) {
      for (const variant of order) {
        if (variant === 'floor' || voided.has(`${variant}/${workload}`)) continue;
        const server = servers.get(variant)!;
        try {
          await ctx.hil.quiesce();
          const scenario = await scenarioFor(ctx, workload, variant, expected.get(variant)!);
          callCounts.push(await countUpstreamCalls(ctx, round, workload, variant, server.baseUrl, scenario));
        } catch (error) {
          voided.add(`${variant}/${workload}`);
          facts.mismatches.push({ variant, workload, detail: error instanceof Error ? error.message : String(error) });
          log(`  ${(error as Error).message}`);
        }
      }
    }

    for (const [latencyIndex, upstreamLatencyMs] of config.upstreamLatenciesMs.entries()) {
      await ctx.hil.setLatency(upstreamLatencyMs);
      const here = order.filter((variant) => variant !== 'floor' || latencyIndex === 0);
      for (const workload of config.workloads) {
        const runnable = here.filter((variant) => !voided.has(`${variant}/${workload}`));
        const run = async (variant: VariantName, mode: LoadMode): Promise<Measurement> => {
          const server = servers.get(variant)!;
          await ctx.hil.quiesce();
          const scenario = await scenarioFor(ctx, workload, variant, expected.get(variant)!);
          return measure(
            ctx,
            { round, upstreamLatencyMs, workload, variant, baseUrl: server.baseUrl, pid: server.pid },
            scenario,
            mode,
          );
        };

        for (const [index, connections] of config.connections.entries()) {
          for (const variant of runnable) {
            if (index === 0 && config.warmupS > 0)
              await run(variant, { kind: 'closed', connections, durationS: config.warmupS });
            const result = await run(variant, { kind: 'closed', connections, durationS: config.durationS });
            measurements.push(result);
            log(describe(result));
          }
        }

        const maxOf = (variant: VariantName): number =>
          Math.max(
            0,
            ...measurements
              .filter(
                (m) =>
                  m.round === round &&
                  m.upstreamLatencyMs === upstreamLatencyMs &&
                  m.workload === workload &&
                  m.variant === variant &&
                  m.kind === 'throughput' &&
                  !m.void,
              )
              .map((m) => m.operationsPerSecond),
          );
        // Half of the slower of the two compared servers: both then run below saturation, and the
        // difference in latency is the gateway's own cost, not queueing (capacity is the throughput ratio's job).
        const capacities = [maxOf('hand-written'), maxOf('gateway')].filter((value) => value > 0);
        const capacity = capacities.length > 0 ? Math.min(...capacities) : 0;
        if (capacity <= 0) {
          log(`  no valid throughput for ${workload} at ${upstreamLatencyMs} ms: fixed-rate runs skipped`);
          continue;
        }
        const rate = Math.max(1, capacity * config.rateFraction);
        const durationS = Math.min(
          config.durationS * 1.5,
          Math.max(config.durationS, FIXED_RATE_MIN_OPERATIONS / rate),
        );
        for (const variant of runnable) {
          const result = await run(variant, {
            kind: 'paced',
            operationsPerSecond: rate,
            durationS,
            maxInFlight: FIXED_RATE_MAX_IN_FLIGHT,
          });
          measurements.push(result);
          log(describe(result));
        }
      }
    }

    const gateway = servers.get('gateway');
    if (gateway && (config.auditPairs > 0 || config.attackRepeats > 0)) {
      // Both phases run at 0 ms upstream, where the gateway's own CPU is the bottleneck.
      await ctx.hil.setLatency(0);
      const verified = await verifyAnswers(ctx, 'gateway', gateway.baseUrl, ['viewer-header', 'metadata-detail']);
      for (const mismatch of verified.mismatches)
        log(`  gateway answered ${mismatch.workload} differently before the security phases: ${mismatch.detail}`);
      const detail = verified.expectedBodies['metadata-detail'];
      if (config.auditPairs > 0 && detail !== undefined) {
        auditCostRuns.push(
          ...(await measureAuditCost(
            ctx,
            round,
            { baseUrl: gateway.baseUrl, pid: gateway.pid, expectedBody: detail, auditSqliteFile },
            measurements,
          )),
        );
      }
      const header = verified.expectedBodies['viewer-header'];
      if (config.attackRepeats > 0 && header !== undefined) {
        attackRound = await runAttackPhase(
          ctx,
          round,
          { baseUrl: gateway.baseUrl, expectedViewerHeader: header },
          measurements,
        );
      }
    }
  } finally {
    for (const [variant, server] of servers) {
      try {
        const sample = memory(server.pid);
        facts.peakRssMiB[variant] = sample.peakRssMiB;
        facts.endRssMiB![variant] = sample.rssMiB;
      } catch {
        // The process is already gone; its peak is unknown for this round.
      }
      await server.stop();
    }
    await ctx.hil.setLatency(0);
  }
  return { facts, measurements, callCounts, auditCostRuns, ...(attackRound ? { attackRound } : {}) };
}

function describe(m: Measurement): string {
  const mode = m.kind === 'throughput' ? `c=${m.connections}` : `rate=${m.offeredRate!.toFixed(1)}/s`;
  const status =
    (m.void ? ` VOID (${m.failures} failures: ${m.failureSamples[0] ?? ''})` : '') +
    (m.unfinished ? ` SATURATED (${m.unfinished} unanswered at the cut)` : '');
  return `  r${m.round} ${m.upstreamLatencyMs}ms ${m.workload.padEnd(15)} ${m.variant.padEnd(13)} ${mode.padEnd(14)} ${m.operationsPerSecond.toFixed(1).padStart(8)} op/s  p50 ${m.latencyMs.p50.toFixed(1)} p99 ${m.latencyMs.p99.toFixed(1)} ms${m.serverCpuMsPerOperation !== undefined ? `  cpu ${m.serverCpuMsPerOperation.toFixed(2)} ms/op` : ''}${status}`;
}
