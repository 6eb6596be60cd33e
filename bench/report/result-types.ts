import type { LatencySummary } from '../loadgen/protocol';
import type { Spread } from '../lib/stats';
import type { VariantName, WorkloadName } from '../workloads/variants';

/** The shape of `bench/results/<date>.json`. */

export type MeasurementKind = 'throughput' | 'fixed-rate';

export interface Measurement {
  round: number;
  upstreamLatencyMs: number;
  workload: WorkloadName;
  variant: VariantName;
  kind: MeasurementKind;
  /** Throughput runs: the closed-loop connection count. */
  connections?: number;
  /** Fixed-rate runs: the offered operations per second. */
  offeredRate?: number;
  durationS: number;
  operations: number;
  requests: number;
  operationsPerSecond: number;
  latencyMs: LatencySummary;
  failures: number;
  failureSamples: string[];
  /** A run with any failure is void: kept in the JSON, left out of every median. */
  void: boolean;
  serverCpuMsPerOperation?: number;
  hilCpuMsPerOperation?: number;
  /** Calls HealthImaging Local counted during the run, per completed operation (approximate: runs end mid-flight). */
  upstreamCallsPerOperation?: number;
  scheduleLagMs?: { p99: number; max: number };
  /** Fixed rate: operations unanswered when the run was cut (the server could not keep the rate); their wait so far is in the percentiles. */
  unfinished?: number;
  /** The server's VmHWM right after the run: which run raised the peak. */
  serverPeakRssMiBAfter?: number;
}

/** Exact upstream calls of one operation, from sequential operations and HIL's counters. */
export interface CallCount {
  round: number;
  workload: WorkloadName;
  variant: VariantName;
  operations: number;
  perOperation: Record<string, number>;
  totalPerOperation: number;
}

export interface RoundFacts {
  round: number;
  coldStartMs: Partial<Record<VariantName, number>>;
  /** VmHWM of each server process at the end of the round (it ran the whole round). */
  peakRssMiB: Partial<Record<VariantName, number>>;
  /** Variants whose answers differed from the hand-written reference: void for the round. */
  mismatches: Array<{ variant: VariantName; workload: WorkloadName; detail: string }>;
}

export interface RatioReport {
  name: string;
  description: string;
  workload?: WorkloadName;
  upstreamLatencyMs?: number;
  connections?: number;
  unit: string;
  spread?: Spread;
}

export interface TargetVerdict {
  target: string;
  verdict: 'PASS' | 'MISS' | 'NO DATA';
  evidence: string;
}

export interface SummaryRow {
  workload: WorkloadName;
  variant: VariantName;
  upstreamLatencyMs: number;
  throughput: Partial<Record<number, Spread>>;
  fixedRate?: { offeredRate?: Spread; p50?: Spread; p99?: Spread };
  serverCpuMsPerOperation?: Spread;
  upstreamCallsPerOperation?: number;
  voidRuns: number;
  /** Fixed-rate runs the server could not keep up with (answers still owed at the cut). */
  saturatedRuns: number;
}

export interface BenchResults {
  startedAt: string;
  finishedAt: string;
  machine: { cpus: number; cpuModel: string; node: string; platform: string; loadAverageAtStart: number[] };
  config: Record<string, unknown>;
  fixture: Record<string, unknown>;
  rounds: RoundFacts[];
  callCounts: CallCount[];
  measurements: Measurement[];
  summary: SummaryRow[];
  ratios: RatioReport[];
  targets: TargetVerdict[];
}
