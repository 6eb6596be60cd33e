/**
 * The request rate limits' shape and defaults. Deployment-wide values come from the environment
 * (`loadConfig`); a tenant may override any of them in the tenants file (`rateLimits`).
 */

/** A token bucket: `perSecond` sustained, up to `burst` at once (`burst >= perSecond`). */
export interface BucketLimit {
  readonly perSecond: number;
  readonly burst: number;
}

export interface RateLimitSettings {
  /** Each credential (one API key, or one JWT subject) of a tenant. */
  readonly credential: BucketLimit;
  /** All credentials of a tenant together. */
  readonly tenant: BucketLimit;
  /** Requests of one tenant this replica runs at once. */
  readonly maxInFlight: number;
}

/** A tenant's overrides: each part it sets replaces the deployment-wide one. */
export type TenantRateLimits = Partial<RateLimitSettings>;

/**
 * Sized for one hospital's frontend: a viewer opening a study sends a few dozen requests at once,
 * a worklist polls; 50/s per credential with a burst of 100 serves both, and the tenant's limit
 * leaves room for several such frontends (and a batch client) side by side.
 */
export const DEFAULT_RATE_LIMITS: RateLimitSettings = Object.freeze({
  credential: Object.freeze({ perSecond: 50, burst: 100 }),
  tenant: Object.freeze({ perSecond: 200, burst: 400 }),
  maxInFlight: 100,
});

/** Beyond these a limit protects nothing; they also keep a typo (an extra zero or three) visible. */
export const RATE_LIMIT_CEILINGS = Object.freeze({ perSecond: 100_000, burst: 1_000_000, maxInFlight: 100_000 });

export const RATE_LIMIT_VARIABLES = Object.freeze({
  credentialPerSecond: 'RATE_LIMIT_CREDENTIAL_PER_SECOND',
  credentialBurst: 'RATE_LIMIT_CREDENTIAL_BURST',
  tenantPerSecond: 'RATE_LIMIT_TENANT_PER_SECOND',
  tenantBurst: 'RATE_LIMIT_TENANT_BURST',
  maxInFlight: 'RATE_LIMIT_TENANT_MAX_IN_FLIGHT',
});

/** The settings that apply to a tenant: its overrides over the deployment-wide values. */
export function rateLimitsFor(defaults: RateLimitSettings, overrides: TenantRateLimits | undefined): RateLimitSettings {
  if (!overrides) return defaults;
  return {
    credential: overrides.credential ?? defaults.credential,
    tenant: overrides.tenant ?? defaults.tenant,
    maxInFlight: overrides.maxInFlight ?? defaults.maxInFlight,
  };
}
