import { createHash } from 'node:crypto';
import { conflict } from '../shapes/errors';
import type { HilStore } from '../store/hil-store';

/**
 * clientToken idempotency: the same token with the same request returns the first response; the
 * same token with a different request is a conflict.
 */
/** The model's `ClientToken` shape (CreateDatastore, StartDICOMImportJob). */
export const CLIENT_TOKEN = { min: 1, max: 64, pattern: /^[A-Za-z0-9._-]+$/ };

export function fingerprint(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

export function replay<T>(store: HilStore, operation: string, token: string, print: string): T | undefined {
  const previous = store.clientTokens.get(operation, token);
  if (!previous) return undefined;
  if (previous.fingerprint !== print) {
    throw conflict('The clientToken was already used with a different request');
  }
  return previous.response as T;
}
