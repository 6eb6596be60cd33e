/**
 * CORS for the GraphQL endpoint: only configured origins may call it from a browser. Credentials
 * travel in headers (bearer token, API key), never cookies, so `Allow-Credentials` is never sent.
 */

export const CORS_ALLOWED_METHODS = 'GET, POST, OPTIONS';
export const CORS_ALLOWED_HEADERS = [
  'authorization',
  'content-type',
  'x-api-key',
  'x-request-id',
  'idempotency-key',
  'apollo-require-preflight',
  'x-apollo-operation-name',
].join(', ');
export const CORS_MAX_AGE_SECONDS = 600;

export type CorsVerdict =
  /** No Origin header: not a browser cross-origin request (curl, servers). */
  { kind: 'not-cross-origin' } | { kind: 'allowed'; headers: Array<[string, string]> } | { kind: 'denied' };

export class CorsPolicy {
  private readonly wildcard: boolean;
  private readonly origins: ReadonlySet<string>;

  constructor(origins: readonly string[]) {
    this.wildcard = origins.includes('*');
    this.origins = new Set(origins.filter((origin) => origin !== '*'));
  }

  /**
   * The verdict for one request. `selfOrigin` is the gateway's own origin as the request reached
   * it: same-origin requests (the landing page's own scripts) need no CORS headers.
   */
  evaluate(request: { origin?: string; selfOrigin?: string; preflight: boolean }): CorsVerdict {
    const { origin } = request;
    if (origin === undefined) return { kind: 'not-cross-origin' };
    if (request.selfOrigin !== undefined && origin === request.selfOrigin) return { kind: 'not-cross-origin' };
    if (!this.wildcard && !this.origins.has(origin)) return { kind: 'denied' };
    const headers: Array<[string, string]> = [
      ['access-control-allow-origin', this.wildcard ? '*' : origin],
      ['vary', 'Origin'],
    ];
    if (request.preflight) {
      headers.push(
        ['access-control-allow-methods', CORS_ALLOWED_METHODS],
        ['access-control-allow-headers', CORS_ALLOWED_HEADERS],
        ['access-control-max-age', String(CORS_MAX_AGE_SECONDS)],
      );
    } else {
      headers.push(['access-control-expose-headers', 'x-request-id, idempotent-replayed, retry-after']);
    }
    return { kind: 'allowed', headers };
  }
}
