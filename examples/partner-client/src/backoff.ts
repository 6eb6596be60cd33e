/** Exponential back-off with full jitter, so clients that failed together do not retry together. */
export interface BackoffPolicy {
  /** The delay ceiling of the first retry, doubled for each retry after it. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export function backoffDelayMs(policy: BackoffPolicy, retry: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.round(ceiling * random());
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
