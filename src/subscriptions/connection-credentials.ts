import { decodeJwt } from 'jose';
import { headerValue } from '../auth/authenticate';
import type { Principal } from '../auth/principal';

/** The names a `connection_init` payload may carry credentials under (any case), as HTTP headers. */
const CREDENTIAL_NAMES = ['authorization', 'x-api-key'] as const;
const BEARER = /^Bearer[ ]+(\S+)/i;

/**
 * The credential headers a `connection_init` payload carries: `{"authorization": "Bearer …"}` or
 * `{"x-api-key": "…"}` at the top level (any case), or under `headers` (some clients nest them).
 * A credential given twice is joined as a repeated header is, which authentication refuses.
 */
export function credentialHeadersOf(payload: Readonly<Record<string, unknown>> | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  const sources = [payload, isRecord(payload?.headers) ? payload.headers : undefined];
  for (const source of sources) {
    if (!source) continue;
    for (const [name, value] of Object.entries(source)) {
      const lower = name.toLowerCase();
      if (!(CREDENTIAL_NAMES as readonly string[]).includes(lower) || typeof value !== 'string') continue;
      headers[lower] = headers[lower] === undefined ? value : `${headers[lower]}, ${value}`;
    }
  }
  return headers;
}

/** When a verified JWT credential expires (epoch ms); undefined for API keys. */
export function credentialExpiresAt(principal: Principal, headers: Record<string, string>): number | undefined {
  if (principal.method !== 'jwt') return undefined;
  const token = BEARER.exec(headerValue(headers, 'authorization') ?? '')?.[1];
  if (token === undefined) return undefined;
  // Already verified by authentication: only its expiry is read here.
  const { exp } = decodeJwt(token);
  return typeof exp === 'number' ? exp * 1000 : undefined;
}

/** One key per credential, as the rate limits count them: a tenant's API key, or a JWT subject. */
export function credentialKey(principal: Principal): string {
  return `${principal.tenantId}\u0000${principal.method}\u0000${principal.subject}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
