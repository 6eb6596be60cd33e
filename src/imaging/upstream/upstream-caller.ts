import type { TenantConfig } from '../../tenants/tenant-config';
import { GatewayError } from '../../errors/gateway-errors';
import {
  DEFAULT_BACKOFF,
  MAX_WRITE_ATTEMPTS,
  defaultSleep,
  runRead,
  runWrite,
  type RetryRuntime,
  type WriteOutcome,
} from './retry-policy';
import { abortable, currentRequestSignal, noteUpstreamRequestId } from './request-signal';
import { Semaphore } from './semaphore';
import { traceUpstreamCall } from '../../telemetry/upstream-span';
import { AdmissionRefusedError, type AdmissionTenant, type UpstreamAdmission } from './upstream-admission';
import { classifyUpstreamError, describeForLog, toGatewayError, type UpstreamErrorKind } from './upstream-errors';

/** One upstream HTTP call as it happened: ids, codes and timings only, never DICOM values. */
export interface UpstreamCallEvent {
  tenantId: string;
  operation: string;
  attempt: number;
  durationMs: number;
  outcome: 'ok' | 'error';
  errorKind?: UpstreamErrorKind;
  /** Error code and status (`ThrottlingException status 429`), from `describeForLog`. */
  error?: string;
  requestId?: string;
  /** Set on the reads made to find out whether an ambiguous write was applied. */
  reconciling?: boolean;
}

/** What a call is, for the observer. */
export interface CallContext {
  operation: string;
  reconciling?: boolean;
}

export type UpstreamExec<T> = (abortSignal: AbortSignal) => Promise<T>;

export interface UpstreamCallerOptions {
  tenant: Pick<TenantConfig, 'id' | 'upstream'>;
  onUpstreamCall?: ((event: UpstreamCallEvent) => void) | undefined;
  /** Overrides for tests: backoff, sleep and jitter source. */
  retry?: Partial<RetryRuntime>;
  /** The upstream accounts' budgets (write queue, read budgets); none: every call goes at once. */
  admission?: UpstreamAdmission;
}

/** Operations whose body is still streaming when the SDK call returns (read under the call's own deadline). */
const STREAMED_BODIES: ReadonlySet<string> = new Set(['GetImageSetMetadata', 'GetImageFrame']);

const UPSTREAM_REQUEST_ID = /^[A-Za-z0-9-]{1,128}$/;

/**
 * The one way out to HealthImaging for a tenant: every call waits for a slot of the tenant's
 * semaphore (`upstream.maxConcurrency`), runs under a deadline, and is reported to the observer.
 * Reads retry by the read policy and leave as gateway errors; writes retry only on failures that
 * prove they were not applied, and hand every other failure back with its decision.
 */
export class UpstreamCaller {
  readonly tenantId: string;
  private readonly maxReadAttempts: number;
  private readonly limiter: Semaphore;
  private readonly retry: RetryRuntime;
  private readonly deadlineMs: number;
  private readonly onUpstreamCall: ((event: UpstreamCallEvent) => void) | undefined;
  private readonly tenant: AdmissionTenant;
  private readonly admission: UpstreamAdmission | undefined;

  constructor(options: UpstreamCallerOptions) {
    const { upstream } = options.tenant;
    this.tenantId = options.tenant.id;
    this.tenant = options.tenant;
    this.admission = options.admission;
    this.maxReadAttempts = upstream.maxReadAttempts;
    this.limiter = new Semaphore(Math.max(1, Math.floor(upstream.maxConcurrency)));
    this.retry = {
      backoff: options.retry?.backoff ?? DEFAULT_BACKOFF,
      sleep: options.retry?.sleep ?? defaultSleep,
      random: options.retry?.random ?? Math.random,
    };
    this.onUpstreamCall = options.onUpstreamCall;
    // The handler's requestTimeout stops waiting for headers; this deadline also covers a body
    // that stalls part-way (metadata documents can be large).
    this.deadlineMs = upstream.connectionTimeoutMs + upstream.requestTimeoutMs * 2;
  }

  /** A read with retries; failures leave as gateway errors. */
  async read<T>(context: CallContext, exec: UpstreamExec<T>): Promise<T> {
    try {
      return await runRead((attempt) => this.call(context, attempt, exec), this.maxReadAttempts, this.retry);
    } catch (error) {
      if (error instanceof GatewayError) throw error;
      throw toGatewayError(error, { retryAfterSeconds: this.retryAfterSeconds() });
    }
  }

