import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The abort signal of the request being served (its deadline), carried by async context so every
 * upstream call the request causes, through DataLoader batches and retries, is cancelled with it
 * without threading a parameter through every resolver and port method.
 */
const storage = new AsyncLocalStorage<AbortSignal | undefined>();

export function withRequestSignal<T>(signal: AbortSignal | undefined, work: () => T): T {
  return storage.run(signal, work);
}

export function currentRequestSignal(): AbortSignal | undefined {
  return storage.getStore();
}

/** Rejects with the signal's reason once it aborts; settles like `work` otherwise. */
export function abortable<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
