import { conflict } from '../shapes/errors';
import type { ModelContext } from './model-context';

/**
 * clientToken idempotency (docs/healthimaging-behaviour.md#idempotency): the same token with the
 * same request returns the first answer; the same token with a different request is a 409.
 * `fingerprint` identifies the request; `answer` runs only for a new token, and what it returns
 * is kept as the answer to every repeat. Call inside the transaction that does the work.
 */
export function answerOnce<T>(
  ctx: ModelContext,
  operation: string,
  clientToken: string,
  fingerprint: string,
  answer: (at: number) => T,
): T {
  const previous = ctx.store.clientTokens.get(operation, clientToken);
  if (previous) {
    if (previous.fingerprint !== fingerprint) {
      throw conflict('The clientToken was already used with a different request');
    }
    return previous.response as T;
  }
  const at = ctx.now();
  const result = answer(at);
  ctx.store.clientTokens.put(operation, clientToken, fingerprint, result, at);
  return result;
}
