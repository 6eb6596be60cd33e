import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The abort signal of the request being served (its deadline), carried by async context so every
 * upstream call the request causes, through DataLoader batches and retries, is cancelled with it
 * without threading a parameter through every resolver and port method.
 */
interface RequestScope {
  signal: AbortSignal | undefined;
  /** HealthImaging request ids of the calls made for the request (its audit record names them). */
  upstreamRequestIds: string[] | undefined;
}

const storage = new AsyncLocalStorage<RequestScope>();
/** More ids than this in one request are not worth an audit record's space. */
const MAX_NOTED_REQUEST_IDS = 100;

export function withRequestSignal<T>(signal: AbortSignal | undefined, work: () => T, upstreamRequestIds?: string[]): T {
  return storage.run({ signal, upstreamRequestIds }, work);
}

export function currentRequestSignal(): AbortSignal | undefined {
  return storage.getStore()?.signal;
}

/**
 * The signal of the one SDK send running (client-factory.ts): the SDK reuses its resolved
 * middleware only for sends without per-call options, so the signal travels to the HTTP handler
 * by async context instead of as an option.
 */
const callSignals = new AsyncLocalStorage<AbortSignal>();

export function withCallSignal<T>(signal: AbortSignal, send: () => T): T {
  return callSignals.run(signal, send);
}

export function currentCallSignal(): AbortSignal | undefined {
  return callSignals.getStore();
}

export function noteUpstreamRequestId(requestId: string): void {
  const ids = storage.getStore()?.upstreamRequestIds;
  if (ids && ids.length < MAX_NOTED_REQUEST_IDS) ids.push(requestId);
}

/** Rejects with the signal's reason once it aborts; settles like `work` otherwise. */
export function abortable<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: Error) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
