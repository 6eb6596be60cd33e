/**
 * Deficit round robin over flows of unit-cost items (one flow per tenant, one item per upstream
 * call waiting for a token of its account), with the new-flows list of FQ-CoDel's scheduler
 * (RFC 8290): a flow that had nothing queued is served before the backlogged ones, once, then joins
 * the end of their round.
 *
 * Each visit of the round adds the flow's weight to its deficit and serves items while the deficit
 * is positive, so flows that stay backlogged are served in proportion to their weights whatever
 * the others send. The new-flows list is what keeps a light tenant's occasional write from waiting
 * a whole round behind every backlogged tenant: with a few tenants backlogged on a 0.25/s quota a
 * round lasts longer than the wait bound, and a light tenant put at the end of it would be refused
 * every time. A flow served from the new list keeps its place in the round even when it empties
 * (it is removed when the round next finds it empty), so a tenant cannot stay "new" by sending
 * one call at a time; its next call waits its turn.
 *
 * Pure: no timers, no I/O. The account's budget (account-budgets.ts) decides when an item may go,
 * this decides which.
 */

interface Flow<T> {
  readonly id: string;
  weight: number;
  deficit: number;
  readonly items: T[];
  list: 'fresh' | 'old';
}

export interface Dequeued<T> {
  flow: string;
  item: T;
}

export class FairQueue<T> {
  /** Flows in a list (with items, or an old placeholder not yet visited empty). */
  private readonly flows = new Map<string, Flow<T>>();
  private readonly fresh: Array<Flow<T>> = [];
  private readonly old: Array<Flow<T>> = [];
  private count = 0;

  /** Items waiting across all flows. */
  get size(): number {
    return this.count;
  }

  /** Items waiting in one flow. */
  depth(flow: string): number {
    return this.flows.get(flow)?.items.length ?? 0;
  }

  /** Queues `item` at the end of `flow`; `weight` (> 0) is the flow's share from now on. */
  push(flow: string, item: T, weight = 1): void {
    const share = positive(weight);
    let state = this.flows.get(flow);
    if (!state) {
      state = { id: flow, weight: share, deficit: share, items: [], list: 'fresh' };
      this.flows.set(flow, state);
      this.fresh.push(state);
    }
    state.weight = share;
    state.items.push(item);
    this.count += 1;
  }

  /** Takes `item` out wherever it waits (its caller gave up); false when it is not queued. */
  remove(flow: string, item: T): boolean {
    const state = this.flows.get(flow);
    if (!state) return false;
    const index = state.items.indexOf(item);
    if (index < 0) return false;
    state.items.splice(index, 1);
    this.count -= 1;
    // A fresh flow left empty never received service: it leaves without a place in the round.
    if (state.items.length === 0 && state.list === 'fresh') this.drop(state, this.fresh);
    return true;
  }

  /** The next item, or undefined when nothing waits. */
  next(): Dequeued<T> | undefined {
    while (this.count > 0) {
      const list = this.fresh.length > 0 ? this.fresh : this.old;
      const flow = list[0];
      if (flow === undefined) return undefined;
      if (flow.deficit <= 0) {
        flow.deficit += flow.weight;
        this.moveToOld(flow, list);
        continue;
      }
      const item = flow.items.shift();
      if (item === undefined) {
        // Empty: a flow served as new keeps a place in the round; an old one leaves it.
        if (list === this.fresh && this.old.length > 0) this.moveToOld(flow, list);
        else this.drop(flow, list);
        continue;
      }
      flow.deficit -= 1;
      this.count -= 1;
      return { flow: flow.id, item };
    }
    this.forgetPlaceholders();
    return undefined;
  }

  /**
   * How many items would be served before a new item of `flow` and including it, if nothing else
   * arrived: a flow with no place yet goes after what the new flows have left of their shares; one in the round needs
   * `rounds` visits, in which every other flow is served its weight per visit, or what it holds if
   * less. An estimate for the wait bound and retry hints (deficits within a visit are ignored).
   */
  ahead(flow: string, weight = 1): number {
    const own = this.flows.get(flow);
    if (!own) {
      const shares = this.fresh.map((other) => Math.min(other.items.length, Math.max(0, Math.ceil(other.deficit))));
      return 1 + shares.reduce((sum, share) => sum + share, 0);
    }
    const mine = own.items.length + 1;
    const rounds = Math.ceil(mine / positive(weight));
    let total = mine;
    for (const other of this.flows.values()) {
      if (other !== own) total += Math.min(other.items.length, Math.ceil(rounds * other.weight));
    }
    return total;
  }

  private moveToOld(flow: Flow<T>, from: Array<Flow<T>>): void {
    from.shift();
    flow.list = 'old';
    this.old.push(flow);
  }

  private drop(flow: Flow<T>, from: Array<Flow<T>>): void {
    const index = from.indexOf(flow);
    if (index >= 0) from.splice(index, 1);
    this.flows.delete(flow.id);
  }

  /** With nothing queued the round is over: empty placeholders would only hold memory. */
  private forgetPlaceholders(): void {
    this.fresh.length = 0;
    this.old.length = 0;
    this.flows.clear();
  }
}

function positive(weight: number): number {
  return Number.isFinite(weight) && weight > 0 ? weight : 1;
}
