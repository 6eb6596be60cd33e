import type { RequestTemplate } from '../workloads/variants';
import type { WriteTarget } from '../workloads/write-mix';
import type { ApiStyle } from '../workloads/variants';

/**
 * Messages between the bench and its load-generator process. Everything is plain data: the
 * checks are rebuilt in the generator from these descriptions.
 */

/** Operations whose every response is known in advance: each operation sends `steps` in order. */
export interface FixedScenario {
  kind: 'fixed';
  steps: Array<{ request: RequestTemplate; expectedBody: string }>;
}

/** The write mix: update an idle image set of the pool, then read it back. */
export interface WriteMixScenario {
  kind: 'write-mix';
  style: ApiStyle;
  apiKey: string;
  pool: WriteTarget[];
}

export type Scenario = FixedScenario | WriteMixScenario;

/** Closed loop: `connections` clients, each sending its next request when the previous answer arrives (autocannon). */
export interface ClosedLoad {
  kind: 'closed';
  connections: number;
  durationS: number;
}

/** Open loop: operations start at evenly spaced instants, whatever the server's pace (fixed rate). */
export interface PacedLoad {
  kind: 'paced';
  operationsPerSecond: number;
  durationS: number;
  /** Sockets to the server; operations beyond it wait for one (and that wait counts as latency). */
  maxInFlight: number;
}

export type LoadMode = ClosedLoad | PacedLoad;

export interface LoadCommand {
  id: number;
  baseUrl: string;
  scenario: Scenario;
  mode: LoadMode;
}

export interface LatencySummary {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
  /** What the percentiles describe: one HTTP request (closed loop) or one whole operation (paced). */
  unit: 'request' | 'operation';
  samples: number;
}

export interface LoadResult {
  id: number;
  mode: LoadMode['kind'];
  /** Measured wall time of the run, in seconds. */
  durationS: number;
  requests: number;
  operations: number;
  operationsPerSecond: number;
  latencyMs: LatencySummary;
  /** Responses with a wrong status or body, socket errors and timeouts: any one voids the run. */
  failures: number;
  failureSamples: string[];
  /** Paced only: how late the generator itself started operations (its own health, not the server's). */
  scheduleLagMs?: { p99: number; max: number };
  /**
   * Paced only: operations still unanswered when the drain time ran out (the server fell behind
   * the offered rate). They are in the latency percentiles with the time waited so far.
   */
  unfinished?: number;
  /** Write mix: the pool as the run left it (the next run starts from fresh versions anyway). */
  pool?: WriteTarget[];
}

export type WorkerMessage =
  { type: 'ready' } | { type: 'result'; result: LoadResult } | { type: 'error'; id: number; message: string };
