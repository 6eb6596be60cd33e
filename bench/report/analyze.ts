import type { BenchConfig } from '../config/bench-config';
import { median, spread, type Spread } from '../lib/stats';
import { VARIANTS, WORKLOAD_LABELS, type VariantName, type WorkloadName } from '../workloads/variants';
import { DISTINCT_DOCUMENTS, DISTINCT_RESOURCES, totalOf } from './expected-calls';
import { compareWithPrevious } from './previous-run';
import type {
  AttackDocumentFacts,
  AttackRound,
  AuditAppendProbe,
  AuditCostRun,
  BenchResults,
  CallCount,
  Measurement,
  RatioReport,
  RoundFacts,
  SummaryRow,
  TargetVerdict,
} from './result-types';
import { securityTargets, summarizeAttacks, summarizeAuditCost } from './security-analysis';

/** Medians, ratios (each as min-median-max over the rounds) and the issue's targets. */
export function analyze(input: {
  config: BenchConfig;
  rounds: RoundFacts[];
  measurements: Measurement[];
  callCounts: CallCount[];
  auditCostRuns?: AuditCostRun[];
  auditAppendProbe?: AuditAppendProbe;
  attackDocuments?: AttackDocumentFacts[];
  attackRounds?: AttackRound[];
  /** The earlier run's JSON the gateway's figures are compared with. */
  previousFile?: string;
}): Pick<BenchResults, 'summary' | 'ratios' | 'targets' | 'auditCost' | 'attacks' | 'previous'> {
  const summary = summarize(input.config, input.measurements, input.callCounts);
  const ratios = computeRatios(input.config, input.rounds, input.measurements, input.callCounts);
  const auditCost =
    input.auditCostRuns && input.auditCostRuns.length > 0
      ? summarizeAuditCost(input.auditCostRuns, input.auditAppendProbe)
      : undefined;
  const attacks =
    input.attackDocuments && input.attackRounds && input.attackRounds.length > 0
      ? summarizeAttacks(input.attackDocuments, input.attackRounds)
      : undefined;
  const targets = [
    ...checkTargets(input.config, input.rounds, input.measurements, input.callCounts, ratios),
    ...(auditCost || attacks ? securityTargets(auditCost, attacks) : []),
  ];
  const previous = input.previousFile ? compareWithPrevious(input.previousFile, summary) : undefined;
  return {
    summary,
    ratios,
    targets,
    ...(auditCost ? { auditCost } : {}),
    ...(attacks ? { attacks } : {}),
    ...(previous ? { previous } : {}),
  };
}

type Key = { workload: WorkloadName; variant: VariantName; upstreamLatencyMs: number };

function valid(measurements: Measurement[], key: Key, kind: Measurement['kind'], connections?: number): Measurement[] {
  return measurements.filter(
    (m) =>
      !m.void &&
      m.kind === kind &&
      m.workload === key.workload &&
      m.variant === key.variant &&
      m.upstreamLatencyMs === key.upstreamLatencyMs &&
      (connections === undefined || m.connections === connections),
  );
}

function callsPerOperation(callCounts: CallCount[], workload: WorkloadName, variant: VariantName): number[] {
  return callCounts.filter((c) => c.workload === workload && c.variant === variant).map((c) => c.totalPerOperation);
}

function summarize(config: BenchConfig, measurements: Measurement[], callCounts: CallCount[]): SummaryRow[] {
  const rows: SummaryRow[] = [];
  const busiest = Math.max(...config.connections);
  for (const upstreamLatencyMs of config.upstreamLatenciesMs) {
    for (const workload of config.workloads) {
      for (const variant of config.variants) {
        const key = { workload, variant, upstreamLatencyMs };
        const all = measurements.filter(
          (m) => m.workload === workload && m.variant === variant && m.upstreamLatencyMs === upstreamLatencyMs,
        );
        if (all.length === 0) continue;
        const throughput: SummaryRow['throughput'] = {};
        for (const connections of config.connections) {
          const s = spread(valid(measurements, key, 'throughput', connections).map((m) => m.operationsPerSecond));
          if (s) throughput[connections] = s;
        }
        const fixed = valid(measurements, key, 'fixed-rate');
        const calls = callsPerOperation(callCounts, workload, variant);
        const cpu = spread(
          valid(measurements, key, 'throughput', busiest)
            .map((m) => m.serverCpuMsPerOperation)
            .filter((value): value is number => value !== undefined),
        );
        rows.push({
          workload,
          variant,
          upstreamLatencyMs,
          throughput,
          ...(fixed.length > 0
            ? {
                fixedRate: {
                  offeredRate: spread(fixed.map((m) => m.offeredRate ?? Number.NaN)),
                  p50: spread(fixed.map((m) => m.latencyMs.p50)),
                  p99: spread(fixed.map((m) => m.latencyMs.p99)),
                },
              }
            : {}),
          ...(cpu ? { serverCpuMsPerOperation: cpu } : {}),
          ...(calls.length > 0 ? { upstreamCallsPerOperation: median(calls) } : {}),
          voidRuns: all.filter((m) => m.void).length,
          saturatedRuns: all.filter((m) => (m.unfinished ?? 0) > 0).length,
        });
      }
    }
  }
  return rows;
}

