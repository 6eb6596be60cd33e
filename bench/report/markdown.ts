import { basename, relative, resolve, sep } from 'node:path';
import type { Spread } from '../lib/stats';
import { WORKLOAD_LABELS, type VariantName, type WorkloadName } from '../workloads/variants';
import type { BenchResults } from './result-types';

/** The Markdown report: the table, every ratio as min / median / max, the targets, and what voided. */
const cell = (s: Spread | undefined, digits = 1): string =>
  s ? `${s.median.toFixed(digits)} <sub>${s.min.toFixed(digits)}–${s.max.toFixed(digits)}</sub>` : '—';

/** `folder`: where the Markdown will live, so that its link to the previous run resolves from there. */
export function renderMarkdown(results: BenchResults, chartFile: string, folder: string): string {
  const config = results.config as {
    upstreamLatenciesMs: number[];
    workloads: WorkloadName[];
    variants: VariantName[];
    connections: number[];
    durationS: number;
    rounds: number;
  };
  const lines: string[] = [];
  lines.push(`# Benchmark results, ${results.startedAt.slice(0, 10)}`);
  lines.push('');
  lines.push(
    `${results.machine.cpus} × ${results.machine.cpuModel}, Node ${results.machine.node}, ${results.machine.platform}; load average at start ${results.machine.loadAverageAtStart.map((v) => v.toFixed(2)).join(' ')}${results.machine.loadAverageAtEnd ? `, at the end ${results.machine.loadAverageAtEnd.map((v) => v.toFixed(2)).join(' ')}` : ''}${loadPerRound(results)}. ` +
      `${results.rounds.length} rounds, ${config.durationS} s per run, variants interleaved. Cells: median <sub>min–max</sub> over the rounds; void runs left out.`,
  );
  lines.push('');
  lines.push(`![throughput and latency per workload and variant](${chartFile})`);
  lines.push('');
  lines.push('## Targets');
  lines.push('');
  lines.push('| | target | evidence (min / median / max over rounds) |');
  lines.push('|---|---|---|');
  for (const t of results.targets)
    lines.push(`| **${t.verdict}** | ${t.target} | ${t.evidence.replace(/\|/g, '\\|')} |`);
  lines.push('');
  lines.push(...securitySections(results));
  lines.push(...previousSection(results, folder));
  for (const latency of config.upstreamLatenciesMs) {
    lines.push(`## ${latency} ms added upstream latency`);
    lines.push('');
    const throughputHeads = config.connections.map((c) => `ops/s c=${c}`);
    lines.push(
      `| workload | variant | ${throughputHeads.join(' | ')} | fixed rate ops/s | p50 ms | p99 ms | server CPU ms/op | upstream calls/op | void / saturated runs |`,
    );
    lines.push(`|---|---|${throughputHeads.map(() => '---:').join('|')}|---:|---:|---:|---:|---:|---:|`);
    for (const workload of config.workloads) {
      for (const variant of config.variants) {
        const row = results.summary.find(
          (r) => r.workload === workload && r.variant === variant && r.upstreamLatencyMs === latency,
        );
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
      const detail = Object.entries(count.perOperation)
        .map(([op, n]) => `${op} ${n}`)
        .join(', ');
      lines.push(`| ${WORKLOAD_LABELS[workload]} | ${variant} | ${count.totalPerOperation} (${detail}) |`);
    }
  }
  lines.push('');
  const problems = results.measurements.filter((m) => m.void);
  const mismatches = results.rounds.flatMap((r) => r.mismatches.map((m) => ({ round: r.round, ...m })));
  if (problems.length > 0 || mismatches.length > 0) {
    lines.push('## Void runs and wrong answers');
    lines.push('');
    for (const m of mismatches)
      lines.push(`- round ${m.round}, ${m.variant}, ${m.workload}: ${m.detail.replace(/\n/g, ' ')}`);
    for (const m of problems) {
      lines.push(
        `- round ${m.round}, ${m.upstreamLatencyMs} ms, ${m.workload}, ${m.variant}, ${m.kind}${m.connections ? ` c=${m.connections}` : ''}: ${m.failures} failures; ${m.failureSamples.join(' / ').replace(/\n/g, ' ')}`,
      );
    }
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

/** The machine is shared: the 1-minute load when each round began says how much else ran. */
function loadPerRound(results: BenchResults): string {
  const loads = results.rounds.map((r) => r.loadAverage).filter((value): value is number => value !== undefined);
  return loads.length > 0 ? ` (1-minute load at each round's start: ${loads.map((v) => v.toFixed(2)).join(', ')})` : '';
}

const signed = (value: number, digits = 2): string => `${value >= 0 ? '+' : ''}${value.toFixed(digits)}`;

/** The audit trail's cost on (c) and the attack phase (issue 7). */
function securitySections(results: BenchResults): string[] {
  const lines: string[] = [];
  const audit = results.auditCost;
  if (audit) {
    const runs = results.auditCostRuns ?? [];
    lines.push('## Audit trail cost on (c) metadata detail');
    lines.push('');
    lines.push(
      `The round's gateway (audit trail on, SQLite in a temporary folder, as \`npm start\`) and the same gateway built without a trail, ` +
        `each offered (c)'s fixed rate at 0 ms upstream, in alternating pairs. Every (c) operation reads patient attributes, so each is recorded before it is answered.`,
    );
    lines.push('');
    lines.push('| | min | median | max |');
    lines.push('|---|---:|---:|---:|');
    const row = (label: string, s: Spread | undefined, digits = 2): void => {
      if (s)
        lines.push(`| ${label} | ${s.min.toFixed(digits)} | ${s.median.toFixed(digits)} | ${s.max.toFixed(digits)} |`);
    };
    row('p50 audit on (ms)', audit.p50On);
    row('p50 audit off (ms)', audit.p50Off);
    row('added p50 (ms), per round', audit.addedP50Ms);
    row('added p99 (ms), per round', audit.addedP99Ms, 1);
    row('added server CPU per operation (ms), per round', audit.addedCpuMsPerOperation, 3);
    row('audit records per operation (on)', audit.recordsPerOperation);
    lines.push('');
    if (audit.appendProbe) {
      const probe = audit.appendProbe;
      lines.push(
        `The append alone (the gateway's SQLite store in the bench's process, ${probe.appends} appends one at a time, nothing else running): ` +
          `p50 ${probe.latencyMs.p50.toFixed(2)} ms, p99 ${probe.latencyMs.p99.toFixed(2)} ms, max ${probe.latencyMs.max.toFixed(2)} ms.`,
      );
      lines.push('');
    }
    lines.push(
      `Runs: ${runs.map((r) => `r${r.round}.${r.pair} ${r.audit} ${r.latencyMs.p50.toFixed(2)}/${r.latencyMs.p99.toFixed(1)} ms${r.void ? ' void' : ''}`).join(', ')} (p50/p99, ${runs[0]?.offeredRate.toFixed(1) ?? '?'} ops/s).`,
    );
    lines.push('');
  }
  const attacks = results.attacks;
  if (attacks) {
    lines.push('## Attack documents while (a) runs');
    lines.push('');
    lines.push(
      'Each document sent one at a time, round-robin, while (a) viewer header runs at its fixed rate (0 ms upstream); latency from the first byte sent to the last byte of the answer, at the attacker. ' +
        `(a) p99 without the attacks ${attacks.p99Without ? cell(attacks.p99Without) : '—'} ms, with them ${attacks.p99With ? cell(attacks.p99With) : '—'} ms ` +
        `(difference per round ${attacks.addedP99Ms ? cell(attacks.addedP99Ms) : '—'} ms); p50 ${attacks.p50Without ? cell(attacks.p50Without, 2) : '—'} ms without, ${attacks.p50With ? cell(attacks.p50With, 2) : '—'} ms with. ` +
        `Upstream calls made by the attacks: ${
          Object.keys(attacks.upstreamCallsBesideWorkload).length === 0
            ? 'none'
            : Object.entries(attacks.upstreamCallsBesideWorkload)
                .map(([op, n]) => `${op} ${n}`)
                .join(', ')
        }.`,
    );
    lines.push('');
    const perRound = (results.attackRounds ?? []).map((round) => {
      const sent = round.samples.filter((x) => x.phase === 'load' && x.duringLoad).map((x) => x.latencyMs);
      return `r${round.round} ${sent.length > 0 ? Math.max(...sent).toFixed(1) : '—'} ms, (a) p99 ${round.withoutAttack.latencyMs.p99.toFixed(1)} → ${round.withAttack.latencyMs.p99.toFixed(1)} ms at ${round.withAttack.offeredRate.toFixed(0)}/s`;
    });
    if (perRound.length > 0) {
      lines.push(
        `Per round, the slowest refusal under load and (a)'s p99 without → with the attacks: ${perRound.join('; ')}.`,
      );
      lines.push('');
    }
    lines.push('| attack | request bytes | sent under load | p50 ms | max ms | idle gateway p50 / max ms | answer |');
    lines.push('|---|---:|---:|---:|---:|---:|---|');
    for (const r of attacks.rows) {
      lines.push(
        `| ${r.description} | ${r.bytes.toLocaleString('en-US')} | ${r.samples} | ${r.p50Ms.toFixed(1)} | ${r.maxMs.toFixed(1)} | ${r.idleP50Ms.toFixed(1)} / ${r.idleMaxMs.toFixed(1)} | ${r.answers.join('; ')}${r.refused ? '' : ' **not refused**'} |`,
      );
    }
    lines.push('');
  }
  return lines;
}

/** The gateway's medians against the previous run's, with the hand-written server as the machine's control. */
function previousSection(results: BenchResults, folder: string): string[] {
  const previous = results.previous;
  if (!previous || previous.rows.length === 0) return [];
  const lines: string[] = [];
  lines.push(`## Against the previous run (${previous.startedAt.slice(0, 10)})`);
  lines.push('');
  lines.push(
    `Medians over the rounds, this run against [${basename(previous.file)}](${linkFrom(folder, previous.file)}). The hand-written server did not change between the runs: its drift is the shared machine's, and the gateway's change beyond it ((1 + gateway change) / (1 + hand-written change) - 1) is the code's.`,
  );
  lines.push('');
  lines.push(
    "| workload | upstream | metric | gateway before | gateway now | change | hand-written change | gateway change beyond the machine's |",
  );
  lines.push('|---|---:|---|---:|---:|---:|---:|---:|');
  for (const row of previous.rows.filter((r) => r.variant === 'gateway')) {
    const control = previous.rows.find(
      (r) =>
        r.variant === 'hand-written' &&
        r.workload === row.workload &&
        r.upstreamLatencyMs === row.upstreamLatencyMs &&
        r.metric === row.metric,
    );
    const digits = row.unit === 'ms' ? 2 : 1;
    lines.push(
      `| ${WORKLOAD_LABELS[row.workload]} | ${row.upstreamLatencyMs} ms | ${row.metric} (${row.unit}) | ${row.previous.toFixed(digits)} | ${row.now.toFixed(digits)} | ${signed(row.change * 100, 0)}% | ${control ? `${signed(control.change * 100, 0)}%` : '—'} | ${control ? `${signed(((1 + row.change) / (1 + control.change) - 1) * 100, 0)}%` : '—'} |`,
    );
  }
  lines.push('');
  return lines;
}

/** A Markdown link target from `folder` to `file` (relative to the bench's working folder). */
function linkFrom(folder: string, file: string): string {
  return relative(resolve(folder), resolve(file)).split(sep).join('/');
}
