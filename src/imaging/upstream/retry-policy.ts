import { classifyUpstreamError, type UpstreamErrorKind } from './upstream-errors';

/**
 * Retry decisions for upstream calls. The SDK client runs with `maxAttempts: 1`; this policy
 * replaces its standard strategy because HealthImaging's writes are not idempotent: resending a
 * CopyImageSet after a timeout can create a second copy.
 */

export interface BackoffOptions {
  /** First retry waits up to this long. */
  baseDelayMs: number;
  /** No single wait exceeds this. */
  maxDelayMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseDelayMs: 100, maxDelayMs: 5000 };

/** Attempts for writes that failed with proof they were not applied (throttling, no connection). */
export const MAX_WRITE_ATTEMPTS = 3;

/**
 * "Full jitter" backoff (AWS Architecture Blog, "Exponential Backoff And Jitter"): a uniform wait
 * in [0, min(cap, base * 2^retry)). `retry` counts from 0 for the first retry.
 */
export function backoffDelayMs(retry: number, options: BackoffOptions, random: () => number = Math.random): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, retry));
  return Math.floor(random() * ceiling);
}

/** Reads have no side effects: every transient failure may be retried. */
export function isRetryableRead(kind: UpstreamErrorKind): boolean {
  switch (kind) {
    case 'throttled':
    case 'server':
    case 'timeout':
    case 'network':
    case 'unsent':
      return true;
    case 'not-found':
    case 'conflict':
    case 'validation':
    case 'quota':
    case 'access':
    case 'unknown':
      return false;
    default: {
      const unreachable: never = kind;
      return unreachable;
    }
  }
}

/**
 * What to do after a write failed:
 * - `retry`: the failure proves the write was not applied (throttled, or never sent);
 * - `reconcile`: the write may have been applied; never resend, read the image set to find out;
 * - `fail`: a definite answer (not found, conflict, invalid, ...): map it and stop.
 */
export type WriteFailureDecision = 'retry' | 'reconcile' | 'fail';

export function writeFailureDecision(kind: UpstreamErrorKind): WriteFailureDecision {
  switch (kind) {
    case 'throttled':
    case 'unsent':
      return 'retry';
    case 'server':
    case 'timeout':
    case 'network':
    case 'unknown':
      // An unrecognised failure says nothing about whether the write landed either.
      return 'reconcile';
    case 'not-found':
    case 'conflict':
    case 'validation':
    case 'quota':
    case 'access':
      return 'fail';
    default: {
      const unreachable: never = kind;
      return unreachable;
    }
  }
}

export interface RetryRuntime {
  backoff: BackoffOptions;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
}

export const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs a read, retrying transient failures with backoff until `maxAttempts` calls were made. The
 * last error is rethrown unchanged (the caller maps it).
 */
export async function runRead<T>(
  call: (attempt: number) => Promise<T>,
  maxAttempts: number,
  runtime: RetryRuntime,
): Promise<T> {
  const attempts = Math.max(1, Math.floor(maxAttempts));
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call(attempt);
    } catch (error) {
      if (attempt >= attempts || !isRetryableRead(classifyUpstreamError(error))) throw error;
      await runtime.sleep(backoffDelayMs(attempt - 1, runtime.backoff, runtime.random));
    }
  }
}

/** How a write ended, for the caller to map: either a value, or a failure with its decision. */
export type WriteOutcome<T> =
  { ok: true; value: T } | { ok: false; error: unknown; decision: Exclude<WriteFailureDecision, 'retry'> };

/**
 * Runs a write. It is resent only after failures that prove it was not applied; any other
 * failure is returned with its decision so the caller can reconcile or map it. The write is
 * never sent again after an ambiguous failure.
 */
export async function runWrite<T>(
  call: (attempt: number) => Promise<T>,
  maxAttempts: number,
  runtime: RetryRuntime,
): Promise<WriteOutcome<T>> {
  const attempts = Math.max(1, Math.floor(maxAttempts));
  for (let attempt = 1; ; attempt += 1) {
    try {
      return { ok: true, value: await call(attempt) };
    } catch (error) {
      const decision = writeFailureDecision(classifyUpstreamError(error));
      if (decision === 'retry') {
        if (attempt >= attempts) return { ok: false, error, decision: 'fail' };
        await runtime.sleep(backoffDelayMs(attempt - 1, runtime.backoff, runtime.random));
        continue;
      }
      return { ok: false, error, decision };
    }
  }
}
