import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { validation } from '../shapes/errors';

/**
 * `nextToken`s only this server can issue. A token is `base64url(payload).base64url(mac)`, the
 * MAC an HMAC-SHA256 over the scope (operation plus every parameter that shapes the listing:
 * data store, image set, status filter, search criteria) and the payload, so a token cannot be
 * forged, edited, or replayed against another listing; the payload carries an expiry. Anything
 * else is refused with ValidationException, as AWS refuses a token it did not issue.
 */
export const TOKEN_TTL_MS = 24 * 60 * 60_000;
const MAX_TOKEN_CHARS = 8192;
export const KEY_FILE = 'page-token.key';

interface Payload {
  p: unknown;
  e: number;
}

export class PageTokens {
  constructor(
    private readonly key: Buffer,
    private readonly now: () => number = Date.now,
    private readonly ttlMs = TOKEN_TTL_MS,
  ) {}

  /**
   * The key of a data folder, created on first use: tokens stay valid across restarts, like the
   * listings they point into. Read and written only while the folder's lock is held.
   */
  static forDataDir(dataDir: string): PageTokens {
    const path = join(dataDir, KEY_FILE);
    let key: Buffer;
    try {
      key = Buffer.from(readFileSync(path, 'utf8').trim(), 'hex');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      key = Buffer.alloc(0);
    }
    if (key.length !== 32) {
      key = randomBytes(32);
      writeFileSync(path, `${key.toString('hex')}\n`, { mode: 0o600 });
      chmodSync(path, 0o600);
    }
    return new PageTokens(key);
  }

  /** A key for this process only (in-memory mode: the listings do not outlive it either). */
  static ephemeral(): PageTokens {
    return new PageTokens(randomBytes(32));
  }

  issue(scope: string, position: unknown): string {
    const payload = Buffer.from(JSON.stringify({ p: position, e: this.now() + this.ttlMs } satisfies Payload)).toString(
      'base64url',
    );
    return `${payload}.${this.mac(scope, payload)}`;
  }

  /**
   * The position a token carries, or undefined without a token. `isPosition` checks its shape:
   * the MAC proves the server wrote it, the check keeps a key leak from becoming a crash.
   */
  open<T>(scope: string, token: string | undefined, isPosition: (p: unknown) => p is T): T | undefined {
    if (token === undefined) return undefined;
    if (token.length < 1 || token.length > MAX_TOKEN_CHARS) {
      throw validation(`nextToken must be 1 to ${MAX_TOKEN_CHARS} characters`);
    }
    const dot = token.indexOf('.');
    const payload = dot === -1 ? '' : token.slice(0, dot);
    // Compared as text: decoding first would let the spare bits of the last base64 character vary.
    const given = Buffer.from(dot === -1 ? '' : token.slice(dot + 1));
    const expected = Buffer.from(this.mac(scope, payload));
    if (!payload || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw validation('Invalid nextToken: not issued for this request');
    }
    const parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Payload;
    if (typeof parsed.e !== 'number' || parsed.e <= this.now())
      throw validation('Invalid nextToken: the token has expired');
    if (!isPosition(parsed.p)) throw validation('Invalid nextToken');
    return parsed.p;
  }

  private mac(scope: string, payload: string): string {
    return createHmac('sha256', this.key).update(scope).update('\n').update(payload).digest('base64url');
  }
}

export const isOffset = (p: unknown): p is number => Number.isSafeInteger(p) && (p as number) >= 0;
export const isVersion = (p: unknown): p is number => Number.isSafeInteger(p) && (p as number) >= 1;
