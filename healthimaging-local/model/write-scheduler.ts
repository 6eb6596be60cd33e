import type { ModelContext } from './model-context';
import { TimerSet } from './timer-set';
import { completePendingWrite } from './write-completion';

/**
 * Completes accepted writes on timers, outside the request that accepted them. The pending row in
 * the database is the source of truth; a timer lost to a crash is replaced by start-up recovery.
 */
export class WriteScheduler {
  private readonly timers = new TimerSet();

  constructor(
    private readonly ctx: ModelContext,
    private readonly log: (line: string) => void,
  ) {}

  schedule(pendingId: number, delayMs: number): void {
    this.timers.schedule(delayMs, () => this.run(pendingId));
  }

  /** Completes every pending write now (start-up recovery, or `admin.flushWrites()`). */
  flush(): number {
    const pending = this.ctx.store.pendingWrites.all();
    for (const row of pending) this.run(row.id);
    return pending.length;
  }

  close(): void {
    this.timers.close();
  }

  private run(pendingId: number): void {
    if (this.timers.closed && !this.ctx.store.isOpen) return;
    try {
      completePendingWrite(this.ctx, pendingId);
    } catch (err) {
      this.log(`pending write ${pendingId} could not complete (${err instanceof Error ? err.name : 'error'})`);
    }
  }
}