/** Per round, f(variant A's runs, variant B's runs); rounds where either is void are skipped. */
function perRound(
  measurements: Measurement[],
  select: (m: Measurement) => boolean,
  a: VariantName,
  b: VariantName,
  f: (ma: Measurement, mb: Measurement) => number,
): Spread | undefined {
  const rounds = [...new Set(measurements.map((m) => m.round))].sort((x, y) => x - y);
  const values: number[] = [];
  for (const round of rounds) {
    const ma = measurements.find((m) => m.round === round && m.variant === a && !m.void && select(m));
    const mb = measurements.find((m) => m.round === round && m.variant === b && !m.void && select(m));
    if (ma && mb) values.push(f(ma, mb));
  }
  return spread(values);
}

function computeRatios(
  config: BenchConfig,
  rounds: RoundFacts[],
  measurements: Measurement[],
  callCounts: CallCount[],
): RatioReport[] {
  const ratios: RatioReport[] = [];
  const busiest = Math.max(...config.connections);
  for (const upstreamLatencyMs of config.upstreamLatenciesMs) {
    for (const workload of config.workloads) {
      const label = `${WORKLOAD_LABELS[workload]}, ${upstreamLatencyMs} ms upstream`;
      for (const connections of config.connections) {
        const select = (m: Measurement): boolean =>
          m.kind === 'throughput' &&
          m.workload === workload &&
          m.upstreamLatencyMs === upstreamLatencyMs &&
          m.connections === connections;
        ratios.push({
          name: 'throughput gateway / hand-written',
          description: `${label}, ${connections} connections`,
          workload,
          upstreamLatencyMs,
          connections,
          unit: 'x',
          spread: perRound(
            measurements,
            select,
            'gateway',
            'hand-written',
            (g, h) => g.operationsPerSecond / h.operationsPerSecond,
          ),
        });
        ratios.push({
          name: 'throughput naive GraphQL / hand-written',
          description: `${label}, ${connections} connections`,
          workload,
          upstreamLatencyMs,
          connections,
          unit: 'x',
          spread: perRound(
            measurements,
            select,
            'naive-graphql',
            'hand-written',
            (n, h) => n.operationsPerSecond / h.operationsPerSecond,
          ),
        });
      }
      const fixed = (m: Measurement): boolean =>
        m.kind === 'fixed-rate' && m.workload === workload && m.upstreamLatencyMs === upstreamLatencyMs;
      ratios.push({
        name: 'added p99 at half load (gateway - hand-written)',
        description: label,
        workload,
        upstreamLatencyMs,
        unit: 'ms',
        spread: perRound(measurements, fixed, 'gateway', 'hand-written', (g, h) => g.latencyMs.p99 - h.latencyMs.p99),
      });
      ratios.push({
        name: 'added p50 at half load (gateway - hand-written)',
        description: label,
        workload,
        upstreamLatencyMs,
        unit: 'ms',
        spread: perRound(measurements, fixed, 'gateway', 'hand-written', (g, h) => g.latencyMs.p50 - h.latencyMs.p50),
      });
      const busy = (m: Measurement): boolean =>
        m.kind === 'throughput' &&
        m.workload === workload &&
        m.upstreamLatencyMs === upstreamLatencyMs &&
        m.connections === busiest;
      ratios.push({
        name: 'server CPU per operation, gateway / hand-written',
        description: `${label}, ${busiest} connections`,
        workload,
        upstreamLatencyMs,
        connections: busiest,
        unit: 'x',
        spread: perRound(
          measurements,
          busy,
          'gateway',
          'hand-written',
          (g, h) => (g.serverCpuMsPerOperation ?? Number.NaN) / (h.serverCpuMsPerOperation ?? Number.NaN),
        ),
      });
      for (const variant of ['gateway', 'hand-written'] as const) {
        ratios.push({
          name: `server CPU per operation, ${variant}`,
          description: `${label}, ${busiest} connections`,
          workload,
          upstreamLatencyMs,
          connections: busiest,
          unit: 'ms',
          spread: spread(
            measurements
              .filter((m) => busy(m) && m.variant === variant && !m.void)
              .map((m) => m.serverCpuMsPerOperation ?? Number.NaN),
          ),
        });
      }
    }
  }
  for (const workload of config.workloads) {
    for (const variant of ['gateway', 'naive-graphql', 'hand-written'] as const) {
      ratios.push({
        name: `upstream calls per operation, ${variant}`,
        description: `${WORKLOAD_LABELS[workload]} (distinct resources: ${totalOf(DISTINCT_RESOURCES[workload])})`,
        workload,
        unit: 'calls',
        spread: spread(callsPerOperation(callCounts, workload, variant)),
      });
    }
    const gatewayVsNaive: number[] = [];
    for (const round of rounds) {
      const g = callCounts.find((c) => c.round === round.round && c.workload === workload && c.variant === 'gateway');
      const n = callCounts.find(
        (c) => c.round === round.round && c.workload === workload && c.variant === 'naive-graphql',
      );
      if (g && n) gatewayVsNaive.push(g.totalPerOperation / n.totalPerOperation);
    }
    ratios.push({
      name: 'upstream calls, gateway / naive GraphQL',
      description: WORKLOAD_LABELS[workload],
      workload,
      unit: 'x',
      spread: spread(gatewayVsNaive),
    });
  }
  for (const variant of VARIANTS) {
    const rss = spread(rounds.map((r) => r.peakRssMiB[variant] ?? Number.NaN));
    if (rss)
      ratios.push({ name: `peak RSS, ${variant}`, description: 'VmHWM over a whole round', unit: 'MiB', spread: rss });
    const cold = spread(rounds.map((r) => r.coldStartMs[variant] ?? Number.NaN));
    if (cold)
      ratios.push({
        name: `cold start, ${variant}`,
        description: 'spawn to first correct answer',
        unit: 'ms',
        spread: cold,
      });
  }
  return ratios;
}

