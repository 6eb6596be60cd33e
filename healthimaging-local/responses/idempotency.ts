import { createHash } from 'node:crypto';

/** The model's `ClientToken` shape (CreateDatastore, StartDICOMImportJob). */
export const CLIENT_TOKEN = { min: 1, max: 64, pattern: /^[A-Za-z0-9._-]+$/ };

/**
 * What identifies a request for clientToken replays and page token scopes: a digest of its
 * parsed members. The replay rule itself is the model's (model/idempotency.ts).
 */
export function fingerprint(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}
