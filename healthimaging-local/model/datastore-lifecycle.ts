import type { HilStore } from '../store/hil-store';
import { TimerSet } from './timer-set';

/** CREATING → ACTIVE and DELETING → DELETED, each after the configured delay. */
export class DatastoreLifecycle {
  private readonly timers = new TimerSet();

  constructor(
    private readonly store: HilStore,
    private readonly log: (line: string) => void,
  ) {}

  schedule(datastoreId: string, delayMs: number): void {
    this.timers.schedule(delayMs, () => this.settle(datastoreId));
  }

  /** Re-arms transitions that were under way when the previous process stopped. */
  resume(): void {
    const now = this.store.now();
    for (const ds of this.store.datastores.transitioning()) {
      this.schedule(ds.datastoreId, (ds.transitionDueAt ?? now) - now);
    }
  }

  close(): void {
    this.timers.close();
  }

  private settle(datastoreId: string): void {
    if (!this.store.db.open) return;
    try {
      this.store.tx(() => {
        const ds = this.store.datastores.get(datastoreId);
        if (!ds) return;
        const at = this.store.now();
        if (ds.datastoreStatus === 'CREATING') this.store.datastores.setStatus(datastoreId, 'ACTIVE', at, null);
        if (ds.datastoreStatus === 'DELETING') {
          this.store.datastores.setStatus(datastoreId, 'DELETED', at, null);
          this.store.tags.removeAll(datastoreId);
        }
      });
    } catch (err) {
      this.log(`data store transition failed (${err instanceof Error ? err.name : 'error'})`);
    }
  }
}
