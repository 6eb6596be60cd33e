import type { TenantRateLimits } from '../limits/rate-limits-settings';
import type { Scope } from '../auth/principal';

/**
 * The validated shape of one tenant in the tenants file. `src/tenants/tenants-file.ts` parses and
 * validates the file into these; everything else reads only these types.
 */

/** How the tenant's SDK client gets AWS credentials. Secrets are never in the file itself. */
export type TenantCredentials =
  | { type: 'default' }
  | { type: 'static'; accessKeyIdEnv: string; secretAccessKeyEnv: string; sessionTokenEnv?: string }
  | { type: 'assumeRole'; roleArn: string; externalId?: string; sessionName?: string };

export interface TenantUpstreamConfig {
  /** The tenant's own `region`, else AWS_REGION. */
  region: string;
  /**
   * The tenant's own `endpoint`, else HEALTHIMAGING_ENDPOINT; unset means the public AWS endpoint of
   * the region. Set for HealthImaging Local or a VPC endpoint; the client then disables the
   * `runtime-` host prefix.
   */
  endpoint?: string;
  credentials: TenantCredentials;
  /** The secret values of `static` credentials, resolved from the named variables at load time. */
  resolvedStaticCredentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Most upstream calls this tenant has in flight at once, across all its requests. */
  maxConcurrency: number;
  connectionTimeoutMs: number;
  requestTimeoutMs: number;
  /** Attempts for reads (throttling and 5xx are retried); writes retry only on throttling. */
  maxReadAttempts: number;
  /**
   * This tenant's share of its upstream account's quotas against the other tenants of that account
   * (its weight in the account's fair queues; 1 when unset). See src/imaging/upstream/upstream-admission.ts.
   */
  quotaWeight?: number;
  /** Names the upstream account for quota sharing when the credentials cannot tell (static keys of one account). */
  quotaAccount?: string;
}

export interface TenantJwtConfig {
  issuer: string;
  audience: string;
  /** Exactly one key source. `hs256Secret` is for development only (refused in production). */
  jwksUrl?: string;
  jwksFile?: string;
  hs256Secret?: string;
  /** Allowed `alg` values; never `none`, never HS with an asymmetric key source. */
  algorithms: string[];
  /** Claim naming the tenant (checked against this tenant's id when set). */
  tenantClaim?: string;
  /** Claim holding the scopes: a space-separated string or an array. */
  scopesClaim: string;
  /** Longest accepted lifetime: `exp - iat` (or `exp - now` without `iat`). */
  maxTokenLifetimeSeconds: number;
}

export interface TenantApiKey {
  id: string;
  /** Lowercase hex SHA-256 of the key. */
  sha256: string;
  scopes: Scope[];
  /** When set, this key runs only these documents (SHA-256 hex ids); it replaces the tenant's list. */
  trustedDocuments?: ReadonlySet<string>;
}

export interface TenantConfig {
  id: string;
  name: string;
  datastoreIds: string[];
  upstream: TenantUpstreamConfig;
  jwt?: TenantJwtConfig;
  apiKeys: TenantApiKey[];
  /** When set, callers of this tenant run only these documents (SHA-256 hex ids). */
  trustedDocuments?: ReadonlySet<string>;
  /** This tenant's request rate limits, where they differ from the deployment-wide RATE_LIMIT_* values. */
  rateLimits?: TenantRateLimits;
}
