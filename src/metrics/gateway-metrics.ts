import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { MetadataCacheStats } from '../imaging/metadata-cache';
import type { UpstreamCallEvent } from '../imaging/upstream/upstream-caller';
import type { AdmissionObserver, AdmissionRefusal } from '../imaging/upstream/upstream-admission';
import { codeLabel, keyLabel, OperationLabels } from './label-values';

/** Why a request or call was turned away for load: the rate limits' reasons, and the two others. */
export type ThrottleReason =
  'credential_rate' | 'tenant_rate' | 'tenant_in_flight' | 'metadata_budget' | 'upstream_throttled' | AdmissionRefusal;

export interface FinishedRequest {
  /** The operation name the client sent or the document declared (client text: bounded here). */
  operationName?: string | null | undefined;
  /** The first error's code, `OK` when there was none. */
  code: string;
  status: number;
  seconds: number;
}

/** Seconds: a cached read answers in milliseconds, a metadata read of a large study in seconds. */
const REQUEST_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const AUDIT_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];
/** Seconds a write waits for its account's quota: none, a token's interval (4 s by default), the 10 s bound. */
const WRITE_QUEUE_BUCKETS = [0.01, 0.1, 0.5, 1, 2, 4, 6, 8, 10, 15, 30];

/**
 * The gateway's Prometheus metrics, in a registry of their own (two gateways in one process, as in
 * tests, never share counters). Every label value is an identifier the gateway defined, a status,
 * or a bounded operation name (see label-values.ts): never a tenant's data.
 */
export class GatewayMetrics implements AdmissionObserver {
  readonly registry = new Registry();
  private readonly operations: OperationLabels;
  private readonly requests: Counter<'operation' | 'code' | 'status'>;
  private readonly requestSeconds: Histogram<'operation'>;
  private readonly upstreamCalls: Counter<'operation' | 'outcome'>;
  private readonly upstreamSeconds: Histogram<'operation'>;
  private readonly throttles: Counter<'reason'>;
  private readonly gateRefusals: Counter<'limit'>;
  private readonly auditAppends: Counter<'outcome'>;
  private readonly auditSeconds: Histogram;
  private readonly writeQueueDepth: Gauge<'tenant'>;
  private readonly writeQueueSeconds: Histogram<'tenant'>;

  constructor(options: { maxOperationLabels?: number; processMetrics?: boolean } = {}) {
    const registers = [this.registry];
    this.operations = new OperationLabels(options.maxOperationLabels);
    this.requests = new Counter({
      name: 'gateway_requests_total',
      help: 'GraphQL requests answered, by operation name, outcome code (first error code, or OK) and HTTP status.',
      labelNames: ['operation', 'code', 'status'],
      registers,
    });
    this.requestSeconds = new Histogram({
      name: 'gateway_request_duration_seconds',
      help: 'Time from receiving a GraphQL request to answering it, by operation name.',
      labelNames: ['operation'],
      buckets: REQUEST_BUCKETS,
      registers,
    });
    this.upstreamCalls = new Counter({
      name: 'gateway_upstream_calls_total',
      help: 'HealthImaging calls (each attempt), by API operation and outcome (ok, or the error kind).',
      labelNames: ['operation', 'outcome'],
      registers,
    });
    this.upstreamSeconds = new Histogram({
      name: 'gateway_upstream_call_duration_seconds',
      help: 'Duration of each HealthImaging call attempt, by API operation.',
      labelNames: ['operation'],
      buckets: REQUEST_BUCKETS,
      registers,
    });
    this.throttles = new Counter({
      name: 'gateway_throttles_total',
      help: 'Requests or calls turned away for load, by reason (rate limits, metadata budget, upstream write queue and read budgets, upstream THROTTLED).',
      labelNames: ['reason'],
      registers,
    });
    this.gateRefusals = new Counter({
      name: 'gateway_gate_refusals_total',
      help: 'Requests the request gate refused before execution, by limit (or the refusal code when no limit applies).',
      labelNames: ['limit'],
      registers,
    });
    this.auditAppends = new Counter({
      name: 'gateway_audit_appends_total',
      help: 'Audit trail appends (one per request with entries), by outcome (ok or failed).',
      labelNames: ['outcome'],
      registers,
    });
    this.auditSeconds = new Histogram({
      name: 'gateway_audit_append_duration_seconds',
      help: 'Time for an audit append to become durable (or fail).',
      buckets: AUDIT_BUCKETS,
      registers,
    });
    this.writeQueueDepth = new Gauge({
      name: 'gateway_upstream_write_queue_depth',
      help: "Writes waiting on this replica for their upstream account's write quota, by tenant.",
      labelNames: ['tenant'],
      registers,
    });
    this.writeQueueSeconds = new Histogram({
      name: 'gateway_upstream_write_queue_wait_seconds',
      help: "Time a write waited for its upstream account's write quota before it was sent, by tenant.",
      labelNames: ['tenant'],
      buckets: WRITE_QUEUE_BUCKETS,
      registers,
    });
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
    // Outcomes that have not happened yet still show as 0, so a rate() over them is defined.
    for (const outcome of ['ok', 'failed']) this.auditAppends.labels(outcome).inc(0);
  }

