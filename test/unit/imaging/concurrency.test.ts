import { KeyedQueue } from '../../../src/imaging/writes/keyed-queue';
import { Semaphore } from '../../../src/imaging/upstream/semaphore';

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('Semaphore', () => {
  it('never lets more than its limit run at once and serves waiters in order', async () => {
    const semaphore = new Semaphore(2);
    const gates = [deferred(), deferred(), deferred(), deferred()] as const;
    const started: number[] = [];
    let running = 0;
    let peak = 0;
    const tasks = gates.map((gate, index) =>
      semaphore.run(async () => {
        started.push(index);
        running += 1;
        peak = Math.max(peak, running);
        await gate.promise;
        running -= 1;
      }),
    );
    await flush();
    expect(started).toEqual([0, 1]);
    expect(semaphore.queued).toBe(2);
    gates[1].resolve();
    await flush();
    expect(started).toEqual([0, 1, 2]);
    gates.forEach((gate) => gate.resolve());
    await Promise.all(tasks);
    expect(peak).toBe(2);
    expect(semaphore.inFlight).toBe(0);
  });

  it('releases the slot when a task fails', async () => {
    const semaphore = new Semaphore(1);
    await expect(semaphore.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(semaphore.run(async () => 'next')).resolves.toBe('next');
  });

  it('refuses a limit below one', () => {
    expect(() => new Semaphore(0)).toThrow(RangeError);
  });
});

describe('KeyedQueue', () => {
  it('runs tasks of one key one after another and other keys alongside', async () => {
    const queue = new KeyedQueue();
    const first = deferred();
    const order: string[] = [];
    const a1 = queue.run('set-a', async () => {
      order.push('a1 start');
      await first.promise;
      order.push('a1 end');
    });
    const a2 = queue.run('set-a', async () => {
      order.push('a2');
    });
    const b1 = queue.run('set-b', async () => {
      order.push('b1');
    });
    await flush();
    expect(order).toEqual(['a1 start', 'b1']);
    first.resolve();
    await Promise.all([a1, a2, b1]);
    expect(order).toEqual(['a1 start', 'b1', 'a1 end', 'a2']);
    await flush();
    expect(queue.size).toBe(0);
  });

  it('runs the next task even when the previous one failed', async () => {
    const queue = new KeyedQueue();
    const failed = queue.run('set-a', async () => Promise.reject(new Error('conflict')));
    const next = queue.run('set-a', async () => 'ran');
    await expect(failed).rejects.toThrow('conflict');
    await expect(next).resolves.toBe('ran');
  });
});
