/**
 * Apollo's `formatError` sees the error but not the request. The request-id plugin and the context
 * factory tag errors here (weakly: nothing outlives the error), and `formatError` reads the tag to
 * put the request id on masked errors, where it is the operator's only thread to the log line.
 */
const requestIds = new WeakMap<object, string>();

export function tagErrorWithRequestId(error: unknown, requestId: string): void {
  let current: unknown = error;
  // The GraphQLError Apollo formats may wrap the thrown error (or be wrapped): tag the chain.
  for (let depth = 0; depth < 5 && current !== null && typeof current === 'object'; depth += 1) {
    if (!requestIds.has(current)) requestIds.set(current, requestId);
    current = (current as { originalError?: unknown }).originalError;
  }
}

export function requestIdOfError(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== null && typeof current === 'object'; depth += 1) {
    const id = requestIds.get(current);
    if (id !== undefined) return id;
    current = (current as { originalError?: unknown }).originalError;
  }
  return undefined;
}
