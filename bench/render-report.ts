import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { BenchConfig } from './config/bench-config';
import { analyze } from './report/analyze';
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
  });
  const written = writeReports({ ...results, ...analysis }, dirname(resolve(file)));
  for (const verdict of analysis.targets) process.stdout.write(`${verdict.verdict.padEnd(7)} ${verdict.target}: ${verdict.evidence}\n`);
  process.stdout.write(`rewrote ${written.join(', ')}\n`);
}

main();
