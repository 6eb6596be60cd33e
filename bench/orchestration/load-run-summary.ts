import type { LoadResult, PacedLoad } from '../loadgen/protocol';
import type { LoadRunSummary } from '../report/result-types';

/** A fixed-rate run outside the variant matrix, as the results keep it (any failure voids it). */
export function loadRunSummary(mode: PacedLoad, result: LoadResult): LoadRunSummary {
  return {
    offeredRate: mode.operationsPerSecond,
    durationS: result.durationS,
    operations: result.operations,
    latencyMs: result.latencyMs,
    failures: result.failures,
    failureSamples: result.failureSamples,
    void: result.failures > 0 || result.operations === 0,
    ...(result.unfinished ? { unfinished: result.unfinished } : {}),
  };
}

/** The fixed rate of a round's workload: the one its main fixed-rate runs used, else a fallback. */
export function fixedRateDuration(rate: number, durationS: number): number {
  // As the main fixed-rate runs: long enough for about 100 operations (p99 needs samples), within limits.
  return Math.min(durationS * 1.5, Math.max(durationS, 100 / rate));
}
