import { AsyncLocalStorage } from 'node:async_hooks';
import type { LogFields } from './logger';

/**
 * The fields of the request being served (request id, tenant, subject, operation name), carried by
 * async context so that every line logged while serving it carries them, whichever logger writes
 * it: the request's child logger, and the gateway-wide ones of the upstream-call log, the error
 * formatter and the authenticator, which no request hands a logger to. Each request gets its own
 * object; `addLogContext` fills it in as the request learns who is calling and what it runs.
 */
const storage = new AsyncLocalStorage<LogFields>();

export function runWithLogContext<T>(fields: LogFields, work: () => T): T {
  return storage.run({ ...fields }, work);
}

/** Adds fields to the current request's context; outside a request it does nothing. */
export function addLogContext(fields: LogFields): void {
  const store = storage.getStore();
  if (!store) return;
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) store[key] = value;
}

export function currentLogContext(): Readonly<LogFields> | undefined {
  return storage.getStore();
}
