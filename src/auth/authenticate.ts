import { createHash, timingSafeEqual } from 'node:crypto';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeJwt,
  errors as joseErrors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { UnauthenticatedError, UpstreamUnavailableError } from '../errors/gateway-errors';
import { describeError, silentLogger, type Logger } from '../logging/logger';
import { readJwksFile } from './jwks-file';
import { SCOPES, type Principal, type Scope } from './principal';
import type { TenantConfig } from '../tenants/tenant-config';
import type { ApiKeyEntry, TenantRegistry } from '../tenants/tenant-registry';

/**
 * Turns request headers into a `Principal`. No credentials: anonymous (`undefined`). Credentials
 * that do not verify: `UnauthenticatedError` with a deliberately generic message; the precise
 * reason goes to the log only, so a caller cannot probe which check failed.
 */

/** Node's `IncomingHttpHeaders`, or a Map-like (Apollo's `HeaderMap`, fetch `Headers`). */
export type HeaderSource =
  { get(name: string): string | null | undefined } | Record<string, string | string[] | undefined>;

export type Authenticator = (headers: HeaderSource) => Promise<Principal | undefined>;

export interface AuthenticatorOptions {
  /** Allowed clock skew for exp/nbf/iat, seconds. */
  clockToleranceSeconds?: number;
  now?: () => Date;
  logger?: Logger;
  /** Remote JWKS: fetch timeout, and how long fetched keys are trusted before a refresh. */
  jwksTimeoutMs?: number;
  jwksCacheMaxAgeMs?: number;
}

export const INVALID_TOKEN_MESSAGE = 'Invalid or expired token.';
export const INVALID_API_KEY_MESSAGE = 'Invalid API key.';
const BOTH_CREDENTIALS_MESSAGE = 'Send either a bearer token or an API key, not both.';
const REPEATED_CREDENTIAL_MESSAGE = 'Send exactly one Authorization or x-api-key header.';
const IDP_UNAVAILABLE_MESSAGE = 'The identity provider could not be reached; retry later.';

