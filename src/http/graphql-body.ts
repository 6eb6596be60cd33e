import type { IncomingMessage } from 'node:http';
import type { JsonError } from './json-responses';
import { BodyTooLargeError, isJsonContentType, readBody } from './request-body';

export type BodyResult = { ok: true; body: unknown } | { ok: false; error: JsonError; closeConnection?: boolean };

/**
 * The body of a GraphQL request: JSON when it says so (parsed here, so a bad body is refused
 * before any credential or document work), text otherwise (Apollo answers that with its own error).
 */
export async function readGraphQLBody(
  request: IncomingMessage,
  method: string,
  limitBytes: number,
): Promise<BodyResult> {
  if (method !== 'POST') return { ok: true, body: undefined };
  let bytes: Buffer;
  try {
    bytes = await readBody(request, limitBytes);
  } catch (error) {
    if (!(error instanceof BodyTooLargeError)) throw error;
    return {
      ok: false,
      closeConnection: true,
      error: { status: 413, code: 'BAD_REQUEST', message: `The request body exceeds ${limitBytes} bytes.` },
    };
  }
  if (!isJsonContentType(request.headers['content-type'])) return { ok: true, body: bytes.toString('utf8') };
  try {
    return { ok: true, body: bytes.length === 0 ? undefined : JSON.parse(bytes.toString('utf8')) };
  } catch {
    return { ok: false, error: { status: 400, code: 'BAD_REQUEST', message: 'The request body is not valid JSON.' } };
  }
}

/** Apollo's own test for serving the landing page rather than running a query. */
export function prefersHtml(accept: string | undefined): boolean {
  if (!accept) return false;
  const types = accept.split(',').map((part) => (part.split(';')[0] ?? '').trim());
  return types.includes('text/html');
}

/** A request that named its document by id only runs the text the gate resolved. */
export function withAdmittedQuery(request: { method: string; search: string; body: unknown }, query: string): void {
  if (request.method === 'GET') {
    const search = new URLSearchParams(request.search);
    if (search.get('query') === null) {
      search.set('query', query);
      request.search = `?${search.toString()}`;
    }
  } else if (
    typeof request.body === 'object' &&
    request.body !== null &&
    (request.body as { query?: unknown }).query === undefined
  ) {
    request.body = { ...(request.body as Record<string, unknown>), query };
  }
}
