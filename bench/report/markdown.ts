import type { Spread } from '../lib/stats';
import { WORKLOAD_LABELS, type VariantName, type WorkloadName } from '../workloads/variants';
import type { BenchResults } from './result-types';

/** The Markdown report: the table, every ratio as min / median / max, the targets, and what voided. */
const cell = (s: Spread | undefined, digits = 1): string =>
  s ? `${s.median.toFixed(digits)} <sub>${s.min.toFixed(digits)}–${s.max.toFixed(digits)}</sub>` : '—';

export function renderMarkdown(results: BenchResults, chartFile: string): string {
  const config = results.config as { upstreamLatenciesMs: number[]; workloads: WorkloadName[]; variants: VariantName[]; connections: number[]; durationS: number; rounds: number };
  const lines: string[] = [];
  lines.push(`# Benchmark results, ${results.startedAt.slice(0, 10)}`);
  lines.push('');
  lines.push(
    `${results.machine.cpus} × ${results.machine.cpuModel}, Node ${results.machine.node}, ${results.machine.platform}; load average at start ${results.machine.loadAverageAtStart.map((v) => v.toFixed(2)).join(' ')}. ` +
      `${results.rounds.length} rounds, ${config.durationS} s per run, variants interleaved. Cells: median <sub>min–max</sub> over the rounds; void runs left out.`,
  );
  lines.push('');
  lines.push(`![throughput and latency per workload and variant](${chartFile})`);
  lines.push('');
  lines.push('## Targets');
  lines.push('');
  lines.push('| | target | evidence (min / median / max over rounds) |');
  lines.push('|---|---|---|');
  for (const t of results.targets) lines.push(`| **${t.verdict}** | ${t.target} | ${t.evidence.replace(/\|/g, '\\|')} |`);
  lines.push('');
  for (const latency of config.upstreamLatenciesMs) {
    lines.push(`## ${latency} ms added upstream latency`);
    lines.push('');
    const throughputHeads = config.connections.map((c) => `ops/s c=${c}`);
    lines.push(`| workload | variant | ${throughputHeads.join(' | ')} | fixed rate ops/s | p50 ms | p99 ms | server CPU ms/op | upstream calls/op | void / saturated runs |`);
    lines.push(`|---|---|${throughputHeads.map(() => '---:').join('|')}|---:|---:|---:|---:|---:|---:|`);
    for (const workload of config.workloads) {
      for (const variant of config.variants) {
        const row = results.summary.find((r) => r.workload === workload && r.variant === variant && r.upstreamLatencyMs === latency);
        if (!row) continue;
        lines.push(
          `| ${WORKLOAD_LABELS[workload]} | ${variant} | ${config.connections.map((c) => cell(row.throughput[c])).join(' | ')} | ${cell(row.fixedRate?.offeredRate)} | ${cell(row.fixedRate?.p50, 2)} | ${cell(row.fixedRate?.p99, 2)} | ${cell(row.serverCpuMsPerOperation, 3)} | ${row.upstreamCallsPerOperation ?? '—'} | ${row.voidRuns} / ${row.saturatedRuns} |`,
        );
      }
    }
    lines.push('');
  }
  lines.push('## Ratios');
  lines.push('');
  lines.push('| ratio | where | min | median | max | per round |');
  lines.push('|---|---|---:|---:|---:|---|');
  for (const r of results.ratios) {
    const s = r.spread;
    const digits = r.unit === 'x' ? 3 : r.unit === 'calls' ? 1 : 1;
    lines.push(
      `| ${r.name} (${r.unit}) | ${r.description} | ${s ? s.min.toFixed(digits) : '—'} | ${s ? s.median.toFixed(digits) : '—'} | ${s ? s.max.toFixed(digits) : '—'} | ${s ? s.values.map((v) => (Number.isFinite(v) ? v.toFixed(digits) : 'void')).join(', ') : ''} |`,
    );
  }
  lines.push('');
  lines.push('## Upstream calls per operation (sequential operations, HealthImaging Local counters)');
  lines.push('');
  lines.push('| workload | variant | calls per operation |');
  lines.push('|---|---|---|');
  for (const workload of config.workloads) {
    for (const variant of config.variants) {
      const count = results.callCounts.find((c) => c.workload === workload && c.variant === variant);
      if (!count) continue;
      const detail = Object.entries(count.perOperation).map(([op, n]) => `${op} ${n}`).join(', ');
      lines.push(`| ${WORKLOAD_LABELS[workload]} | ${variant} | ${count.totalPerOperation} (${detail}) |`);
    }
  }
  lines.push('');
  const problems = results.measurements.filter((m) => m.void);
  const mismatches = results.rounds.flatMap((r) => r.mismatches.map((m) => ({ round: r.round, ...m })));
  if (problems.length > 0 || mismatches.length > 0) {
    lines.push('## Void runs and wrong answers');
    lines.push('');
    for (const m of mismatches) lines.push(`- round ${m.round}, ${m.variant}, ${m.workload}: ${m.detail.replace(/\n/g, ' ')}`);
    for (const m of problems) {
      lines.push(`- round ${m.round}, ${m.upstreamLatencyMs} ms, ${m.workload}, ${m.variant}, ${m.kind}${m.connections ? ` c=${m.connections}` : ''}: ${m.failures} failures; ${m.failureSamples.join(' / ').replace(/\n/g, ' ')}`);
    }
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}
