/**
 * The upstream budgets' shape and defaults: how fast the gateway lets calls of one upstream
 * account (all tenants whose credentials are that account) reach HealthImaging, per operation.
 * HealthImaging meters each operation per account with its own token bucket
 * (docs/healthimaging-behaviour.md#quotas-and-throttling); these are those quotas, so the gateway
 * queues and shares them instead of spending them on throttled calls. `loadConfig` reads the
 * UPSTREAM_* variables into this.
 */

/** A token bucket: `perSecond` sustained (may be fractional), up to `burst` at once. */
export interface BudgetLimit {
  readonly perSecond: number;
  readonly burst: number;
}

export interface UpstreamBudgetSettings {
  /** UPSTREAM_BUDGETS: off sends every call at once, as before (an upstream without quotas). */
  readonly enabled: boolean;
  /** Each of CopyImageSet, UpdateImageSetMetadata and DeleteImageSet, per account. */
  readonly write: BudgetLimit;
  /** Longest a write waits in its account's fair queue before it is refused THROTTLED. */
  readonly writeQueueWaitMs: number;
  /** Per read operation, per account; operations not listed are not budgeted. */
  readonly reads: Readonly<Record<string, BudgetLimit>>;
  /** Longest a read waits for its budget before it is refused THROTTLED. */
  readonly readWaitMs: number;
}

/** The operations admitted by the write queue; every other budgeted operation is a read. */
export const WRITE_OPERATIONS: ReadonlySet<string> = new Set([
  'CopyImageSet',
  'UpdateImageSetMetadata',
  'DeleteImageSet',
]);

/** HealthImaging's documented default throttle rates of the reads the gateway makes (requests per second / burst). */
export const DEFAULT_READ_BUDGETS: Readonly<Record<string, BudgetLimit>> = Object.freeze({
  GetDatastore: Object.freeze({ perSecond: 10, burst: 20 }),
  ListDatastores: Object.freeze({ perSecond: 5, burst: 10 }),
  SearchImageSets: Object.freeze({ perSecond: 25, burst: 50 }),
  GetImageSet: Object.freeze({ perSecond: 25, burst: 50 }),
  GetImageSetMetadata: Object.freeze({ perSecond: 50, burst: 100 }),
  GetImageFrame: Object.freeze({ perSecond: 1000, burst: 2000 }),
  ListImageSetVersions: Object.freeze({ perSecond: 25, burst: 50 }),
  ListTagsForResource: Object.freeze({ perSecond: 10, burst: 20 }),
});

export const DEFAULT_UPSTREAM_BUDGETS: UpstreamBudgetSettings = Object.freeze({
  enabled: true,
  write: Object.freeze({ perSecond: 0.25, burst: 1 }),
  writeQueueWaitMs: 10_000,
  reads: DEFAULT_READ_BUDGETS,
  readWaitMs: 2_000,
});

export const UPSTREAM_BUDGET_VARIABLES = Object.freeze({
  enabled: 'UPSTREAM_BUDGETS',
  writePerSecond: 'UPSTREAM_WRITE_RATE_PER_SECOND',
  writeBurst: 'UPSTREAM_WRITE_BURST',
  writeQueueWaitMs: 'UPSTREAM_WRITE_QUEUE_WAIT_MS',
  reads: 'UPSTREAM_READ_BUDGETS',
  readWaitMs: 'UPSTREAM_READ_WAIT_MS',
});

/** Beyond these a budget protects nothing; they also keep a typo visible. */
export const BUDGET_CEILINGS = Object.freeze({ perSecond: 100_000, burst: 1_000_000 });
/** Below this a bucket would take hours to earn one token. */
export const MIN_BUDGET_PER_SECOND = 0.001;

const ENTRY = /^([A-Za-z]+|\*)=(\d+(?:\.\d+)?)\/(\d+)$/;

/**
 * Parses UPSTREAM_READ_BUDGETS: `GetImageSet=50/100,GetImageSetMetadata=100/200` (rate/burst, as
 * HealthImaging Local's `--rate-limits` takes them); `*=rate/burst` sets every read of the
 * defaults. Listed operations replace their default; the others keep it. Returns the budgets, or
 * the problems found (one line each).
 */
export function parseReadBudgets(
  text: string,
  defaults: Readonly<Record<string, BudgetLimit>> = DEFAULT_READ_BUDGETS,
): { budgets: Record<string, BudgetLimit> } | { issues: string[] } {
  const budgets: Record<string, BudgetLimit> = { ...defaults };
  const issues: string[] = [];
  const entries = text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  for (const entry of entries) {
    const match = ENTRY.exec(entry);
    if (!match) {
      issues.push(`"${entry.slice(0, 40)}" is not Operation=RATE/BURST (e.g. GetImageSet=25/50)`);
      continue;
    }
    const [, operation = '', rate = '', burstText = ''] = match;
    const perSecond = Number(rate);
    const burst = Number(burstText);
    if (operation !== '*' && (!(operation in defaults) || WRITE_OPERATIONS.has(operation))) {
      issues.push(`${operation} is not a budgeted read (known: ${Object.keys(defaults).join(', ')})`);
      continue;
    }
    if (perSecond < MIN_BUDGET_PER_SECOND || perSecond > BUDGET_CEILINGS.perSecond) {
      issues.push(`${operation}: the rate must be from ${MIN_BUDGET_PER_SECOND} to ${BUDGET_CEILINGS.perSecond}`);
      continue;
    }
    if (burst < 1 || burst > BUDGET_CEILINGS.burst) {
      issues.push(`${operation}: the burst must be from 1 to ${BUDGET_CEILINGS.burst}`);
      continue;
    }
    const limit = Object.freeze({ perSecond, burst });
    if (operation === '*') for (const name of Object.keys(defaults)) budgets[name] = limit;
    else budgets[operation] = limit;
  }
  return issues.length > 0 ? { issues } : { budgets };
}