  /** A write, resent only after failures that prove it was not applied; never after an ambiguous one. */
  async write<T>(context: CallContext, exec: UpstreamExec<T>): Promise<WriteOutcome<T>> {
    const outcome = await runWrite((attempt) => this.call(context, attempt, exec), MAX_WRITE_ATTEMPTS, this.retry);
    // Refused by the account's write queue: nothing was sent, so there is nothing to reconcile.
    if (!outcome.ok && outcome.error instanceof AdmissionRefusedError) throw outcome.error;
    return outcome;
  }

  /** The wait a THROTTLED error suggests: as long as the longest backoff of a full read. */
  retryAfterSeconds(): number {
    const { baseDelayMs, maxDelayMs } = this.retry.backoff;
    const attempts = Math.max(1, this.maxReadAttempts);
    return Math.max(1, Math.ceil(Math.min(maxDelayMs, baseDelayMs * 2 ** attempts) / 1000));
  }

  /**
   * One attempt: admitted by its account's budget, then sent. Every attempt is admitted again (a
   * retry spends quota too), and before the semaphore, so a call waiting for quota holds none of
   * the tenant's slots. Upstream throttling is reported back to the budget.
   */
  private async call<T>(context: CallContext, attempt: number, exec: UpstreamExec<T>): Promise<T> {
    if (!this.admission) return this.send(context, attempt, exec);
    const requestSignal = currentRequestSignal();
    if (requestSignal?.aborted) throw requestSignal.reason as Error;
    const ticket = await this.admission.admit(this.tenant, context.operation, requestSignal);
    try {
      const value = await this.send(context, attempt, exec);
      ticket.settle('ok');
      return value;
    } catch (error) {
      ticket.settle(classifyUpstreamError(error) === 'throttled' ? 'throttled' : 'failed');
      throw error;
    }
  }

  private send<T>(context: CallContext, attempt: number, exec: UpstreamExec<T>): Promise<T> {
    // The request's deadline ends its calls, retries and waits for a slot included.
    const requestSignal = currentRequestSignal();
    if (requestSignal?.aborted) return Promise.reject(requestSignal.reason as Error);
    return abortable(
      this.limiter.run(async () => {
        if (requestSignal?.aborted) throw requestSignal.reason;
        // A call that ends with its headers shares its request's one signal (the deadline); the
        // HTTP handler's timeouts bound it. A body that streams on, or a call outside any request,
        // gets a deadline of its own.
        const controller = requestSignal && !STREAMED_BODIES.has(context.operation) ? undefined : new AbortController();
        const timer =
          controller &&
          setTimeout(() => controller.abort(new Error('The upstream call exceeded its deadline.')), this.deadlineMs);
        const signal = !controller
          ? requestSignal!
          : requestSignal
            ? AbortSignal.any([controller.signal, requestSignal])
            : controller.signal;
        const started = performance.now();
        try {
          const value = await traceUpstreamCall(
            { ...context, tenantId: this.tenantId, attempt, errorKindOf: classifyUpstreamError },
            () => exec(signal),
          );
          this.report(context, attempt, started, undefined, value);
          return value;
        } catch (error) {
          this.report(context, attempt, started, error, undefined);
          throw requestSignal?.aborted ? requestSignal.reason : error;
        } finally {
          if (timer) clearTimeout(timer);
        }
      }),
      requestSignal,
    );
  }

  private report(context: CallContext, attempt: number, started: number, error: unknown, value: unknown): void {
    if (!this.onUpstreamCall) return;
    const event: UpstreamCallEvent = {
      tenantId: this.tenantId,
      operation: context.operation,
      attempt,
      durationMs: Math.round(performance.now() - started),
      outcome: error === undefined ? 'ok' : 'error',
    };
    if (context.reconciling) event.reconciling = true;
    const source = (error ?? value) as { $metadata?: { requestId?: unknown } } | undefined;
    const requestId = source?.$metadata?.requestId;
    if (typeof requestId === 'string' && UPSTREAM_REQUEST_ID.test(requestId)) {
      event.requestId = requestId;
      noteUpstreamRequestId(requestId);
    }
    if (error !== undefined) {
      event.errorKind = classifyUpstreamError(error);
      event.error = describeForLog(error);
    }
    try {
      this.onUpstreamCall(event);
    } catch {
      // An observer's failure must not change the outcome of the call it observes.
    }
  }
}
