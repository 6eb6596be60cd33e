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
  /** VmRSS of each server right after its cold start, before any load (older runs lack it). */
  idleRssMiB?: Partial<Record<VariantName, number>>;
  /** VmRSS of each server at the end of the round, after its last run. */
  endRssMiB?: Partial<Record<VariantName, number>>;
  /** The machine's 1-minute load average when the round started (the cores are shared). */
  loadAverage?: number | undefined;
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
  /** Undefined when no round measured both variants. */
  spread?: Spread | undefined;
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
  /** A spread is undefined when no run of its kind was valid. */
  fixedRate?: { offeredRate?: Spread | undefined; p50?: Spread | undefined; p99?: Spread | undefined };
  serverCpuMsPerOperation?: Spread;
  upstreamCallsPerOperation?: number;
  voidRuns: number;
  /** Fixed-rate runs the server could not keep up with (answers still owed at the cut). */
  saturatedRuns: number;
}

/** The result of one load run outside the variant matrix (audit and attack phases). */
export interface LoadRunSummary {
  offeredRate: number;
  durationS: number;
  operations: number;
  latencyMs: LatencySummary;
  failures: number;
  failureSamples: string[];
  void: boolean;
  unfinished?: number;
}

/** (c) at its fixed rate on the gateway with its audit trail on, or on the same gateway built without one. */
export interface AuditCostRun extends LoadRunSummary {
  round: number;
  /** Runs alternate on/off (ABBA over the pairs of a round), so drift cancels out. */
  pair: number;
  audit: 'on' | 'off';
  /** Audit-on runs: records the run added to the SQLite trail, per completed operation. */
  auditRecordsPerOperation?: number;
  /** User + system CPU of the server process over the run, per completed operation. */
  serverCpuMsPerOperation?: number;
}

/** The SQLite trail's append alone, in the bench's own process with nothing else running: one (c)-like entry at a time. */
export interface AuditAppendProbe {
  appends: number;
  latencyMs: { p50: number; p99: number; max: number };
}

/** One attack document sent while (a) runs at its fixed rate, and how the gateway answered. */
export interface AttackSample {
  round: number;
  attack: string;
  /** When it was sent, from the start of the (a) run (ms). */
  sentAtMs: number;
  /** From the first byte sent to the last byte of the answer, at the attacker (ms). */
  latencyMs: number;
  status: number;
  /** Errors in the answer (a refusal carries exactly one). */
  errorCount: number;
  code?: string;
  limit?: string;
  maximum?: number;
  /** `load`: sent while (a) runs; `idle`: sent to the same gateway with nothing else running (the refusal's own cost). */
  phase: 'load' | 'idle';
  /** Load phase: sent while the (a) run was still offering load. */
  duringLoad: boolean;
}

export interface AttackRound {
  round: number;
  /** (a) at its fixed rate with no attack, and with the attacks sent alongside (order alternates per round). */
  withoutAttack: LoadRunSummary;
  withAttack: LoadRunSummary;
  samples: AttackSample[];
  /** Upstream calls of the attack run other than (a)'s own GetImageSet and ListImageSetVersions (expected: none). */
  upstreamCallsBesideWorkload: Record<string, number>;
}

export interface AttackDocumentFacts {
  name: string;
  description: string;
  bytes: number;
  anonymous: boolean;
}

/** One figure of the gateway (or the hand-written control) against the previous run's. */
export interface PreviousComparisonRow {
  variant: VariantName;
  workload: WorkloadName;
  upstreamLatencyMs: number;
  metric: string;
  unit: string;
  previous: number;
  now: number;
  /** (now - previous) / previous. */
  change: number;
}

export interface PreviousComparison {
  /** The previous run's JSON, relative to the folder the bench ran in (runs before 2026-12-01: its name only). */
  file: string;
  startedAt: string;
  rows: PreviousComparisonRow[];
}

export interface AuditCostSummary {
  /** Per round: median p50 with the audit on minus median p50 with it off (ms). */
  addedP50Ms?: Spread;
  addedP99Ms?: Spread;
  p50On?: Spread;
  p50Off?: Spread;
  recordsPerOperation?: Spread;
  /** Per round: server CPU per operation on minus off (ms). */
  addedCpuMsPerOperation?: Spread;
  appendProbe?: AuditAppendProbe;
  voidRuns: number;
}

export interface AttackSummaryRow {
  attack: string;
  description: string;
  bytes: number;
  samples: number;
  p50Ms: number;
  maxMs: number;
  /** The same document sent to the idle gateway. */
  idleSamples: number;
  idleP50Ms: number;
  idleMaxMs: number;
  /** Distinct answers, e.g. `400 LIMIT_EXCEEDED tokens (max 3000)`. */
  answers: string[];
  /** Every sample refused with one error and a 4xx status. */
  refused: boolean;
}

export interface AttackSummary {
  rows: AttackSummaryRow[];
  /** (a) p99 without and with the attacks, and their difference per round (ms). */
  p99Without?: Spread;
  p99With?: Spread;
  addedP99Ms?: Spread;
  p50Without?: Spread;
  p50With?: Spread;
  samplesOutsideLoad: number;
  upstreamCallsBesideWorkload: Record<string, number>;
}

export interface BenchResults {
  startedAt: string;
  finishedAt: string;
  machine: {
    cpus: number;
    cpuModel: string;
    node: string;
    platform: string;
    loadAverageAtStart: number[];
    loadAverageAtEnd?: number[];
  };
  config: Record<string, unknown>;
  fixture: Record<string, unknown>;
  rounds: RoundFacts[];
  callCounts: CallCount[];
  measurements: Measurement[];
  summary: SummaryRow[];
  ratios: RatioReport[];
  targets: TargetVerdict[];
  auditCostRuns?: AuditCostRun[];
  auditAppendProbe?: AuditAppendProbe;
  attackDocuments?: AttackDocumentFacts[];
  attackRounds?: AttackRound[];
  auditCost?: AuditCostSummary;
  attacks?: AttackSummary;
  previous?: PreviousComparison;
}
