import { HeaderMap } from '@apollo/server';

/**
 * Request headers from Node's `rawHeaders`, repeated ones joined with ", ". Node's own
 * `req.headers` keeps only the first of some repeated headers (Authorization among them), which
 * would let a second credential pass unseen; joined, two credentials fail verification.
 */
export function headerMapFromRaw(rawHeaders: readonly string[]): HeaderMap {
  const headers = new HeaderMap();
  for (let index = 0; index + 1 < rawHeaders.length; index += 2) {
    const name = (rawHeaders[index] ?? '').toLowerCase();
    const value = rawHeaders[index + 1] ?? '';
    const existing = headers.get(name);
    headers.set(name, existing === undefined ? value : `${existing}, ${value}`);
  }
  return headers;
}