const fmt = (s: Spread, digits = 2): string =>
  `${s.min.toFixed(digits)} / ${s.median.toFixed(digits)} / ${s.max.toFixed(digits)}`;

function find(ratios: RatioReport[], name: string, where: Partial<RatioReport>): RatioReport | undefined {
  return ratios.find(
    (r) =>
      r.name === name &&
      (where.workload === undefined || r.workload === where.workload) &&
      (where.upstreamLatencyMs === undefined || r.upstreamLatencyMs === where.upstreamLatencyMs) &&
      (where.connections === undefined || r.connections === where.connections),
  );
}

function checkTargets(
  config: BenchConfig,
  rounds: RoundFacts[],
  measurements: Measurement[],
  callCounts: CallCount[],
  ratios: RatioReport[],
): TargetVerdict[] {
  const verdicts: TargetVerdict[] = [];
  const firstLatency = config.upstreamLatenciesMs.includes(0) ? 0 : undefined;

  // 1. Throughput at least 0.8x hand-written on (a) and (b) at 0 ms.
  {
    const parts: string[] = [];
    let pass = true;
    let data = firstLatency !== undefined;
    for (const workload of ['viewer-header', 'study-browser'] as const) {
      for (const connections of config.connections) {
        const r = find(ratios, 'throughput gateway / hand-written', { workload, upstreamLatencyMs: 0, connections });
        if (!r?.spread) {
          data = false;
          continue;
        }
        pass &&= r.spread.median >= 0.8;
        parts.push(`${WORKLOAD_LABELS[workload]} c=${connections}: ${fmt(r.spread)}`);
      }
    }
    verdicts.push({
      target: 'gateway throughput >= 0.8x hand-written on (a) and (b) at 0 ms',
      verdict: !data ? 'NO DATA' : pass ? 'PASS' : 'MISS',
      evidence: `min / median / max over rounds: ${parts.join('; ')}`,
    });
  }

  // 2. Added p99 at half load at most 5 ms.
  {
    const parts: string[] = [];
    let pass = true;
    let any = false;
    for (const upstreamLatencyMs of config.upstreamLatenciesMs) {
      for (const workload of config.workloads) {
        const r = find(ratios, 'added p99 at half load (gateway - hand-written)', { workload, upstreamLatencyMs });
        if (!r?.spread) continue;
        any = true;
        const ok = r.spread.median <= 5;
        pass &&= ok;
        // Say when the offered rate was beyond what the gateway itself sustained: its latency is then queueing.
        const offered = median(
          measurements
            .filter(
              (m) =>
                m.kind === 'fixed-rate' &&
                m.workload === workload &&
                m.upstreamLatencyMs === upstreamLatencyMs &&
                m.variant === 'gateway',
            )
            .map((m) => m.offeredRate ?? Number.NaN),
        );
        const capacity = Math.max(
          0,
          ...config.connections
            .map((connections) =>
              median(
                valid(measurements, { workload, variant: 'gateway', upstreamLatencyMs }, 'throughput', connections).map(
                  (m) => m.operationsPerSecond,
                ),
              ),
            )
            .filter((value) => Number.isFinite(value)),
        );
        const saturated =
          capacity > 0 && offered >= capacity * 0.9
            ? `, offered ${offered.toFixed(1)}/s vs gateway max ${capacity.toFixed(1)}/s: saturated`
            : '';
        parts.push(
          `${WORKLOAD_LABELS[workload]} @${upstreamLatencyMs} ms: ${fmt(r.spread, 1)} ms${ok ? '' : ' (over)'}${saturated}`,
        );
      }
    }
    verdicts.push({
      target: 'added p99 latency at half load <= 5 ms over hand-written',
      verdict: !any ? 'NO DATA' : pass ? 'PASS' : 'MISS',
      evidence: parts.join('; '),
    });
  }

  // 3. Upstream calls: distinct resources, below naive on (b), one document fetch per version.
  {
    const parts: string[] = [];
    let pass = true;
    let any = false;
    for (const workload of config.workloads) {
      const counts = callCounts.filter((c) => c.workload === workload && c.variant === 'gateway');
      if (counts.length === 0) continue;
      any = true;
      const expected = DISTINCT_RESOURCES[workload];
      const exact = counts.every((c) =>
        Object.keys({ ...expected, ...c.perOperation }).every(
          (op) => (c.perOperation[op] ?? 0) === (expected[op] ?? 0),
        ),
      );
      pass &&= exact;
      parts.push(
        `${WORKLOAD_LABELS[workload]}: ${median(counts.map((c) => c.totalPerOperation))} (expected ${totalOf(expected)})${exact ? '' : ` got ${JSON.stringify(counts[0].perOperation)}`}`,
      );
    }
    const naiveB = callCounts.filter((c) => c.workload === 'study-browser' && c.variant === 'naive-graphql');
    const gatewayB = callCounts.filter((c) => c.workload === 'study-browser' && c.variant === 'gateway');
    if (naiveB.length > 0 && gatewayB.length > 0) {
      const below = median(gatewayB.map((c) => c.totalPerOperation)) < median(naiveB.map((c) => c.totalPerOperation));
      pass &&= below;
      parts.push(
        `(b) naive GraphQL: ${median(naiveB.map((c) => c.totalPerOperation))}${below ? '' : ' (gateway not below)'}`,
      );
    } else if (config.workloads.includes('study-browser') && config.variants.includes('naive-graphql')) {
      pass = false;
      parts.push('(b) naive GraphQL: no count');
    }
    for (const [workload, documents] of Object.entries(DISTINCT_DOCUMENTS) as Array<[WorkloadName, number]>) {
      const counts = callCounts.filter((c) => c.workload === workload && c.variant === 'gateway');
      if (counts.length === 0) continue;
      const fetched = median(counts.map((c) => c.perOperation.GetImageSetMetadata ?? 0));
      pass &&= fetched === documents;
      parts.push(`${WORKLOAD_LABELS[workload]} metadata fetches ${fetched} for ${documents} version(s)`);
    }
    verdicts.push({
      target:
        'upstream calls per operation = distinct resources, below naive GraphQL on (b), metadata once per version',
      verdict: !any ? 'NO DATA' : pass ? 'PASS' : 'MISS',
      evidence: parts.join('; '),
    });
  }

  // 4. (b) at 20 ms answers in under 3 round trips.
  {
    const latency = config.upstreamLatenciesMs.find((value) => value > 0);
    const runs =
      latency === undefined
        ? []
        : valid(
            measurements,
            { workload: 'study-browser', variant: 'gateway', upstreamLatencyMs: latency },
            'fixed-rate',
          );
    const p50 = spread(runs.map((m) => m.latencyMs.p50));
    const limit = latency === undefined ? Number.NaN : 3 * latency;
    verdicts.push({
      target: `(b) at ${latency ?? 20} ms upstream latency answers in under 3 round trips (${Number.isNaN(limit) ? 60 : limit} ms), p50 at half load`,
      verdict: !p50 ? 'NO DATA' : p50.median < limit ? 'PASS' : 'MISS',
      evidence: p50
        ? `gateway p50 ${fmt(p50, 1)} ms; p99 ${fmt(spread(runs.map((m) => m.latencyMs.p99))!, 1)} ms`
        : 'no valid fixed-rate run',
    });
  }

  // 5. (c) under 50 ms p50 (0 ms upstream, half load).
  {
    const runs = valid(
      measurements,
      { workload: 'metadata-detail', variant: 'gateway', upstreamLatencyMs: 0 },
      'fixed-rate',
    );
    const p50 = spread(runs.map((m) => m.latencyMs.p50));
    verdicts.push({
      target: '(c) metadata detail of the 2,000-instance image set under 50 ms p50 (0 ms upstream, half load)',
      verdict: !p50 ? 'NO DATA' : p50.median < 50 ? 'PASS' : 'MISS',
      evidence: p50 ? `gateway p50 ${fmt(p50, 1)} ms` : 'no valid fixed-rate run',
    });
  }

  // 6. Peak RSS under 200 MB for the whole run.
  {
    const peaks = rounds.map((r) => r.peakRssMiB.gateway).filter((value): value is number => value !== undefined);
    const peakMB = peaks.length > 0 ? (Math.max(...peaks) * 1024 * 1024) / 1e6 : undefined;
    // The run that raised each round's gateway peak the most: what drove the memory up.
    const drivers = rounds.map((r) => {
      const runs = measurements.filter(
        (m) => m.round === r.round && m.variant === 'gateway' && m.serverPeakRssMiBAfter !== undefined,
      );
      let best: { run: Measurement; rise: number } | undefined;
      runs.forEach((run, index) => {
        const rise = run.serverPeakRssMiBAfter! - (index > 0 ? runs[index - 1].serverPeakRssMiBAfter! : 0);
        if (index > 0 && (!best || rise > best.rise)) best = { run, rise };
      });
      if (!best) return undefined;
      const { run, rise } = best;
      return `${WORKLOAD_LABELS[run.workload]} @${run.upstreamLatencyMs} ms ${run.kind === 'throughput' ? `c=${run.connections}` : 'fixed rate'} (+${((rise * 1024 * 1024) / 1e6).toFixed(0)} MB)`;
    });
    const beforeMetadata = rounds.map((r) => {
      const runs = measurements.filter(
        (m) => m.round === r.round && m.variant === 'gateway' && m.serverPeakRssMiBAfter !== undefined,
      );
      const firstDetail = runs.findIndex((m) => m.workload === 'metadata-detail');
      return firstDetail > 0 ? runs[firstDetail - 1].serverPeakRssMiBAfter! : undefined;
    });
    verdicts.push({
      target: 'gateway peak RSS under 200 MB during the whole run',
      verdict: peakMB === undefined ? 'NO DATA' : peakMB < 200 ? 'PASS' : 'MISS',
      evidence:
        peakMB === undefined
          ? 'not sampled'
          : `highest VmHWM ${peakMB.toFixed(1)} MB (per round: ${peaks.map((p) => ((p * 1024 * 1024) / 1e6).toFixed(1)).join(', ')} MB; largest rise during ${[...new Set(drivers.filter(Boolean))].join(', ')}${
              beforeMetadata.some((value) => value !== undefined)
                ? `; before the first (c) run: ${beforeMetadata.map((value) => (value === undefined ? '?' : ((value * 1024 * 1024) / 1e6).toFixed(0))).join(', ')} MB`
                : ''
            })`,
    });
  }

  // 7. Cold start under 2 s.
  {
    const cold = spread(rounds.map((r) => r.coldStartMs.gateway ?? Number.NaN));
    verdicts.push({
      target: 'gateway cold start (spawn to first answered query) under 2 s',
      verdict: !cold ? 'NO DATA' : cold.max < 2000 ? 'PASS' : 'MISS',
      evidence: cold ? `${fmt(cold, 0)} ms (min / median / max)` : 'not measured',
    });
  }
  return verdicts;
}
