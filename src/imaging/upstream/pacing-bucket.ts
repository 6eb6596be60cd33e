/**
 * A token bucket whose rate can change while it runs: `perSecond` tokens flow in continuously up
 * to `burst`. It paces one replica's sends to one upstream account and operation exactly as
 * HealthImaging meters them (a token bucket per operation and account), and it is where upstream
 * throttling lowers the rate (account-budgets.ts). Hand-written because rate-limiter-flexible's
 * limiters are fixed windows of fixed size: they cannot smooth a burst of 1 below a second, nor
 * change their rate without starting a new key.
 *
 * Pure: time comes from the `now` argument (milliseconds).
 */
export class PacingBucket {
  private tokens: number;
  private refilledAt: number;
  private perMs: number;
  private capacity: number;

  constructor(perSecond: number, burst: number, now: number) {
    this.perMs = perSecond / 1000;
    this.capacity = Math.max(1, burst);
    this.tokens = this.capacity;
    this.refilledAt = now;
  }

  /** Tokens per second now. */
  get perSecond(): number {
    return this.perMs * 1000;
  }

  /** Whole or partial tokens available at `now`. */
  available(now: number): number {
    this.refill(now);
    return this.tokens;
  }

  /** Milliseconds until `count` tokens are available (0 when they are). */
  msUntil(count: number, now: number): number {
    this.refill(now);
    const missing = Math.min(count, this.capacity) - this.tokens;
    return missing <= 0 ? 0 : Math.ceil(missing / this.perMs);
  }

  /** Spends `count` tokens (the caller checked `available`); a refund is a negative count. */
  take(count: number, now: number): void {
    this.refill(now);
    this.tokens = Math.min(this.capacity, this.tokens - count);
  }

  /** Spends everything: the next token comes a whole interval from now. */
  empty(now: number): void {
    this.refill(now);
    this.tokens = Math.min(this.tokens, 0);
  }

  /** A new rate and burst from `now` on; tokens already earned are kept up to the new burst. */
  setRate(perSecond: number, burst: number, now: number): void {
    this.refill(now);
    this.perMs = perSecond / 1000;
    this.capacity = Math.max(1, burst);
    this.tokens = Math.min(this.tokens, this.capacity);
  }

  private refill(now: number): void {
    if (now > this.refilledAt) {
      this.tokens = Math.min(this.capacity, this.tokens + (now - this.refilledAt) * this.perMs);
      this.refilledAt = now;
    }
  }
}
