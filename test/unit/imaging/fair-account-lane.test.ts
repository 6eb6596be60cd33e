import { AccountLane, type LaneEvents, type LaneVerdict } from '../../../src/imaging/upstream/account-budgets';
import type { SharedBucket } from '../../../src/imaging/upstream/shared-bucket';

/**
 * One account's lane with real timers at fast rates: the assertions are about order and outcome,
 * never about how long anything took.
 */

function events(): LaneEvents & { depth: Map<string, number>; failures: number } {
  const depth = new Map<string, number>();
  const recorded = {
    depth,
    failures: 0,
    queued: (flow: string, delta: number) => depth.set(flow, (depth.get(flow) ?? 0) + delta),
    sharedFailed: () => {
      recorded.failures += 1;
    },
    sharedAnswered: () => undefined,
    paceChanged: () => undefined,
  };
  return recorded;
}

function lane(perSecond: number, burst: number, maxWaitMs: number, shared?: SharedBucket) {
  const observed = events();
  return {
    observed,
    lane: new AccountLane({
      limit: { perSecond, burst },
      maxWaitMs,
      ...(shared ? { shared } : {}),
      events: observed,
      clock: Date.now,
    }),
  };
}

describe('AccountLane', () => {
  it('admits a light tenant’s calls among the first while another floods the same account', async () => {
    const { lane: account, observed } = lane(50, 1, 5000);
    const order: string[] = [];
    const admit = (flow: string) =>
      account.admit(flow, 1).then((verdict) => {
        expect(verdict.ok).toBe(true);
        order.push(flow);
      });
    const calls = [...Array.from({ length: 20 }, () => admit('a')), ...Array.from({ length: 3 }, () => admit('b'))];
    await Promise.all(calls);
    expect(order).toHaveLength(23);
    const lastB = order.lastIndexOf('b');
    expect(lastB).toBeLessThan(8);
    expect(observed.depth.get('a')).toBe(0);
    expect(observed.depth.get('b')).toBe(0);
  });

  it('refuses at once, with a hint from the queue, the calls that would wait past the bound', async () => {
    // 2/s: the first goes at once, the next three are due within 1.5 s, the fifth would wait 2 s.
    const { lane: account } = lane(2, 1, 1900);
    const verdicts = await Promise.all(Array.from({ length: 5 }, () => account.admit('a', 1)));
    expect(verdicts.map((verdict) => verdict.ok)).toEqual([true, true, true, true, false]);
    const refused = verdicts[4] as Extract<LaneVerdict, { ok: false }>;
    expect(refused.retryAfterSeconds).toBe(1);
    expect(refused.waitedMs).toBe(0);
  });

  it('lets an aborted request leave the queue at once, and the token go to the next caller', async () => {
    const { lane: account, observed } = lane(5, 1, 5000);
    expect((await account.admit('a', 1)).ok).toBe(true);
    const controller = new AbortController();
    const waiting = account.admit('a', 1, controller.signal);
    const reason = new Error('deadline');
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
    expect(observed.depth.get('a')).toBe(0);
    expect((await account.admit('b', 1)).ok).toBe(true);
    await expect(account.admit('a', 1, controller.signal)).rejects.toBe(reason);
  });

  it('halves its pace once per throttled pace, and earns the configured rate back by successes', async () => {
    const { lane: account } = lane(4, 2, 5000);
    const first = await account.admit('a', 1);
    const second = await account.admit('a', 1);
    if (!first.ok || !second.ok) throw new Error('expected both admitted');
    account.settle(first.epoch, 'throttled');
    // Sent under the old pace: its throttle is the same news, not a second decrease.
    account.settle(second.epoch, 'throttled');
    expect(account.perSecond).toBe(2);
    const third = await account.admit('a', 1);
    if (!third.ok) throw new Error('expected admitted');
    account.settle(third.epoch, 'throttled');
    expect(account.perSecond).toBe(1);
    for (let i = 0; i < 15; i++) account.settle(third.epoch, 'ok');
    expect(account.perSecond).toBe(4);
    account.settle(third.epoch, 'failed');
    expect(account.perSecond).toBe(4);
  });

  it('takes its tokens from the shared bucket, and paces alone while that fails', async () => {
    let granted = 0;
    let failing = false;
    const shared: SharedBucket = {
      take: (count) => {
        if (failing) return Promise.reject(new Error('Redis connection is not ready'));
        // One token per take at most: the window holds the other replicas' calls too.
        granted += 1;
        return Promise.resolve(count > 1 ? { granted: 1, retryAfterMs: 20 } : { granted: 1, retryAfterMs: 0 });
      },
      giveBack: () => undefined,
    };
    const { lane: account, observed } = lane(100, 10, 5000, shared);
    const verdicts = await Promise.all(Array.from({ length: 4 }, () => account.admit('a', 1)));
    expect(verdicts.every((verdict) => verdict.ok)).toBe(true);
    expect(granted).toBe(4);
    failing = true;
    expect((await account.admit('a', 1)).ok).toBe(true);
    expect(observed.failures).toBe(1);
  });
});
