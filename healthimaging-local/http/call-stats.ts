import type { OperationName } from '../shapes/operation-names';

export interface CallStatsSnapshot {
  total: number;
  operations: Partial<Record<OperationName, number>>;
  /** Calls per access key (as named in the request's signature, `anonymous` without one). */
  accessKeys: Record<string, Partial<Record<OperationName, number>>>;
}

/** Counts every routed call, before authentication, so rejected calls are visible too. */
export class CallStats {
  private snapshotData: CallStatsSnapshot = { total: 0, operations: {}, accessKeys: {} };

  record(operation: OperationName, accessKeyId: string | undefined): void {
    const s = this.snapshotData;
    s.total += 1;
    s.operations[operation] = (s.operations[operation] ?? 0) + 1;
    const key = accessKeyId ?? 'anonymous';
    const perKey = (s.accessKeys[key] ??= {});
    perKey[operation] = (perKey[operation] ?? 0) + 1;
  }

  snapshot(): CallStatsSnapshot {
    return JSON.parse(JSON.stringify(this.snapshotData)) as CallStatsSnapshot;
  }

  reset(): void {
    this.snapshotData = { total: 0, operations: {}, accessKeys: {} };
  }
}
