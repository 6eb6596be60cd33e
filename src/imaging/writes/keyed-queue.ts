/**
 * Runs tasks one after another per key, in submission order; different keys run independently.
 * Writes to one image set go through it: HealthImaging locks the set during each write (a second
 * write meanwhile is a ConflictException) and allows about 0.25 writes per second.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** Keys with queued or running work (for tests and metrics). */
  get size(): number {
    return this.tails.size;
  }

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    // A failed predecessor must not fail its successors: wait for it to settle, either way.
    const result = previous.then(
      () => task(),
      () => task(),
    );
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
