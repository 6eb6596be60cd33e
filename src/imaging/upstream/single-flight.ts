import { abortable, currentRequestSignal, withRequestSignal } from './request-signal';

/**
 * Shares one in-flight call among identical concurrent callers, and keeps nothing once it
 * settles: it coalesces, it does not cache. Used for what is immutable upstream (a given version's
 * metadata document), where concurrent requests would otherwise each download and decode the same
 * bytes and hold a private copy (a 2,000-instance document is tens of MB once parsed).
 */
export class SingleFlight<V> {
  private readonly inFlight = new Map<string, Promise<V>>();

  run(key: string, work: () => Promise<V>): Promise<V> {
    const mine = currentRequestSignal();
    const existing = this.inFlight.get(key);
    if (existing !== undefined) return abortable(existing, mine);
    // The shared call belongs to no one request: it runs outside the starter's deadline (bounded
    // by the per-call deadline), and each caller stops waiting at its own.
    const shared = withRequestSignal(undefined, work).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, shared);
    return abortable(shared, mine);
  }

  /** Calls in flight now (for tests). */
  get size(): number {
    return this.inFlight.size;
  }
}
