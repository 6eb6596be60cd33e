import { createHash } from 'node:crypto';

/**
 * The `Idempotency-Key` request header (IETF httpapi "The Idempotency-Key HTTP Header Field"), and
 * what a request is recognised by: the key scoped to the caller, and a fingerprint of the body.
 */

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export const IDEMPOTENT_REPLAYED_HEADER = 'idempotent-replayed';
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

/** Printable ASCII (space to tilde): a UUID, a ULID or any client-made token fits. */
const KEY_PATTERN = new RegExp(`^[\\x20-\\x7e]{1,${MAX_IDEMPOTENCY_KEY_LENGTH}}$`);

export type KeyCheck = { ok: true; key: string } | { ok: false; message: string };

/** The header's value, or why it is refused (the message never quotes it: it is the client's text). */
export function checkIdempotencyKey(value: string): KeyCheck {
  const key = value.trim();
  if (!KEY_PATTERN.test(key)) {
    return {
      ok: false,
      message: `The Idempotency-Key header must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} printable ASCII characters.`,
    };
  }
  return { ok: true, key };
}

/** Whose key it is: the same key sent by another credential or tenant is another record. */
export interface KeyOwner {
  tenantId: string;
  method: string;
  subject: string;
}

/**
 * The record's id: a digest, so that neither the client's key nor the subject (an e-mail address,
 * perhaps) is stored in Redis as a key name or shows in its tooling.
 */
export function recordIdOf(owner: KeyOwner, key: string): string {
  return createHash('sha256')
    .update([owner.tenantId, owner.method, owner.subject, key].join('\u0000'))
    .digest('base64url');
}

/** What makes two requests "the same request": the document, the operation and the variables. */
export interface FingerprintParts {
  query: string;
  operationName?: string | undefined;
  variables: Record<string, unknown>;
}

/**
 * SHA-256 of the request's canonical JSON (object keys sorted at every depth), so a client that
 * serialises the same variables in another key order is still recognised as repeating itself.
 */
export function fingerprintOf(parts: FingerprintParts): string {
  const canonical = canonicalJson({
    query: parts.query,
    operationName: parts.operationName ?? null,
    variables: parts.variables,
  });
  return createHash('sha256').update(canonical).digest('base64url');
}

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value))
    return `[${value.map((item) => canonicalJson(item === undefined ? null : item)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([name, item]) => `${JSON.stringify(name)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
