import { GATEWAY_ENV, type BenchConfig } from '../config/bench-config';
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

/** Medians, ratios (each as min-median-max over the rounds) and the targets. */
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
    const idle = spread(rounds.map((r) => r.idleRssMiB?.[variant] ?? Number.NaN));
    if (idle)
      ratios.push({ name: `idle RSS, ${variant}`, description: 'VmRSS right after start', unit: 'MiB', spread: idle });
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

const mbOf = (s: Spread | undefined): string => (s ? `${fmt(s, 1)} MB` : 'not sampled');

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
  const slowLatency = config.upstreamLatenciesMs.find((value) => value > 0);
  const verdict = (data: boolean, pass: boolean): TargetVerdict['verdict'] =>
    !data ? 'NO DATA' : pass ? 'PASS' : 'MISS';
  const calls = (workload: WorkloadName, variant: VariantName): number =>
    median(callsPerOperation(callCounts, workload, variant));
  /** Throughput ratio medians at 0 ms against a floor, at every connection count. */
  const throughputAtLeast = (
    workload: WorkloadName,
    floor: number,
  ): { data: boolean; pass: boolean; parts: string[] } => {
    const parts: string[] = [];
    let pass = true;
    let data = config.upstreamLatenciesMs.includes(0) && config.workloads.includes(workload);
    for (const connections of config.connections) {
      const r = find(ratios, 'throughput gateway / hand-written', { workload, upstreamLatencyMs: 0, connections });
      if (!r?.spread) {
        data = false;
        continue;
      }
      pass &&= r.spread.median >= floor;
      parts.push(`throughput ratio c=${connections}: ${fmt(r.spread)}`);
    }
    return { data, pass, parts };
  };
  const cpuRatio = (workload: WorkloadName): Spread | undefined =>
    find(ratios, 'server CPU per operation, gateway / hand-written', { workload, upstreamLatencyMs: 0 })?.spread;
  const fixedP50 = (workload: WorkloadName, upstreamLatencyMs: number): Spread | undefined =>
    spread(
      valid(measurements, { workload, variant: 'gateway', upstreamLatencyMs }, 'fixed-rate').map(
        (m) => m.latencyMs.p50,
      ),
    );

  // (a) at 0 ms: as fast as the hand-written handler, no more CPU per operation, fewer calls.
  {
    const { data, pass, parts } = throughputAtLeast('viewer-header', 1.0);
    const cpu = cpuRatio('viewer-header');
    const gatewayCalls = calls('viewer-header', 'gateway');
    const handCalls = calls('viewer-header', 'hand-written');
    const fewer = gatewayCalls < handCalls;
    verdicts.push({
      target: '(a) at 0 ms: gateway >= 1.0x hand-written throughput, <= its CPU per operation, fewer upstream calls',
      verdict: verdict(data && cpu !== undefined, pass && (cpu?.median ?? Infinity) <= 1 && fewer),
      evidence: `${parts.join('; ')}; CPU per operation ratio: ${cpu ? fmt(cpu) : 'none'}; calls ${gatewayCalls} vs ${handCalls}`,
    });
  }

  // (a) at 20 ms: latency no worse than the hand-written handler's by more than 1 ms.
  {
    const r =
      slowLatency === undefined
        ? undefined
        : find(ratios, 'added p50 at half load (gateway - hand-written)', {
            workload: 'viewer-header',
            upstreamLatencyMs: slowLatency,
          });
    verdicts.push({
      target: `(a) at ${slowLatency ?? 20} ms upstream: p50 at half load within 1 ms of hand-written or below`,
      verdict: verdict(r?.spread !== undefined, (r?.spread?.median ?? Infinity) <= 1),
      evidence: r?.spread ? `added p50 ${fmt(r.spread, 2)} ms` : 'no valid fixed-rate pair',
    });
  }

  // (b) >= 2.0x.
  {
    const { data, pass, parts } = throughputAtLeast('study-browser', 2.0);
    verdicts.push({
      target: '(b) study browser at 0 ms: gateway >= 2.0x hand-written throughput',
      verdict: verdict(data, pass),
      evidence: parts.join('; ') || 'no valid pair',
    });
  }

  // (c) >= 10x, p50 <= 10 ms.
  {
    const { data, pass, parts } = throughputAtLeast('metadata-detail', 10);
    const p50 = fixedP50('metadata-detail', 0);
    verdicts.push({
      target: '(c) metadata detail at 0 ms: gateway >= 10x hand-written throughput, p50 <= 10 ms at half load',
      verdict: verdict(data && p50 !== undefined, pass && (p50?.median ?? Infinity) <= 10),
      evidence: `${parts.join('; ')}; gateway p50 ${p50 ? fmt(p50, 1) : 'none'} ms`,
    });
  }

  // (d) no slower than hand-written.
  {
    const { data, pass, parts } = throughputAtLeast('write-mix', 1.0);
    const added = find(ratios, 'added p50 at half load (gateway - hand-written)', {
      workload: 'write-mix',
      upstreamLatencyMs: 0,
    });
    verdicts.push({
      target: '(d) write mix at 0 ms: no slower than hand-written (throughput ratio >= 1.0)',
      verdict: verdict(data, pass),
      evidence: `${parts.join('; ')}; added p50 at half load ${added?.spread ? fmt(added.spread, 2) : 'none'} ms`,
    });
  }

  // Added p99 at half load <= 5 ms on every workload at 0 ms.
  {
    const parts: string[] = [];
    let pass = true;
    let any = false;
    for (const workload of config.workloads) {
      const r = find(ratios, 'added p99 at half load (gateway - hand-written)', { workload, upstreamLatencyMs: 0 });
      if (!r?.spread) continue;
      any = true;
      const ok = r.spread.median <= 5;
      pass &&= ok;
      parts.push(`${WORKLOAD_LABELS[workload]}: ${fmt(r.spread, 1)} ms${ok ? '' : ' (over)'}`);
    }
    verdicts.push({
      target: 'added p99 at half load <= 5 ms over hand-written, every workload at 0 ms',
      verdict: verdict(any, pass),
      evidence: parts.join('; '),
    });
  }

  // Memory: peak RSS over the whole run, idle RSS beside it.
  {
    const mb = (mib: number): number => (mib * 1024 * 1024) / 1e6;
    const peaks = rounds.map((r) => r.peakRssMiB.gateway).filter((value): value is number => value !== undefined);
    const peak = spread(peaks.map(mb));
    const idle = spread(rounds.map((r) => mb(r.idleRssMiB?.gateway ?? Number.NaN)));
    const end = spread(rounds.map((r) => mb(r.endRssMiB?.gateway ?? Number.NaN)));
    verdicts.push({
      target: 'gateway peak RSS <= 170 MB over the whole run (idle RSS reported)',
      verdict: verdict(peak !== undefined, (peak?.max ?? Infinity) <= 170),
      evidence: `peak (VmHWM) ${mbOf(peak)}; idle after start ${mbOf(idle)}; at the end of the round ${mbOf(end)}; node flags ${config.gatewayNodeOptions.join(' ') || 'none'}, environment ${environmentOf(GATEWAY_ENV)}`,
    });
  }

  // Upstream calls: never more than the hand-written handler's; a version's document once per replica.
  {
    const parts: string[] = [];
    let pass = true;
    let any = false;
    for (const workload of config.workloads) {
      const g = callsPerOperation(callCounts, workload, 'gateway');
      const h = callsPerOperation(callCounts, workload, 'hand-written');
      if (g.length === 0 || h.length === 0) continue;
      any = true;
      const ok = median(g) <= median(h);
      pass &&= ok;
      parts.push(`${WORKLOAD_LABELS[workload]} ${fmt(spread(g)!, 1)} vs ${median(h)}${ok ? '' : ' (more)'}`);
    }
    for (const workload of Object.keys(DISTINCT_DOCUMENTS) as WorkloadName[]) {
      const counts = callCounts.filter((c) => c.workload === workload && c.variant === 'gateway');
      if (counts.length === 0) continue;
      // The answer check before the count already read every version once: a cached replica downloads none.
      const fetched = Math.max(...counts.map((c) => c.perOperation.GetImageSetMetadata ?? 0));
      pass &&= fetched === 0;
      parts.push(
        `${WORKLOAD_LABELS[workload]} metadata downloads per operation after the first: ${fetched} (hand-written ${median(
          callCounts
            .filter((c) => c.workload === workload && c.variant === 'hand-written')
            .map((c) => c.perOperation.GetImageSetMetadata ?? 0),
        )})`,
      );
    }
    verdicts.push({
      target:
        "upstream calls per operation <= hand-written on every workload; a version's metadata downloaded once per replica while cached",
      verdict: verdict(any, pass),
      evidence: parts.join('; '),
    });
  }

  // Cold start under 2 s.
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

function environmentOf(env: Readonly<Record<string, string>>): string {
  return (
    Object.entries(env)
      .map(([name, value]) => `${name}=${value}`)
      .join(' ') || 'none'
  );
}
