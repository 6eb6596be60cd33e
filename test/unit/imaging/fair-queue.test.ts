import { FairQueue } from '../../../src/imaging/upstream/fair-queue';

/** Dequeues everything, returning the flows in service order. */
function drain(queue: FairQueue<string>): string[] {
  const order: string[] = [];
  for (let next = queue.next(); next; next = queue.next()) order.push(next.flow);
  return order;
}

function fill(queue: FairQueue<string>, flow: string, count: number, weight = 1): void {
  for (let i = 0; i < count; i++) queue.push(flow, `${flow}${i}`, weight);
}

describe('FairQueue (deficit round robin with a new-flows list)', () => {
  it('alternates two backlogged tenants of equal weight, whatever each one queued', () => {
    const queue = new FairQueue<string>();
    fill(queue, 'a', 10);
    fill(queue, 'b', 3);
    expect(drain(queue)).toEqual(['a', 'b', 'a', 'b', 'a', 'b', 'a', 'a', 'a', 'a', 'a', 'a', 'a']);
  });

  it('serves backlogged tenants in proportion to their weights', () => {
    const queue = new FairQueue<string>();
    fill(queue, 'a', 12, 3);
    fill(queue, 'b', 12, 1);
    const first16 = drain(queue).slice(0, 16);
    expect(first16.filter((flow) => flow === 'a')).toHaveLength(12);
    expect(first16.filter((flow) => flow === 'b')).toHaveLength(4);
  });

  it('keeps each tenant’s own items in arrival order', () => {
    const queue = new FairQueue<string>();
    fill(queue, 'a', 3);
    fill(queue, 'b', 3);
    const items: string[] = [];
    for (let next = queue.next(); next; next = queue.next()) items.push(next.item);
    expect(items.filter((item) => item.startsWith('a'))).toEqual(['a0', 'a1', 'a2']);
    expect(items.filter((item) => item.startsWith('b'))).toEqual(['b0', 'b1', 'b2']);
  });

  it('serves a tenant that had nothing queued before the backlogged ones, once', () => {
    const queue = new FairQueue<string>();
    fill(queue, 'a', 5);
    fill(queue, 'c', 5);
    expect(drain4(queue)).toEqual(['a', 'c', 'a', 'c']);
    queue.push('b', 'b0');
    queue.push('b', 'b1');
    const order = drain(queue);
    // b's first call goes next; its second waits its turn in the round, behind a backlogged one.
    expect(order[0]).toBe('b');
    expect(order[1]).not.toBe('b');
    expect(order.filter((flow) => flow === 'b')).toHaveLength(2);
  });

  it('does not let a tenant that sends one call at a time stay new and take every token', () => {
    const queue = new FairQueue<string>();
    fill(queue, 'a', 10);
    const served: string[] = [];
    for (let i = 0; i < 8; i++) {
      // b sends its next call as soon as the previous one left the queue.
      if (queue.depth('b') === 0) queue.push('b', `b${i}`);
      served.push(queue.next()!.flow);
    }
    expect(served.filter((flow) => flow === 'b').length).toBeLessThanOrEqual(4);
    expect(served.filter((flow) => flow === 'a').length).toBeGreaterThanOrEqual(4);
  });

  it('never serves a removed item, and a tenant whose only call left is forgotten', () => {
    const queue = new FairQueue<string>();
    queue.push('a', 'a0');
    queue.push('b', 'b0');
    queue.push('b', 'b1');
    expect(queue.remove('a', 'a0')).toBe(true);
    expect(queue.remove('a', 'a0')).toBe(false);
    expect(queue.size).toBe(2);
    expect(queue.depth('a')).toBe(0);
    expect(drain(queue)).toEqual(['b', 'b']);
    expect(queue.next()).toBeUndefined();
  });

  it('estimates how many calls go before a new one of each tenant', () => {
    const queue = new FairQueue<string>();
    fill(queue, 'a', 9);
    // A tenant with nothing queued goes after the new flows' first shares (a is still new here).
    expect(queue.ahead('b')).toBe(2);
    // a's tenth call goes after its nine.
    expect(queue.ahead('a')).toBe(10);
    queue.next();
    fill(queue, 'c', 2);
    // a used its new share; c is new: b would follow c's first call.
    expect(queue.ahead('b')).toBe(2);
    // a's ninth call needs nine visits; c is served its two meanwhile.
    expect(queue.ahead('a')).toBe(9 + 2);
    // With weight 3, a needs three visits for its next three calls: c's two fit in them.
    expect(queue.ahead('a', 3)).toBe(9 + 2);
  });
});

function drain4(queue: FairQueue<string>): string[] {
  return [0, 1, 2, 3].map(() => queue.next()!.flow);
}