  requestFinished(request: FinishedRequest): void {
    const operation = this.operations.of(request.operationName);
    this.requests.labels(operation, codeLabel(request.code), String(request.status)).inc();
    this.requestSeconds.labels(operation).observe(request.seconds);
  }

  /** An `onUpstreamCall` observer: one count and one duration per attempt. */
  upstreamCall(event: UpstreamCallEvent): void {
    const operation = keyLabel(event.operation);
    this.upstreamCalls.labels(operation, event.outcome === 'ok' ? 'ok' : keyLabel(event.errorKind ?? 'unknown')).inc();
    this.upstreamSeconds.labels(operation).observe(event.durationMs / 1000);
    if (event.errorKind === 'throttled') this.throttled('upstream_throttled');
  }

  throttled(reason: ThrottleReason): void {
    this.throttles.labels(reason).inc();
  }

  /** Tenant ids label these: identifiers from the tenants file, as few as the tenants. */
  writeQueueChanged(tenantId: string, delta: number): void {
    this.writeQueueDepth.labels(keyLabel(tenantId)).inc(delta);
  }

  writeAdmitted(tenantId: string, seconds: number): void {
    this.writeQueueSeconds.labels(keyLabel(tenantId)).observe(seconds);
  }

  refused(reason: AdmissionRefusal): void {
    this.throttled(reason);
  }

  gateRefused(limit: unknown): void {
    this.gateRefusals.labels(keyLabel(limit)).inc();
  }

  auditAppended(ok: boolean, seconds: number): void {
    this.auditAppends.labels(ok ? 'ok' : 'failed').inc();
    this.auditSeconds.observe(seconds);
  }

  /** The replica's metadata cache, read at each scrape (its counters live in the cache). */
  observeMetadataCache(cache: { stats(): MetadataCacheStats }): void {
    const registers = [this.registry];
    const counted = (name: string, help: string, pick: (stats: MetadataCacheStats) => number): void => {
      new Counter({
        name,
        help,
        registers,
        collect() {
          this.reset();
          this.inc(pick(cache.stats()));
        },
      });
    };
    counted('gateway_metadata_cache_hits_total', 'Metadata reads answered from the replica cache.', (s) => s.hits);
    counted(
      'gateway_metadata_cache_misses_total',
      'Metadata reads that downloaded the document (not held, or the version not seen settled in the request).',
      (s) => s.misses,
    );
    counted(
      'gateway_metadata_cache_evictions_total',
      'Documents the metadata cache dropped to stay within METADATA_CACHE_BYTES.',
      (s) => s.evictions,
    );
    new Gauge({
      name: 'gateway_metadata_cache_bytes',
      help: 'JSON bytes of the metadata documents the replica cache holds.',
      registers,
      collect() {
        this.set(cache.stats().bytes);
      },
    });
    new Gauge({
      name: 'gateway_metadata_cache_entries',
      help: 'Metadata documents (one per image set version) the replica cache holds.',
      registers,
      collect() {
        this.set(cache.stats().entries);
      },
    });
  }

  /** The exposition text and its content type, for GET /metrics. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
