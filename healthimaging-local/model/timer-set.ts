/**
 * Timers an owner cancels all at once when it closes, so that no timer fires into a closed store.
 * Once closed, it schedules nothing more.
 */
export class TimerSet {
  private readonly timers = new Set<NodeJS.Timeout>();
  private closedFlag = false;

  get closed(): boolean {
    return this.closedFlag;
  }

  schedule(delayMs: number, fn: () => void): void {
    if (this.closedFlag) return;
    const timer = setTimeout(
      () => {
        this.timers.delete(timer);
        fn();
      },
      Math.max(0, delayMs),
    );
    this.timers.add(timer);
  }

  close(): void {
    this.closedFlag = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
