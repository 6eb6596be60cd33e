import { createHmac, timingSafeEqual } from 'node:crypto';
import { BadUserInputError, NotFoundError } from '../errors/gateway-errors';

/**
 * Opaque, signed identifiers: Relay global ids and pagination cursors. Both are
 * `base64url(JSON body) "." base64url(HMAC-SHA256 truncated to 16 bytes)`. The MAC covers the
 * kind, the tenant and (for cursors) the parent list, so an id or cursor minted for one tenant or
 * one list is worthless anywhere else, and a client cannot forge one that points at data its
 * grant would otherwise hide behind a different id.
 *
 * Failures are decided here, once:
 * - a global id that is malformed, tampered or minted for another tenant -> `NotFoundError`,
 *   exactly what a well-formed id of a missing object gives, so `node(id:)` never reveals that an
 *   id exists elsewhere;
 * - a cursor that is malformed, tampered, foreign (tenant), replayed onto another list (parent)
 *   or older than its TTL -> `BadUserInputError('Invalid cursor.')`, since the client sent it.
 */

export const GLOBAL_ID_TYPES = ['Datastore', 'ImageSet', 'ImageSetVersion'] as const;
export type GlobalIdType = (typeof GLOBAL_ID_TYPES)[number];

/** How many parts each type's id has: data store id; + image set id; + version id. */
const PART_COUNTS: Record<GlobalIdType, number> = { Datastore: 1, ImageSet: 2, ImageSetVersion: 3 };

const MAC_BYTES = 16;
const MAC_CHARS = Math.ceil((MAC_BYTES * 4) / 3);
const MAX_PART_LENGTH = 256;
/** Three parts of at most 256 characters, JSON-quoted and base64url-encoded, stay far below this. */
const MAX_GLOBAL_ID_LENGTH = 4096;
/** HealthImaging's `nextToken` is up to 8192 ASCII characters (API reference, NextToken). */
export const MAX_UPSTREAM_TOKEN_LENGTH = 8192;
/**
 * The longest cursor we can mint: a maximal upstream token in which every character needs JSON's
 * six-character `\u00XX` escape, plus the rest of the payload (issue time, skip or offset: well
 * under 256 characters), base64url-encoded, plus the dot and the MAC. Any cursor this gateway
 * issues is accepted back; anything longer is refused before it is decoded or MACed.
 */
export const MAX_CURSOR_LENGTH = Math.ceil(((MAX_UPSTREAM_TOKEN_LENGTH * 6 + 256) * 4) / 3) + 1 + MAC_CHARS;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
/** A cursor issued "in the future" by more than this is not from us (or our clock jumped). */
const MAX_FUTURE_SKEW_SECONDS = 60;

export const INVALID_CURSOR_MESSAGE = 'Invalid cursor.';

export interface SignedIdsOptions {
  /** How long a cursor stays valid after it was issued. Default one hour. */
  cursorTtlSeconds?: number;
}

export interface ParsedGlobalId {
  type: GlobalIdType;
  parts: string[];
}

export class SignedIds {
  private readonly idKey: Buffer;
  private readonly cursorKey: Buffer;
  readonly cursorTtlSeconds: number;

  /** `clock` returns epoch milliseconds (tests move it to expire cursors). */
  constructor(
    secret: string,
    private readonly clock: () => number = Date.now,
    options: SignedIdsOptions = {},
  ) {
    if (typeof secret !== 'string' || secret.length < 32)
      throw new Error('SignedIds needs a secret of at least 32 characters');
    // Separate keys per purpose, so a MAC of one kind can never validate as the other.
    this.idKey = createHmac('sha256', secret).update('healthimaging-gateway/global-id/v1').digest();
    this.cursorKey = createHmac('sha256', secret).update('healthimaging-gateway/cursor/v1').digest();
    this.cursorTtlSeconds = options.cursorTtlSeconds ?? 3600;
    if (!Number.isInteger(this.cursorTtlSeconds) || this.cursorTtlSeconds <= 0)
      throw new Error('cursorTtlSeconds must be a positive integer');
  }

