import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import {
  BurstyRateLimiter,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import type { Principal } from '../auth/principal';
import type { TenantConfig } from '../tenants/tenant-config';
import { describeError, silentLogger, type Logger } from '../logging/logger';
import { rateLimitsFor, type BucketLimit, type RateLimitSettings } from './rate-limits-settings';

/**
 * Request rate limits per credential and per tenant, and a per-tenant cap on requests in flight.
 *
 * Each bucket is rate-limiter-flexible's bursty limiter: up to `perSecond` requests in each
 * one-second window, and `burst - perSecond` more in each `BURST_WINDOW_SECONDS` window for the
 * spikes a viewer makes when it opens a study. Long-run that admits `perSecond` plus a tenth of the
 * burst allowance per second; at any moment at most `burst` in one second.
 *
 * With Redis the buckets are shared by every replica (the library's atomic Lua increments). When
 * Redis fails, each request is judged by local in-memory buckets of the same size instead (so every
 * replica enforces the limits alone, N replicas admitting up to N times them) and one warning is
 * logged per outage: a Redis outage degrades the limits, never the requests.
 *
 * The in-flight cap is per replica on purpose: it bounds this process's memory and sockets, as the
 * per-tenant upstream concurrency does.
 */

export const BURST_WINDOW_SECONDS = 10;
/** What a request refused by the in-flight cap is told: requests finish within moments. */
const IN_FLIGHT_RETRY_AFTER_SECONDS = 1;

export type ThrottleScope = 'credential' | 'tenant';
export type ThrottleReason = 'credential_rate' | 'tenant_rate' | 'tenant_in_flight';

export interface Throttled {
  ok: false;
  /** Whole seconds, at least 1: the value of the `Retry-After` header. */
  retryAfterSeconds: number;
  scope: ThrottleScope;
  reason: ThrottleReason;
}

export type RateVerdict = { ok: true } | Throttled;
export type Admission = { ok: true; release: () => void } | Throttled;

export interface RateLimitsOptions {
  /** The deployment-wide limits; a tenant's `rateLimits` override parts of them. */
  defaults: RateLimitSettings;
  /** Shares the buckets between replicas; the caller owns (and closes) the connection. */
  redis?: Redis;
  /** Starts every Redis key (`REDIS_KEY_PREFIX`). */
  keyPrefix?: string;
  logger?: Logger;
}

interface Consumer {
  consume(key: string): Promise<RateLimiterRes>;
}

/** One bucket: the shared limiter when Redis is configured, and the local one it falls back on. */
interface Bucket {
  shared?: Consumer;
  local: Consumer;
}

interface TenantState {
  settings: RateLimitSettings;
  credential: Bucket;
  tenant: Bucket;
  inFlight: number;
}

export class RateLimits {
  private readonly tenants = new Map<string, TenantState>();
  private readonly logger: Logger;
  private readonly keyPrefix: string;
  private degraded = false;

  constructor(private readonly options: RateLimitsOptions) {
    this.logger = options.logger ?? silentLogger;
    this.keyPrefix = options.keyPrefix ?? '';
  }

  /** The limits that apply to a tenant. */
  settingsFor(tenant: TenantConfig): RateLimitSettings {
    return this.stateOf(tenant).settings;
  }

  /** Takes one request from the credential's and the tenant's buckets (both, in parallel). */
  async consume(principal: Principal, tenant: TenantConfig): Promise<RateVerdict> {
    const state = this.stateOf(tenant);
    const [credential, whole] = await Promise.all([
      this.take(state.credential, `${tenant.id}:${principal.method}:${subjectKey(principal.subject)}`),
      this.take(state.tenant, tenant.id),
    ]);
    if (credential) return throttled(credential, 'credential', 'credential_rate');
    if (whole) return throttled(whole, 'tenant', 'tenant_rate');
    return { ok: true };
  }

  /** Takes one of the tenant's in-flight slots; `release` (idempotent) gives it back. */
  acquire(tenant: TenantConfig): Admission {
    const state = this.stateOf(tenant);
    if (state.inFlight >= state.settings.maxInFlight) {
      return {
        ok: false,
        retryAfterSeconds: IN_FLIGHT_RETRY_AFTER_SECONDS,
        scope: 'tenant',
        reason: 'tenant_in_flight',
      };
    }
    state.inFlight += 1;
    let released = false;
    return {
      ok: true,
      release: () => {
        if (released) return;
        released = true;
        state.inFlight -= 1;
      },
    };
  }

  /** An in-flight slot, then the rate buckets; a refused request holds no slot. */
  async admit(principal: Principal, tenant: TenantConfig): Promise<Admission> {
    const slot = this.acquire(tenant);
    if (!slot.ok) return slot;
    try {
      const verdict = await this.consume(principal, tenant);
      if (verdict.ok) return slot;
      slot.release();
      return verdict;
    } catch (error) {
      slot.release();
      throw error;
    }
  }

  /** Requests of a tenant in flight on this replica. */
  inFlight(tenantId: string): number {
    return this.tenants.get(tenantId)?.inFlight ?? 0;
  }

  /** Undefined when admitted; the library's answer (with the wait) when over the limit. */
  private async take(bucket: Bucket, key: string): Promise<RateLimiterRes | undefined> {
    if (bucket.shared) {
      try {
        await bucket.shared.consume(key);
        this.sharedAnswered();
        return undefined;
      } catch (error) {
        if (error instanceof RateLimiterRes) {
          this.sharedAnswered();
          return error;
        }
        this.sharedFailed(error);
      }
    }
    try {
      await bucket.local.consume(key);
      return undefined;
    } catch (error) {
      if (error instanceof RateLimiterRes) return error;
      throw error;
    }
  }

  private sharedFailed(error: unknown): void {
    if (this.degraded) return;
    this.degraded = true;
    this.logger.warn('rate_limits.redis_unavailable', {
      ...describeError(error),
      outcome: 'each replica enforces the rate limits alone until Redis answers',
    });
  }

  private sharedAnswered(): void {
    if (!this.degraded) return;
    this.degraded = false;
    this.logger.info('rate_limits.redis_restored', { outcome: 'rate limits are shared again' });
  }

  private stateOf(tenant: TenantConfig): TenantState {
    let state = this.tenants.get(tenant.id);
    if (!state) {
      const settings = rateLimitsFor(this.options.defaults, tenant.rateLimits);
      state = {
        settings,
        credential: this.bucket(settings.credential, 'credential'),
        tenant: this.bucket(settings.tenant, 'tenant'),
        inFlight: 0,
      };
      this.tenants.set(tenant.id, state);
    }
    return state;
  }

  private bucket(limit: BucketLimit, name: string): Bucket {
    const { redis } = this.options;
    // Keys carry the limit's numbers: a tenant whose override changes starts fresh buckets rather
    // than sharing one with replicas still running the old numbers under different sizes.
    const keyPrefix = `${this.keyPrefix}rl:${name}:${limit.perSecond}-${limit.burst}`;
    const make = (opts: { points: number; duration: number; keyPrefix: string }): RateLimiterAbstract =>
      redis
        ? new RateLimiterRedis({ ...opts, storeClient: redis, rejectIfRedisNotReady: true })
        : new RateLimiterMemory(opts);
    const local = (opts: { points: number; duration: number; keyPrefix: string }): RateLimiterAbstract =>
      new RateLimiterMemory(opts);
    return {
      ...(redis ? { shared: burstyOf(limit, keyPrefix, make) } : {}),
      local: burstyOf(limit, keyPrefix, local),
    };
  }
}

function burstyOf(
  limit: BucketLimit,
  keyPrefix: string,
  make: (opts: { points: number; duration: number; keyPrefix: string }) => RateLimiterAbstract,
): Consumer {
  const steady = make({ points: limit.perSecond, duration: 1, keyPrefix });
  if (limit.burst === limit.perSecond) return steady;
  return new BurstyRateLimiter(
    steady,
    make({ points: limit.burst - limit.perSecond, duration: BURST_WINDOW_SECONDS, keyPrefix: `${keyPrefix}:burst` }),
  );
}

/** Subjects may be e-mail addresses: Redis keys (and memory) hold a digest instead. */
function subjectKey(subject: string): string {
  return createHash('sha256').update(subject).digest('base64url').slice(0, 22);
}

function throttled(res: RateLimiterRes, scope: ThrottleScope, reason: ThrottleReason): Throttled {
  return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)), scope, reason };
}
