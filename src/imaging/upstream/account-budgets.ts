import { FairQueue } from './fair-queue';
import { PacingBucket } from './pacing-bucket';
import type { SharedBucket, SharedTake } from './shared-bucket';
import type { BudgetLimit } from './upstream-budget-settings';

/**
 * One upstream account's budget for one operation, on this replica: calls wait in a fair queue
 * (one flow per tenant, deficit round robin by the tenant's weight) and leave it one token at a
 * time. A token must be found twice: in this replica's pacing bucket (the exact rate and burst,
 * lowered while upstream throttles), and, with Redis, in the account's shared bucket, which holds
 * the sum of every replica's calls. Each replica orders only its own waiters; the shared bucket
 * makes the replicas' sum hold, not their fairness to each other's tenants (a tenant on a busy
 * replica queues behind that replica's tenants only).
 *
 * A call is refused at once when the queue ahead of it would outlast `maxWaitMs`, and after
 * waiting that long if it still has not left (the rate fell meanwhile, or other replicas took the
 * shared tokens). A waiter whose request is aborted (its deadline) leaves the queue at once.
 *
 * Feedback: a call throttled upstream halves the pace (once per pace: throttles of calls sent
 * before the last decrease are not counted again) down to 1/16 of the configured rate and empties
 * the pacing bucket; each call that succeeds adds back 1/20 of the configured rate.
 */

const DECREASE_FACTOR = 0.5;
const MIN_FACTOR = 1 / 16;
const RECOVERY_STEP = 0.05;
const ARRIVAL_MARGIN_MS = 100;

export type LaneVerdict =
  { ok: true; epoch: number; waitedMs: number } | { ok: false; retryAfterSeconds: number; waitedMs: number };

export interface LaneEvents {
  /** A waiter joined (+1) or left (-1) the queue of `flow`. */
  queued(flow: string, delta: number): void;
  /** Redis failed while taking a shared token: this replica paces alone meanwhile. */
  sharedFailed(error: unknown): void;
  sharedAnswered(): void;
  /** Upstream throttling changed the pace (tokens per second now). */
  paceChanged(perSecond: number, lowered: boolean): void;
}

export interface LaneOptions {
  limit: BudgetLimit;
  maxWaitMs: number;
  shared?: SharedBucket;
  events: LaneEvents;
  clock: () => number;
}

interface Waiter {
  readonly flow: string;
  readonly enqueuedAt: number;
  settle(verdict: LaneVerdict): void;
}

export class AccountLane {
  private readonly queue = new FairQueue<Waiter>();
  private readonly pacer: PacingBucket;
  private factor = 1;
  /** Counts pace decreases; a call carries the epoch it was admitted in. */
  private epoch = 0;
  private timer: NodeJS.Timeout | undefined;
  private draining = false;

  constructor(private readonly options: LaneOptions) {
    this.pacer = new PacingBucket(options.limit.perSecond, options.limit.burst, options.clock());
  }

  /** Waiters on this replica. */
  get depth(): number {
    return this.queue.size;
  }

  /** Tokens per second this replica paces at now. */
  get perSecond(): number {
    return this.pacer.perSecond;
  }

  /**
   * Resolves once the call may be sent (`ok`), or refused with a retry hint; rejects with the
   * signal's reason when the request is aborted while it waits.
   */
  admit(flow: string, weight: number, signal?: AbortSignal): Promise<LaneVerdict> {
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    const now = this.options.clock();
    if (this.queue.size === 0 && !this.options.shared && this.pacer.available(now) >= 1) {
      this.pacer.take(1, now);
      return Promise.resolve({ ok: true, epoch: this.epoch, waitedMs: 0 });
    }
    const estimate = this.estimateMs(flow, weight, now);
    // The margin keeps a call whose token is due just at the bound from racing its own timeout.
    const margin = Math.min(ARRIVAL_MARGIN_MS, this.options.maxWaitMs / 10);
    if (estimate + margin > this.options.maxWaitMs) return Promise.resolve(this.refusal(estimate, 0));

    return new Promise<LaneVerdict>((resolve, reject) => {
      const onAbort = (): void => {
        if (leave()) reject(signal?.reason as Error);
      };
      const cleanup = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const waiter: Waiter = {
        flow,
        enqueuedAt: now,
        settle: (verdict) => {
          cleanup();
          this.options.events.queued(flow, -1);
          resolve(verdict);
        },
      };
      const leave = (): boolean => {
        if (!this.queue.remove(flow, waiter)) return false;
        cleanup();
        this.options.events.queued(flow, -1);
        return true;
      };
      const timer = setTimeout(() => {
        const at = this.options.clock();
        if (leave()) resolve(this.refusal(this.estimateMs(flow, weight, at), at - now));
      }, this.options.maxWaitMs);
      timer.unref();
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(flow, waiter, weight);
      this.options.events.queued(flow, 1);
      this.pump();
    });
  }

