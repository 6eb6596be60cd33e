import type { Redis } from 'ioredis';
import { ThrottledError } from '../../errors/gateway-errors';
import { describeError, silentLogger, type Logger } from '../../logging/logger';
import type { TenantUpstreamConfig } from '../../tenants/tenant-config';
import { AccountLane, type LaneEvents } from './account-budgets';
import { RedisBudgets } from './shared-bucket';
import { upstreamAccountOf } from './upstream-account';
import { WRITE_OPERATIONS, type BudgetLimit, type UpstreamBudgetSettings } from './upstream-budget-settings';

/**
 * The upstream write scheduler and read budgets: every HealthImaging call of a budgeted operation
 * waits here, in `UpstreamCaller` just before it is sent (each attempt again: a retry spends quota
 * too), for a token of its upstream account's budget for that operation.
 *
 * HealthImaging meters each operation per account (docs/healthimaging-behaviour.md#quotas-and-throttling),
 * and tenants often share an account. Writes (copy, update, delete: 0.25/s by default) wait in a
 * fair queue per account and operation, so a tenant sending ten times its share only lengthens
 * its own wait; up to UPSTREAM_WRITE_QUEUE_WAIT_MS, and never past the request's deadline (the
 * request signal aborts the wait). Reads wait in the same kind of queue, briefly
 * (UPSTREAM_READ_WAIT_MS). What cannot be admitted in time is refused at once with THROTTLED and
 * a `retryAfterSeconds` computed from the queue ahead, instead of being sent to be throttled
 * upstream. Throttling that still comes back (another client of the account, a lower quota) lowers
 * the account's pace (account-budgets.ts).
 *
 * With Redis the tokens are shared by every replica (shared-bucket.ts); the queues are not: each
 * replica orders its own waiters. Without Redis, or while it fails, each replica paces alone.
 */

export type AdmissionRefusal = 'upstream_write_queue' | 'upstream_read_budget';

/** What the metrics see; all optional. Tenant ids are the tenants file's own identifiers. */
export interface AdmissionObserver {
  /** A write joined (+1) or left (-1) the queue of `tenantId`'s account. */
  writeQueueChanged?(tenantId: string, delta: number): void;
  /** A write was admitted after waiting `seconds`. */
  writeAdmitted?(tenantId: string, seconds: number): void;
  refused?(reason: AdmissionRefusal): void;
}

export interface AdmissionTenant {
  id: string;
  upstream: Pick<
    TenantUpstreamConfig,
    'region' | 'endpoint' | 'credentials' | 'resolvedStaticCredentials' | 'quotaAccount' | 'quotaWeight'
  >;
}

/** Given back to the caller with each admission: the call's upstream outcome, once known. */
export interface AdmissionTicket {
  settle(outcome: 'ok' | 'throttled' | 'failed'): void;
}

/** A call that could not be admitted within its wait bound: not sent, so never retried as sent. */
export class AdmissionRefusedError extends ThrottledError {}

export interface UpstreamAdmissionOptions {
  settings: UpstreamBudgetSettings;
  /** Shares the accounts' tokens between replicas; the caller owns (and closes) the connection. */
  redis?: Redis;
  /** Starts every Redis key (`REDIS_KEY_PREFIX`). */
  keyPrefix?: string;
  logger?: Logger;
  observer?: AdmissionObserver;
  clock?: () => number;
}

const UNBUDGETED: AdmissionTicket = { settle: () => undefined };

export class UpstreamAdmission {
  private readonly lanes = new Map<string, AccountLane>();
  private readonly accounts = new WeakMap<object, string>();
  private readonly redis: RedisBudgets | undefined;
  private readonly logger: Logger;
  private readonly clock: () => number;
  private degraded = false;

  constructor(private readonly options: UpstreamAdmissionOptions) {
    this.logger = options.logger ?? silentLogger;
    this.clock = options.clock ?? Date.now;
    this.redis = options.redis ? new RedisBudgets(options.redis, options.keyPrefix ?? '') : undefined;
  }

