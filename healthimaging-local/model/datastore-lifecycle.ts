import type { ModelContext } from './model-context';
import { TimerSet } from './timer-set';

/** CREATING → ACTIVE and DELETING → DELETED, each after the configured delay. */
export class DatastoreLifecycle {
  private readonly timers = new TimerSet();

  constructor(
    private readonly ctx: ModelContext,
    private readonly log: (line: string) => void,
  ) {}

  schedule(datastoreId: string, delayMs: number): void {
    this.timers.schedule(delayMs, () => this.settle(datastoreId));
  }

  /** Re-arms transitions that were under way when the previous process stopped. */
  resume(): void {
    const now = this.ctx.now();
    for (const ds of this.ctx.store.datastores.transitioning()) {
      this.schedule(ds.datastoreId, (ds.transitionDueAt ?? now) - now);
    }
  }

  close(): void {
    this.timers.close();
  }

  private settle(datastoreId: string): void {
    const { store } = this.ctx;
    if (!store.isOpen) return;
    try {
      store.tx(() => {
        const ds = store.datastores.get(datastoreId);
        if (!ds) return;
        const at = this.ctx.now();
        if (ds.datastoreStatus === 'CREATING') store.datastores.setStatus(datastoreId, 'ACTIVE', at, null);
        if (ds.datastoreStatus === 'DELETING') {
          store.datastores.setStatus(datastoreId, 'DELETED', at, null);
          store.tags.removeAll(datastoreId);
        }
      });
    } catch (err) {
      this.log(`data store transition failed (${err instanceof Error ? err.name : 'error'})`);
    }
  }
}
