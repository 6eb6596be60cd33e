import { callDelta } from '../hil/hil-process';
import { cpuTimeMs, memory } from '../lib/proc-stats';
import type { LoadMode, LoadResult, Scenario } from '../loadgen/protocol';
import type { Measurement } from '../report/result-types';
import type { VariantName, WorkloadName } from '../workloads/variants';
import type { BenchContext } from './bench-context';

export interface MeasureTarget {
  round: number;
  upstreamLatencyMs: number;
  workload: WorkloadName;
  variant: VariantName;
  baseUrl: string;
  pid: number;
}

/**
 * One measured run: the load generator drives the server while the bench reads the server's
 * and HealthImaging Local's CPU time and HIL's call counters around it.
 */
export async function measure(
  ctx: BenchContext,
  target: MeasureTarget,
  scenario: Scenario,
  mode: LoadMode,
): Promise<Measurement> {
  const cpuBefore = cpuTimeMs(target.pid);
  const hilCpuBefore = cpuTimeMs(ctx.hil.pid);
  const callsBefore = await ctx.hil.callCounts();
  const result: LoadResult = await ctx.loadgen.run({ baseUrl: target.baseUrl, scenario, mode });
  const cpuMs = cpuTimeMs(target.pid) - cpuBefore;
  const hilCpuMs = cpuTimeMs(ctx.hil.pid) - hilCpuBefore;
  const calls = callDelta(callsBefore, await ctx.hil.callCounts());
  const perOperation = (value: number): number | undefined =>
    result.operations > 0 ? value / result.operations : undefined;
  const serverCpuMsPerOperation = perOperation(cpuMs);
  const hilCpuMsPerOperation = perOperation(hilCpuMs);
  const upstreamCallsPerOperation = perOperation(calls.total);
  const measurement: Measurement = {
    round: target.round,
    upstreamLatencyMs: target.upstreamLatencyMs,
    workload: target.workload,
    variant: target.variant,
    kind: mode.kind === 'closed' ? 'throughput' : 'fixed-rate',
    ...(mode.kind === 'closed' ? { connections: mode.connections } : { offeredRate: mode.operationsPerSecond }),
    durationS: result.durationS,
    operations: result.operations,
    requests: result.requests,
    operationsPerSecond: result.operationsPerSecond,
    latencyMs: result.latencyMs,
    failures: result.failures,
    failureSamples: result.failureSamples,
    void: result.failures > 0 || result.operations === 0,
    ...(result.operations === 0 && result.failures === 0
      ? { failureSamples: ['no operation completed within the run'] }
      : {}),
    ...(serverCpuMsPerOperation !== undefined ? { serverCpuMsPerOperation } : {}),
    ...(hilCpuMsPerOperation !== undefined ? { hilCpuMsPerOperation } : {}),
    ...(upstreamCallsPerOperation !== undefined ? { upstreamCallsPerOperation } : {}),
    ...(result.scheduleLagMs ? { scheduleLagMs: result.scheduleLagMs } : {}),
    ...(result.unfinished ? { unfinished: result.unfinished } : {}),
    serverPeakRssMiBAfter: memory(target.pid).peakRssMiB,
  };
  return measurement;
}
