import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Spread } from '../lib/stats';
import type { BenchResults, PreviousComparison, PreviousComparisonRow, SummaryRow } from './result-types';

const DATED_RESULTS = /^(\d{4}-\d{2}-\d{2})\.json$/;

/** The newest `<date>.json` of the folder dated before `stem` (a same-day run replaces, it never compares with itself). */
export function findPreviousResults(dir: string, stem: string): string | undefined {
  if (!existsSync(dir)) return undefined;
  const earlier = readdirSync(dir)
    .map((name) => DATED_RESULTS.exec(name)?.[1])
    .filter((date): date is string => date !== undefined && date < stem)
    .sort();
  const newest = earlier.at(-1);
  return newest === undefined ? undefined : join(dir, `${newest}.json`);
}

/**
 * The gateway's medians against the previous run's, per workload and upstream latency: closed-loop
 * throughput and fixed-rate p50/p99. The hand-written server's rows come along as the control: it
 * did not change, so its drift is the machine's (other work on the shared cores), not the code's.
 */
export function compareWithPrevious(file: string, summary: SummaryRow[]): PreviousComparison {
  const previous = JSON.parse(readFileSync(file, 'utf8')) as BenchResults;
  const rows: PreviousComparisonRow[] = [];
  for (const now of summary) {
    if (now.variant !== 'gateway' && now.variant !== 'hand-written') continue;
    const before = previous.summary.find(
      (r) => r.workload === now.workload && r.variant === now.variant && r.upstreamLatencyMs === now.upstreamLatencyMs,
    );
    if (!before) continue;
    const push = (metric: string, unit: string, a: Spread | undefined, b: Spread | undefined): void => {
      if (!a || !b) return;
      rows.push({
        variant: now.variant,
        workload: now.workload,
        upstreamLatencyMs: now.upstreamLatencyMs,
        metric,
        unit,
        previous: a.median,
        now: b.median,
        change: (b.median - a.median) / a.median,
      });
    };
    for (const key of Object.keys(now.throughput)) {
      const connections = Number(key);
      push(`throughput c=${connections}`, 'ops/s', before.throughput[connections], now.throughput[connections]);
    }
    push('fixed rate offered', 'ops/s', before.fixedRate?.offeredRate, now.fixedRate?.offeredRate);
    push('p50 at half load', 'ms', before.fixedRate?.p50, now.fixedRate?.p50);
    push('p99 at half load', 'ms', before.fixedRate?.p99, now.fixedRate?.p99);
  }
  return { file: relative(process.cwd(), resolve(file)), startedAt: previous.startedAt, rows };
}