  /** Deterministic: the same object always gets the same id (Relay clients cache by it). */
  globalId(tenantId: string, type: GlobalIdType, parts: readonly string[]): string {
    if (!GLOBAL_ID_TYPES.includes(type)) throw new Error(`Unknown global id type ${String(type)}`);
    if (
      parts.length !== PART_COUNTS[type] ||
      parts.some((part) => typeof part !== 'string' || part === '' || part.length > MAX_PART_LENGTH)
    ) {
      throw new Error(`A ${type} global id needs ${PART_COUNTS[type]} non-empty parts`);
    }
    const body = Buffer.from(JSON.stringify([type, ...parts]), 'utf8').toString('base64url');
    return `${body}.${mac(this.idKey, ['global-id', tenantId, body])}`;
  }

  parseGlobalId(tenantId: string, id: string): ParsedGlobalId {
    const body = verified(this.idKey, id, MAX_GLOBAL_ID_LENGTH, (candidate) => ['global-id', tenantId, candidate]);
    const decoded = body === undefined ? undefined : decodeJson(body);
    if (!Array.isArray(decoded) || decoded.length < 2 || !decoded.every((item) => typeof item === 'string')) {
      throw new NotFoundError();
    }
    const [type = '', ...parts] = decoded;
    if (!(GLOBAL_ID_TYPES as readonly string[]).includes(type) || parts.length !== PART_COUNTS[type as GlobalIdType]) {
      throw new NotFoundError();
    }
    return { type: type as GlobalIdType, parts };
  }

  /**
   * `parent` names the list the cursor belongs to (e.g. `imageSets:<datastoreId>:<criteria hash>`),
   * so a cursor cannot be replayed onto a different list or a different search.
   */
  cursor(tenantId: string, parent: string, payload: Record<string, unknown>): string {
    const issuedAt = Math.floor(this.clock() / 1000);
    const body = Buffer.from(JSON.stringify({ iat: issuedAt, p: payload }), 'utf8').toString('base64url');
    const cursor = `${body}.${mac(this.cursorKey, ['cursor', tenantId, parent, body])}`;
    // A cursor that could not be read back would strand the client on this page: fail loudly instead.
    if (cursor.length > MAX_CURSOR_LENGTH) throw new Error('A cursor payload exceeds the cursor size limit.');
    return cursor;
  }

  parseCursor(tenantId: string, parent: string, cursor: string): Record<string, unknown> {
    const body = verified(this.cursorKey, cursor, MAX_CURSOR_LENGTH, (candidate) => [
      'cursor',
      tenantId,
      parent,
      candidate,
    ]);
    const decoded = body === undefined ? undefined : decodeJson(body);
    if (!isPlainObject(decoded) || typeof decoded.iat !== 'number' || !isPlainObject(decoded.p)) {
      throw new BadUserInputError(INVALID_CURSOR_MESSAGE);
    }
    const now = Math.floor(this.clock() / 1000);
    if (decoded.iat > now + MAX_FUTURE_SKEW_SECONDS || now - decoded.iat > this.cursorTtlSeconds) {
      throw new BadUserInputError(INVALID_CURSOR_MESSAGE);
    }
    return decoded.p;
  }
}

/** Length-prefixed fields: no choice of tenant/parent/body can collide with another split. */
function mac(key: Buffer, fields: readonly string[]): string {
  const hmac = createHmac('sha256', key);
  for (const field of fields) hmac.update(`${Buffer.byteLength(field, 'utf8')}:${field};`, 'utf8');
  return hmac.digest().subarray(0, MAC_BYTES).toString('base64url');
}

/** The body of a `body.mac` token whose MAC verifies (constant-time), or undefined. */
function verified(
  key: Buffer,
  token: unknown,
  maxLength: number,
  fieldsFor: (body: string) => string[],
): string | undefined {
  if (typeof token !== 'string' || token.length > maxLength) return undefined;
  const dot = token.indexOf('.');
  if (dot <= 0 || dot !== token.lastIndexOf('.')) return undefined;
  const body = token.slice(0, dot);
  const presented = token.slice(dot + 1);
  if (!BASE64URL.test(body) || presented.length !== MAC_CHARS || !BASE64URL.test(presented)) return undefined;
  const presentedBytes = Buffer.from(presented, 'base64url');
  // Only the canonical encoding is accepted, so every object has exactly one id string.
  if (presentedBytes.length !== MAC_BYTES || presentedBytes.toString('base64url') !== presented) return undefined;
  const expected = Buffer.from(mac(key, fieldsFor(body)), 'base64url');
  return timingSafeEqual(presentedBytes, expected) ? body : undefined;
}

function decodeJson(body: string): unknown {
  try {
    const bytes = Buffer.from(body, 'base64url');
    if (bytes.toString('base64url') !== body) return undefined;
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
