import { validation } from './errors';

/**
 * Opaque `nextToken`s: base64url JSON naming the listing they belong to, so a token from one
 * listing (or one search) cannot be replayed against another.
 */
export function encodeToken(scope: string, position: unknown): string {
  return Buffer.from(JSON.stringify({ s: scope, p: position })).toString('base64url');
}

export function decodeToken<T>(scope: string, token: string | undefined): T | undefined {
  if (token === undefined) return undefined;
  if (token.length < 1 || token.length > 8192) throw validation('nextToken must be 1 to 8192 characters');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw validation('Invalid nextToken');
  }
  if (!parsed || typeof parsed !== 'object' || (parsed as { s?: unknown }).s !== scope) {
    throw validation('Invalid nextToken');
  }
  return (parsed as { p: T }).p;
}
