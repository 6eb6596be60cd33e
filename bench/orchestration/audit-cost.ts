import { GATEWAY_ENV } from '../config/bench-config';
import { auditRecordCount } from '../lib/audit-records';
import { cpuTimeMs } from '../lib/proc-stats';
import type { Measurement, AuditCostRun } from '../report/result-types';
import { VariantServer } from '../servers/variant-server';
import { readRequest } from '../workloads/read-requests';
import type { BenchContext } from './bench-context';
import { fixedRateDuration, loadRunSummary } from './load-run-summary';
import { verifyAnswers } from './verify-answers';

/** Sockets of a fixed-rate run (as the main fixed-rate runs). */
const MAX_IN_FLIGHT = 64;
/** Used when the round measured no fixed rate for (c) (it was left out of BENCH_WORKLOADS). */
const FALLBACK_RATE = 20;

/**
 * What the audit trail adds to (c), whose typed patient fields make every operation a PHI read
 * that is recorded before it is answered: the round's gateway (trail on, SQLite) against the same
 * gateway built without a trail, at (c)'s fixed rate, 0 ms upstream, in alternating pairs
 * (on off, off on, ...), so that drift of a shared machine falls on both sides.
 */
export async function measureAuditCost(
  ctx: BenchContext,
  round: number,
  gateway: { baseUrl: string; pid: number; expectedBody: string; auditSqliteFile: string },
  roundMeasurements: Measurement[],
): Promise<AuditCostRun[]> {
  const { config, log } = ctx;
  await ctx.hil.setLatency(0);
  const mainRun = roundMeasurements.find(
    (m) =>
      m.round === round &&
      m.upstreamLatencyMs === 0 &&
      m.workload === 'metadata-detail' &&
      m.variant === 'gateway' &&
      m.kind === 'fixed-rate',
  );
  const rate = mainRun?.offeredRate ?? FALLBACK_RATE;
  const durationS = fixedRateDuration(rate, config.durationS);
  const request = readRequest('metadata-detail', 'graphql', ctx.readTargets, ctx.tenant.apiKey);

  const probe = readRequest('viewer-header', 'graphql', ctx.readTargets, ctx.tenant.apiKey);
  // Started like the round's gateway (heap flags, environment), so only the trail differs.
  const withoutAudit = await VariantServer.start('gateway-no-audit', {
    tenant: ctx.tenant,
    probe,
    nodeFlags: config.gatewayNodeOptions,
    env: { ...GATEWAY_ENV },
  });
  const runs: AuditCostRun[] = [];
  try {
    const verified = await verifyAnswers(ctx, 'gateway', withoutAudit.baseUrl, ['metadata-detail']);
    const [mismatch] = verified.mismatches;
    if (mismatch) log(`  gateway without audit answered (c) differently: ${mismatch.detail}`);
    const scenarioOf = (expectedBody: string) => ({ kind: 'fixed' as const, steps: [{ request, expectedBody }] });
    const targets = {
      on: { baseUrl: gateway.baseUrl, pid: gateway.pid, scenario: scenarioOf(gateway.expectedBody) },
      // Held to the audited gateway's bytes: the trail must change nothing in the answer.
      off: { baseUrl: withoutAudit.baseUrl, pid: withoutAudit.pid, scenario: scenarioOf(gateway.expectedBody) },
    };
    if (config.warmupS > 0) {
      await ctx.loadgen.run({
        baseUrl: withoutAudit.baseUrl,
        scenario: targets.off.scenario,
        mode: { kind: 'closed', connections: 10, durationS: config.warmupS },
      });
    }
    for (let pair = 1; pair <= config.auditPairs; pair++) {
      const order: Array<'on' | 'off'> = (round + pair) % 2 === 0 ? ['on', 'off'] : ['off', 'on'];
      for (const audit of order) {
        await ctx.hil.quiesce();
        const before = audit === 'on' ? auditRecordCount(gateway.auditSqliteFile) : 0;
        const mode = { kind: 'paced' as const, operationsPerSecond: rate, durationS, maxInFlight: MAX_IN_FLIGHT };
        const cpuBefore = cpuTimeMs(targets[audit].pid);
        const result = await ctx.loadgen.run({
          baseUrl: targets[audit].baseUrl,
          scenario: targets[audit].scenario,
          mode,
        });
        const cpuMs = cpuTimeMs(targets[audit].pid) - cpuBefore;
        const summary = loadRunSummary(mode, result);
        const written = audit === 'on' ? auditRecordCount(gateway.auditSqliteFile) - before : undefined;
        const run: AuditCostRun = {
          round,
          pair,
          audit,
          ...summary,
          ...(written !== undefined && summary.operations > 0
            ? { auditRecordsPerOperation: written / summary.operations }
            : {}),
          ...(summary.operations > 0 ? { serverCpuMsPerOperation: cpuMs / summary.operations } : {}),
        };
        runs.push(run);
        log(
          `  r${round} audit ${audit.padEnd(3)} (c) rate=${rate.toFixed(1)}/s  p50 ${run.latencyMs.p50.toFixed(2)} p99 ${run.latencyMs.p99.toFixed(2)} ms` +
            `  cpu ${run.serverCpuMsPerOperation?.toFixed(2) ?? '?'} ms/op` +
            `${run.auditRecordsPerOperation !== undefined ? `  ${run.auditRecordsPerOperation.toFixed(2)} records/op` : ''}${run.void ? ` VOID (${run.failureSamples[0] ?? ''})` : ''}`,
        );
      }
    }
  } finally {
    await withoutAudit.stop();
  }
  return runs;
}
