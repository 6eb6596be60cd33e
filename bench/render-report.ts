import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { BenchConfig } from './config/bench-config';
import { analyze } from './report/analyze';
import { findPreviousResults } from './report/previous-run';
import type { BenchResults } from './report/result-types';
import { writeReports } from './report/write-reports';

/**
 * `node dist/bench/render-report.js bench/results/<date>.json`: recomputes the summary, ratios
 * and target verdicts from a run's raw measurements and rewrites its Markdown, chart and the
 * README block, without running anything again.
 */
function main(): void {
  const file = process.argv[2];
  if (!file) throw new Error('usage: node dist/bench/render-report.js bench/results/<date>.json');
  const results = JSON.parse(readFileSync(file, 'utf8')) as BenchResults;
  const analysis = analyze({
    config: results.config as unknown as BenchConfig,
    rounds: results.rounds,
    measurements: results.measurements,
    callCounts: results.callCounts,
    ...(results.auditCostRuns ? { auditCostRuns: results.auditCostRuns } : {}),
    ...(results.auditAppendProbe ? { auditAppendProbe: results.auditAppendProbe } : {}),
    ...(results.attackDocuments ? { attackDocuments: results.attackDocuments } : {}),
    ...(results.attackRounds ? { attackRounds: results.attackRounds } : {}),
    ...withPrevious(file, results.startedAt),
  });
  const written = writeReports({ ...results, ...analysis }, dirname(resolve(file)));
  for (const verdict of analysis.targets)
    process.stdout.write(`${verdict.verdict.padEnd(7)} ${verdict.target}: ${verdict.evidence}\n`);
  process.stdout.write(`rewrote ${written.join(', ')}\n`);
}

/** The run compared with: `BENCH_PREVIOUS_RESULTS`, else the newest earlier `<date>.json` beside this one. */
function withPrevious(file: string, startedAt: string): { previousFile?: string } {
  const previousFile =
    process.env.BENCH_PREVIOUS_RESULTS ?? findPreviousResults(dirname(resolve(file)), startedAt.slice(0, 10));
  return previousFile ? { previousFile } : {};
}

main();