/** Longer values are refused before any parsing or hashing. */
const MAX_TOKEN_LENGTH = 8192;
const MAX_API_KEY_LENGTH = 512;
const BEARER = /^Bearer[ ]+([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)[ ]*$/i;

/** Lowercase hex SHA-256 of an API key: the form stored in the tenants file. */
export function hashApiKey(apiKey: string): string {
  return createHash('sha256').update(apiKey, 'utf8').digest('hex');
}

export function headerValue(headers: HeaderSource, name: string): string | undefined {
  const lower = name.toLowerCase();
  if (typeof (headers as { get?: unknown }).get === 'function') {
    return (headers as { get(name: string): string | null | undefined }).get(lower) ?? undefined;
  }
  const record = headers as Record<string, string | string[] | undefined>;
  const value = record[lower] ?? Object.entries(record).find(([key]) => key.toLowerCase() === lower)?.[1];
  // Repeated credential headers are ambiguous; joining them makes them fail verification.
  return Array.isArray(value) ? value.join(', ') : value;
}

/** Scopes from a claim that is a space-separated string or an array; unknown scopes are dropped. */
export function scopesFromClaim(claim: unknown): Scope[] {
  const raw = typeof claim === 'string' ? claim.split(/\s+/) : Array.isArray(claim) ? claim : [];
  const scopes: Scope[] = [];
  for (const item of raw) {
    if (typeof item === 'string' && (SCOPES as readonly string[]).includes(item) && !scopes.includes(item as Scope)) {
      scopes.push(item as Scope);
    }
  }
  return scopes;
}

type KeySource = { kind: 'secret'; secret: Uint8Array } | { kind: 'jwks'; getKey: JWTVerifyGetKey };

function keySourceFor(tenant: TenantConfig, options: AuthenticatorOptions): KeySource {
  const jwt = tenant.jwt!;
  if (jwt.hs256Secret !== undefined) return { kind: 'secret', secret: new TextEncoder().encode(jwt.hs256Secret) };
  if (jwt.jwksFile !== undefined) return { kind: 'jwks', getKey: createLocalJWKSet(readJwksFile(jwt.jwksFile)) };
  return {
    kind: 'jwks',
    getKey: createRemoteJWKSet(new URL(jwt.jwksUrl!), {
      timeoutDuration: options.jwksTimeoutMs ?? 5000,
      cacheMaxAge: options.jwksCacheMaxAgeMs ?? 10 * 60 * 1000,
      // An unknown `kid` triggers a refetch at most this often, so forged tokens cannot hammer the IdP.
      cooldownDuration: 30_000,
    }),
  };
}

/** The identity provider failed, rather than the token: the caller is not at fault. */
function isKeyFetchFailure(error: unknown): boolean {
  if (!(error instanceof joseErrors.JOSEError)) return true;
  return (
    error instanceof joseErrors.JWKSTimeout ||
    error instanceof joseErrors.JWKSInvalid ||
    error.code === joseErrors.JOSEError.code
  );
}

export function createAuthenticator(registry: TenantRegistry, options: AuthenticatorOptions = {}): Authenticator {
  const logger = options.logger ?? silentLogger;
  const now = options.now ?? (() => new Date());
  const clockTolerance = options.clockToleranceSeconds ?? 5;
  const keys = new Map<string, KeySource>();
  for (const tenant of registry.all()) if (tenant.jwt) keys.set(tenant.id, keySourceFor(tenant, options));
  const apiKeys: readonly ApiKeyEntry[] = registry.apiKeys();

  const reject = (message: string, reason: string, fields: Record<string, unknown> = {}): never => {
    logger.info('auth.rejected', { reason, ...fields });
    throw new UnauthenticatedError(message);
  };

  const tenantForToken = (claims: JWTPayload): TenantConfig => {
    if (typeof claims.iss !== 'string') return reject(INVALID_TOKEN_MESSAGE, 'missing_issuer');
    const candidates = registry.byIssuer(claims.iss);
    const [only] = candidates;
    if (only === undefined) return reject(INVALID_TOKEN_MESSAGE, 'unknown_issuer');
    if (candidates.length === 1) return only;
    // A shared issuer: each tenant names itself in its tenant claim (enforced by the tenants file).
    const tenant = candidates.find((candidate) => claims[candidate.jwt!.tenantClaim!] === candidate.id);
    return tenant ?? reject(INVALID_TOKEN_MESSAGE, 'tenant_claim_mismatch');
  };

  const verifyToken = async (token: string): Promise<Principal> => {
    if (token.length > MAX_TOKEN_LENGTH) return reject(INVALID_TOKEN_MESSAGE, 'token_too_long');
    let unverified: JWTPayload;
    try {
      unverified = decodeJwt(token);
    } catch {
      return reject(INVALID_TOKEN_MESSAGE, 'malformed_token');
    }
    const tenant = tenantForToken(unverified);
    const jwt = tenant.jwt!;
    const key = keys.get(tenant.id)!;
    let payload: JWTPayload;
    try {
      const verifyOptions = {
        issuer: jwt.issuer,
        audience: jwt.audience,
        algorithms: jwt.algorithms,
        requiredClaims: ['exp', 'iss', 'aud', 'sub'],
        clockTolerance,
        currentDate: now(),
      };
      // Two calls rather than a union argument: jose's overloads differ by key type.
      ({ payload } =
        key.kind === 'secret'
          ? await jwtVerify(token, key.secret, verifyOptions)
          : await jwtVerify(token, key.getKey, verifyOptions));
    } catch (error) {
      if (jwt.jwksUrl !== undefined && isKeyFetchFailure(error)) {
        logger.warn('auth.jwks_unavailable', { tenantId: tenant.id, ...describeError(error) });
        throw new UpstreamUnavailableError(IDP_UNAVAILABLE_MESSAGE);
      }
      const code = (error as { code?: unknown }).code;
      return reject(INVALID_TOKEN_MESSAGE, typeof code === 'string' ? code : 'verification_failed', {
        tenantId: tenant.id,
      });
    }
    if (jwt.tenantClaim !== undefined && payload[jwt.tenantClaim] !== tenant.id) {
      return reject(INVALID_TOKEN_MESSAGE, 'tenant_claim_mismatch', { tenantId: tenant.id });
    }
    if (typeof payload.sub !== 'string' || payload.sub === '') {
      return reject(INVALID_TOKEN_MESSAGE, 'invalid_subject', { tenantId: tenant.id });
    }
    // jose checks that exp is in the future, not how far: a token minted for years would outlive
    // any revocation. Without iat, the remaining lifetime is what counts.
    const issuedAt = typeof payload.iat === 'number' ? payload.iat : Math.floor(now().getTime() / 1000);
    if (payload.exp! - issuedAt > jwt.maxTokenLifetimeSeconds + clockTolerance) {
      return reject(INVALID_TOKEN_MESSAGE, 'token_lifetime_too_long', { tenantId: tenant.id });
    }
    return Object.freeze({
      tenantId: tenant.id,
      subject: payload.sub,
      scopes: Object.freeze(scopesFromClaim(payload[jwt.scopesClaim])),
      method: 'jwt' as const,
      ...(typeof payload.azp === 'string' && payload.azp.length <= 256 ? { client: payload.azp } : {}),
    });
  };

  const verifyApiKey = (presented: string): Principal => {
    if (presented.length === 0 || presented.length > MAX_API_KEY_LENGTH)
      return reject(INVALID_API_KEY_MESSAGE, 'api_key_length');
    const digest = createHash('sha256').update(presented, 'utf8').digest();
    // Every stored digest is compared, in constant time each, with no early exit: the time taken
    // does not depend on which key (if any) matched.
    let match: ApiKeyEntry | undefined;
    for (const entry of apiKeys) {
      const equal = timingSafeEqual(digest, entry.digest);
      if (equal) match = entry;
    }
    if (!match) return reject(INVALID_API_KEY_MESSAGE, 'unknown_api_key');
    return Object.freeze({
      tenantId: match.tenant.id,
      subject: match.key.id,
      scopes: Object.freeze([...match.key.scopes]),
      method: 'api-key' as const,
    });
  };

  return async (headers) => {
    const authorization = headerValue(headers, 'authorization');
    const apiKey = headerValue(headers, 'x-api-key');
    if (authorization === undefined && apiKey === undefined) return undefined;
    // The gateway joins repeated headers with ", " (from the raw headers: Node itself keeps only
    // the first Authorization). Neither a JWT nor an API key holds a comma, so a comma means two.
    if (authorization?.includes(',') || apiKey?.includes(','))
      return reject(REPEATED_CREDENTIAL_MESSAGE, 'repeated_credential_header');
    if (authorization !== undefined && apiKey !== undefined)
      return reject(BOTH_CREDENTIALS_MESSAGE, 'both_credentials');
    if (apiKey !== undefined) return verifyApiKey(apiKey);
    const match = BEARER.exec(authorization ?? '');
    const jwt = match?.[1];
    if (jwt === undefined) return reject(INVALID_TOKEN_MESSAGE, 'not_a_bearer_jwt');
    return verifyToken(jwt);
  };
}