  /** The upstream outcome of a call admitted in `epoch`. */
  settle(epoch: number, outcome: 'ok' | 'throttled' | 'failed'): void {
    const now = this.options.clock();
    const { perSecond, burst } = this.options.limit;
    if (outcome === 'throttled') {
      if (epoch !== this.epoch) return;
      this.epoch += 1;
      this.factor = Math.max(MIN_FACTOR, this.factor * DECREASE_FACTOR);
      this.pacer.setRate(perSecond * this.factor, Math.max(1, Math.floor(burst * this.factor)), now);
      this.pacer.empty(now);
      this.options.events.paceChanged(this.pacer.perSecond, true);
    } else if (outcome === 'ok' && this.factor < 1) {
      // Rounded, so that steps of 1/20 land on 1 exactly rather than a hair below it.
      this.factor = Math.min(1, Math.round((this.factor + RECOVERY_STEP) * 1000) / 1000);
      this.pacer.setRate(perSecond * this.factor, Math.max(1, Math.floor(burst * this.factor)), now);
      if (this.factor === 1) this.options.events.paceChanged(this.pacer.perSecond, false);
    }
  }

  /** Milliseconds until a new call of `flow` would leave, if nothing else arrived. */
  private estimateMs(flow: string, weight: number, now: number): number {
    const missing = this.queue.ahead(flow, weight) - this.pacer.available(now);
    return missing <= 0 ? 0 : Math.ceil((missing / this.pacer.perSecond) * 1000);
  }

  /** The hint: when a new call would be queued again rather than refused. */
  private refusal(estimateMs: number, waitedMs: number): LaneVerdict {
    const retryAfterSeconds = Math.max(1, Math.ceil((estimateMs - this.options.maxWaitMs) / 1000));
    return { ok: false, retryAfterSeconds, waitedMs };
  }

  private pump(): void {
    if (this.draining || this.timer !== undefined) return;
    this.draining = true;
    void this.drain();
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.size > 0) {
        const now = this.options.clock();
        const waitMs = this.pacer.msUntil(1, now);
        if (waitMs > 0) {
          this.wake(waitMs);
          return;
        }
        const wanted = Math.min(this.queue.size, Math.floor(this.pacer.available(now)));
        const { granted, retryAfterMs } = await this.takeShared(wanted);
        const at = this.options.clock();
        this.pacer.take(granted, at);
        let unused = 0;
        for (let i = 0; i < granted; i += 1) {
          const next = this.queue.next();
          if (next) next.item.settle({ ok: true, epoch: this.epoch, waitedMs: at - next.item.enqueuedAt });
          else unused += 1;
        }
        if (unused > 0) {
          this.pacer.take(-unused, at);
          this.options.shared?.giveBack(unused);
        }
        if (granted < wanted) {
          this.wake(retryAfterMs);
          return;
        }
      }
    } finally {
      // Synchronous with the loop's last check: a waiter arriving after it finds the pump idle.
      this.draining = false;
    }
  }

  private async takeShared(wanted: number): Promise<SharedTake> {
    const { shared, events } = this.options;
    if (!shared) return { granted: wanted, retryAfterMs: 0 };
    try {
      const taken = await shared.take(wanted);
      events.sharedAnswered();
      return taken;
    } catch (error) {
      events.sharedFailed(error);
      return { granted: wanted, retryAfterMs: 0 };
    }
  }

  private wake(ms: number): void {
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.pump();
      },
      Math.max(1, ms),
    );
    this.timer.unref();
  }
}
