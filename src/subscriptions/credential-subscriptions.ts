/**
 * How many subscriptions each credential holds on this replica, against one maximum. Each
 * subscription holds a poller share and a socket, so one credential (a leaked key, a runaway tab
 * loop) cannot hold an unbounded number of them.
 */
export class CredentialSubscriptions {
  private readonly counts = new Map<string, number>();

  constructor(readonly maximum: number) {}

  /** Takes a place for `credential`; undefined when it holds the maximum already. The function gives it back (once). */
  tryEnter(credential: string): (() => void) | undefined {
    const count = this.counts.get(credential) ?? 0;
    if (count >= this.maximum) return undefined;
    this.counts.set(credential, count + 1);
    let left = false;
    return () => {
      if (left) return;
      left = true;
      const remaining = (this.counts.get(credential) ?? 1) - 1;
      if (remaining > 0) this.counts.set(credential, remaining);
      else this.counts.delete(credential);
    };
  }

  held(credential: string): number {
    return this.counts.get(credential) ?? 0;
  }
}
