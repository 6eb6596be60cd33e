import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { BudgetLimit } from './upstream-budget-settings';

/**
 * An upstream account's budget for one operation, held in Redis so that every replica spends the
 * same tokens: rate-limiter-flexible's `RateLimiterRedis` (one atomic Lua increment per take).
 *
 * Its limiters are fixed windows whose length Redis keeps in whole seconds, so a budget of
 * `perSecond` with `burst` becomes `points` per window of `durationSeconds` = max(1 s, burst /
 * perSecond), with `points` = perSecond x window (rounded down, at least 1). For HealthImaging's
 * write quota (0.25/s, burst 1) that is 1 call per 4 s window: exactly the service's bucket. For a
 * burst smaller than a second's worth (4/s with burst 1) the window holds a second's calls, and
 * only each replica's own pacing (pacing-bucket.ts) spreads them; calls of two replicas may then
 * meet closer together than the upstream bucket allows, and the throttles that follow lower
 * their pace (account-budgets.ts).
 */

export interface SharedTake {
  /** Tokens granted, from 0 to the count asked. */
  granted: number;
  /** When fewer were granted: milliseconds until the window opens again. */
  retryAfterMs: number;
}

export interface SharedBucket {
  /** Takes up to `count` tokens; rejects when Redis fails (the caller falls back on its own pacing). */
  take(count: number): Promise<SharedTake>;
  /** Returns tokens taken but not used (their caller left the queue meanwhile); best effort. */
  giveBack(count: number): void;
}

export interface SharedWindow {
  points: number;
  durationSeconds: number;
}

export function sharedWindowOf(limit: BudgetLimit): SharedWindow {
  const durationSeconds = Math.max(1, Math.ceil(limit.burst / limit.perSecond));
  return { points: Math.max(1, Math.floor(limit.perSecond * durationSeconds)), durationSeconds };
}

/** The shared buckets of every account, over one Redis connection; limiters are made once per size. */
export class RedisBudgets {
  private readonly limiters = new Map<string, { limiter: RateLimiterRedis; points: number }>();

  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {}

  bucket(account: string, operation: string, limit: BudgetLimit): SharedBucket {
    const { limiter, points } = this.limiterFor(limit);
    const key = `${account}:${operation}`;
    return {
      take: async (count) => {
        try {
          await limiter.consume(key, count);
          return { granted: count, retryAfterMs: 0 };
        } catch (error) {
          if (!(error instanceof RateLimiterRes)) throw error;
          // A refused take still counted its points: the window held `before` until this one.
          // Keep what was left of it and give the excess back, so other replicas can use it.
          const before = error.consumedPoints - count;
          const granted = Math.max(0, Math.min(count, points - before));
          if (granted > 0) void limiter.reward(key, count - granted).catch(() => undefined);
          return { granted, retryAfterMs: Math.max(1, error.msBeforeNext) };
        }
      },
      giveBack: (count) => {
        if (count > 0) void limiter.reward(key, count).catch(() => undefined);
      },
    };
  }

  private limiterFor(limit: BudgetLimit): { limiter: RateLimiterRedis; points: number } {
    const { points, durationSeconds } = sharedWindowOf(limit);
    // Keys carry the window's numbers: replicas still running other numbers keep apart rather
    // than counting one window under two sizes.
    const keyPrefix = `${this.keyPrefix}ub:${points}-${durationSeconds}`;
    let entry = this.limiters.get(keyPrefix);
    if (!entry) {
      entry = {
        limiter: new RateLimiterRedis({
          storeClient: this.redis,
          points,
          duration: durationSeconds,
          keyPrefix,
          rejectIfRedisNotReady: true,
        }),
        points,
      };
      this.limiters.set(keyPrefix, entry);
    }
    return entry;
  }
}