  /**
   * Waits for a token of the tenant's account for `operation`. Rejects with THROTTLED
   * (`AdmissionRefusedError`) when none comes within the wait bound, and with the signal's reason
   * when the request is aborted first. Operations without a budget pass at once.
   */
  async admit(tenant: AdmissionTenant, operation: string, signal?: AbortSignal): Promise<AdmissionTicket> {
    const write = WRITE_OPERATIONS.has(operation);
    const limit = write ? this.options.settings.write : this.options.settings.reads[operation];
    if (!limit) return UNBUDGETED;
    const lane = this.laneOf(this.accountOf(tenant), operation, limit, write);
    const verdict = await lane.admit(tenant.id, tenant.upstream.quotaWeight ?? 1, signal);
    if (!verdict.ok) {
      this.options.observer?.refused?.(write ? 'upstream_write_queue' : 'upstream_read_budget');
      throw refusedError(write, verdict.retryAfterSeconds);
    }
    if (write) this.options.observer?.writeAdmitted?.(tenant.id, verdict.waitedMs / 1000);
    const { epoch } = verdict;
    return { settle: (outcome) => lane.settle(epoch, outcome) };
  }

  private accountOf(tenant: AdmissionTenant): string {
    let account = this.accounts.get(tenant.upstream);
    if (account === undefined) {
      account = upstreamAccountOf(tenant.upstream);
      this.accounts.set(tenant.upstream, account);
    }
    return account;
  }

  private laneOf(account: string, operation: string, limit: BudgetLimit, write: boolean): AccountLane {
    const key = `${account}:${operation}`;
    let lane = this.lanes.get(key);
    if (!lane) {
      lane = new AccountLane({
        limit,
        maxWaitMs: write ? this.options.settings.writeQueueWaitMs : this.options.settings.readWaitMs,
        ...(this.redis ? { shared: this.redis.bucket(account, operation, limit) } : {}),
        events: this.eventsFor(operation, write),
        clock: this.clock,
      });
      this.lanes.set(key, lane);
    }
    return lane;
  }

  private eventsFor(operation: string, write: boolean): LaneEvents {
    const observer = this.options.observer;
    return {
      queued: (tenantId, delta) => {
        if (write) observer?.writeQueueChanged?.(tenantId, delta);
      },
      sharedFailed: (error) => {
        if (this.degraded) return;
        this.degraded = true;
        this.logger.warn('upstream_budget.redis_unavailable', {
          ...describeError(error),
          outcome: 'each replica paces its upstream calls alone until Redis answers',
        });
      },
      sharedAnswered: () => {
        if (!this.degraded) return;
        this.degraded = false;
        this.logger.info('upstream_budget.redis_restored', { outcome: 'upstream budgets are shared again' });
      },
      paceChanged: (perSecond, lowered) => {
        this.logger.info(lowered ? 'upstream_budget.pace_lowered' : 'upstream_budget.pace_restored', {
          operation,
          outcome: `${Number(perSecond.toPrecision(3))} calls/s per account on this replica`,
        });
      },
    };
  }
}

function refusedError(write: boolean, retryAfterSeconds: number): AdmissionRefusedError {
  const what = write
    ? 'This tenant has more writes waiting for its share of the HealthImaging write quota than can be sent in time'
    : 'The HealthImaging read quota this tenant uses is exhausted for now';
  return new AdmissionRefusedError(retryAfterSeconds, `${what}; retry after ${retryAfterSeconds} s.`);
}

/** The admission the gateway's services share, or none when UPSTREAM_BUDGETS is off. */
export function createUpstreamAdmission(options: UpstreamAdmissionOptions): UpstreamAdmission | undefined {
  return options.settings.enabled ? new UpstreamAdmission(options) : undefined;
}
