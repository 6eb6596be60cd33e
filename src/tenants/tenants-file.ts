import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { ConfigError, type EnvSource } from '../config';
import {
  FieldIssues,
  arrayAt,
  checkString,
  objectAt,
  optionalInteger,
  optionalString,
  requiredString,
  type JsonObject,
} from './json-fields';
import { normalizeDocumentId } from '../limits/trusted-documents';
import { RATE_LIMIT_CEILINGS, type BucketLimit, type TenantRateLimits } from '../limits/rate-limits-settings';
import { readJwksFile } from '../auth/jwks-file';
import { SCOPES, type Scope } from '../auth/principal';
import type {
  TenantApiKey,
  TenantConfig,
  TenantCredentials,
  TenantJwtConfig,
  TenantUpstreamConfig,
} from './tenant-config';
import { TenantRegistry } from './tenant-registry';

/**
 * Upstream calls one tenant may have in flight. 50 is the largest page (`first`), so a page's
 * fan-out (one GetImageSet or GetImageSetMetadata per row) completes in one round trip, and it stays
 * within HealthImaging's documented bursts (GetImageSet 50, GetImageSetMetadata 100).
 */
export const DEFAULT_MAX_CONCURRENCY = 50;

export { TenantRegistry } from './tenant-registry';

/**
 * Parses and validates the tenants file into `TenantConfig`s. Every problem is reported with the
 * path of the field that causes it; secrets (static AWS keys, HS256 secrets) are never echoed.
 */

/** Asymmetric algorithms accepted with a JWKS key source. */
export const JWKS_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384', 'EdDSA'] as const;
/** The only algorithm accepted with `hs256Secret`; never mixed with the above (no HS/RS confusion). */
export const HS_ALGORITHMS = ['HS256'] as const;
export const MIN_HS256_SECRET_LENGTH = 32;
/** A token valid for longer than this (from `iat`, or from now when absent) is refused: a leaked token must expire. */
export const DEFAULT_MAX_TOKEN_LIFETIME_SECONDS = 24 * 3600;

const TENANT_ID = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
const DATASTORE_ID = /^[0-9a-z]{32}$/;
const REGION = /^[a-z]{2}(?:-[a-z0-9]+)+-\d+$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
const API_KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;
const SHA256_HEX = /^[0-9a-fA-F]{64}$/;
const CLAIM_NAME = /^[A-Za-z0-9_:./-]{1,128}$/;
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
const QUOTA_ACCOUNT = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Deployment-wide upstream settings (`AWS_REGION`, `HEALTHIMAGING_ENDPOINT`) that apply to every
 * tenant whose `upstream` omits its own `region` / `endpoint`.
 */
export interface UpstreamDefaults {
  region?: string;
  endpoint?: string;
}

export interface ParseTenantsOptions {
  /** Directory against which relative `jwksFile` paths resolve (the tenants file's own directory). */
  baseDir?: string;
  /** Named in the error heading. */
  source?: string;
  upstreamDefaults?: UpstreamDefaults;
  /**
   * Whether `jwt.hs256Secret` is accepted. A shared secret lets whoever holds it mint tokens for
   * the tenant, so production start-up refuses it (`main` passes false there). Default true.
   */
  allowHs256Secret?: boolean;
}

export function loadTenants(
  filePath: string,
  env: EnvSource,
  options: Pick<ParseTenantsOptions, 'upstreamDefaults' | 'allowHs256Secret'> = {},
): TenantRegistry {
  let text: string;
  try {
    text = readFileSync(filePath, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError([`TENANTS_FILE: cannot read ${filePath}${code ? ` (${code})` : ''}`]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // JSON.parse's own message quotes the file's content, which holds secrets: say only where.
    throw new ConfigError([`TENANTS_FILE: ${filePath} is not valid JSON`]);
  }
  return parseTenants(json, env, { ...options, baseDir: dirname(resolve(filePath)), source: filePath });
}

export function parseTenants(json: unknown, env: EnvSource, options: ParseTenantsOptions = {}): TenantRegistry {
  const issues = new FieldIssues();
  const baseDir = options.baseDir ?? process.cwd();
  const defaults = options.upstreamDefaults ?? {};
  const tenants: TenantConfig[] = [];

  const root = objectAt(json, '(root)', issues, ['tenants']);
  const list = root ? arrayAt(root.tenants, 'tenants', issues, { minItems: 1 }) : undefined;
  list?.forEach((entry, index) => {
    const tenant = parseTenant(entry, `tenants[${index}]`, issues, {
      env,
      baseDir,
      defaults,
      allowHs256Secret: options.allowHs256Secret ?? true,
    });
    if (tenant) tenants.push(tenant);
  });

  if (list && issues.list.length === 0) checkAcrossTenants(tenants, issues);
  if (issues.list.length > 0) {
    throw new ConfigError(issues.list, `Invalid tenants file${options.source ? ` ${options.source}` : ''}`);
  }
  return new TenantRegistry(tenants.map(deepFreeze));
}

interface TenantContext {
  env: EnvSource;
  baseDir: string;
  defaults: UpstreamDefaults;
  allowHs256Secret: boolean;
}

function parseTenant(
  value: unknown,
  path: string,
  issues: FieldIssues,
  context: TenantContext,
): TenantConfig | undefined {
  const { env, baseDir, defaults, allowHs256Secret } = context;
  const obj = objectAt(value, path, issues, [
    'id',
    'name',
    'datastoreIds',
    'upstream',
    'jwt',
    'apiKeys',
    'trustedDocuments',
    'rateLimits',
  ]);
  if (!obj) return undefined;
  const before = issues.list.length;

  const id = requiredString(obj, 'id', path, issues, {
    pattern: TENANT_ID,
    patternHint: '1-64 lowercase letters, digits or inner hyphens',
  });
  const name = requiredString(obj, 'name', path, issues, { maxLength: 200 });
  const datastoreIds = parseDatastoreIds(obj.datastoreIds, `${path}.datastoreIds`, issues);
  const upstream =
    obj.upstream === undefined
      ? (issues.add(`${path}.upstream`, 'is required'), undefined)
      : parseUpstream(obj.upstream, `${path}.upstream`, issues, env, defaults);
  const jwt =
    obj.jwt === undefined ? undefined : parseJwt(obj.jwt, `${path}.jwt`, issues, { baseDir, allowHs256Secret });
  const apiKeys = obj.apiKeys === undefined ? [] : parseApiKeys(obj.apiKeys, `${path}.apiKeys`, issues);
  const trustedDocuments = parseTrustedDocuments(obj.trustedDocuments, `${path}.trustedDocuments`, issues);
  const rateLimits =
    obj.rateLimits === undefined ? undefined : parseRateLimits(obj.rateLimits, `${path}.rateLimits`, issues);

  if (
    obj.jwt === undefined &&
    (obj.apiKeys === undefined || (Array.isArray(obj.apiKeys) && obj.apiKeys.length === 0))
  ) {
    issues.add(path, 'needs "jwt" or at least one entry in "apiKeys" (otherwise no caller can reach this tenant)');
  }
  if (issues.list.length > before || !id || !name || !datastoreIds || !upstream) return undefined;
  return {
    id,
    name,
    datastoreIds,
    upstream,
    ...(jwt ? { jwt } : {}),
    apiKeys,
    ...(trustedDocuments ? { trustedDocuments } : {}),
    ...(rateLimits ? { rateLimits } : {}),
  };
}

/** Overrides of RATE_LIMIT_*: each part given replaces the deployment-wide one; a bucket needs both numbers. */
function parseRateLimits(value: unknown, path: string, issues: FieldIssues): TenantRateLimits | undefined {
  const obj = objectAt(value, path, issues, ['credential', 'tenant', 'maxInFlight']);
  if (!obj) return undefined;
  const bucket = (key: 'credential' | 'tenant'): BucketLimit | undefined => {
    if (obj[key] === undefined) return undefined;
    const bucketPath = `${path}.${key}`;
    const fields = objectAt(obj[key], bucketPath, issues, ['perSecond', 'burst']);
    if (!fields) return undefined;
    for (const field of ['perSecond', 'burst'])
      if (fields[field] === undefined) issues.add(`${bucketPath}.${field}`, 'is required');
    const perSecond = optionalInteger(fields, 'perSecond', bucketPath, issues, {
      min: 1,
      max: RATE_LIMIT_CEILINGS.perSecond,
      fallback: 0,
    });
    const burst = optionalInteger(fields, 'burst', bucketPath, issues, {
      min: 1,
      max: RATE_LIMIT_CEILINGS.burst,
      fallback: 0,
    });
    if (perSecond === 0 || burst === 0) return undefined;
    if (burst < perSecond) issues.add(`${bucketPath}.burst`, `must be at least perSecond (${perSecond})`);
    return { perSecond, burst };
  };
  const credential = bucket('credential');
  const tenant = bucket('tenant');
  const maxInFlight =
    obj.maxInFlight === undefined
      ? undefined
      : optionalInteger(obj, 'maxInFlight', path, issues, {
          min: 1,
          max: RATE_LIMIT_CEILINGS.maxInFlight,
          fallback: 1,
        });
  return {
    ...(credential ? { credential } : {}),
    ...(tenant ? { tenant } : {}),
    ...(maxInFlight !== undefined ? { maxInFlight } : {}),
  };
}

/** Document ids (`sha256:<hex>` or `<hex>`, as `npm run trusted-documents -- hash` prints them). */
function parseTrustedDocuments(value: unknown, path: string, issues: FieldIssues): ReadonlySet<string> | undefined {
  if (value === undefined) return undefined;
  const list = arrayAt(value, path, issues, { minItems: 1 });
  if (!list) return undefined;
  const ids = new Set<string>();
  list.forEach((item, index) => {
    const raw = checkString(item, `${path}[${index}]`, issues);
    if (raw === undefined) return;
    const id = normalizeDocumentId(raw);
    if (id === undefined) issues.add(`${path}[${index}]`, 'must be a document id: sha256:<64 hex digits>');
    else ids.add(id);
  });
  return ids;
}

function parseDatastoreIds(value: unknown, path: string, issues: FieldIssues): string[] | undefined {
  if (value === undefined) {
    issues.add(path, 'is required');
    return undefined;
  }
  const list = arrayAt(value, path, issues, { minItems: 1 });
  if (!list) return undefined;
  const ids: string[] = [];
  list.forEach((item, index) => {
    const id = checkString(item, `${path}[${index}]`, issues, {
      pattern: DATASTORE_ID,
      patternHint: 'a data store id of 32 lowercase letters or digits',
    });
    if (id === undefined) return;
    if (ids.includes(id)) issues.add(`${path}[${index}]`, `duplicates data store ${id}`);
    else ids.push(id);
  });
  return ids;
}

function parseUpstream(
  value: unknown,
  path: string,
  issues: FieldIssues,
  env: EnvSource,
  defaults: UpstreamDefaults,
): TenantUpstreamConfig | undefined {
  const obj = objectAt(value, path, issues, [
    'region',
    'endpoint',
    'credentials',
    'maxConcurrency',
    'connectionTimeoutMs',
    'requestTimeoutMs',
    'maxReadAttempts',
    'quotaWeight',
    'quotaAccount',
  ]);
  if (!obj) return undefined;
  let region: string | undefined;
  if (obj.region !== undefined) {
    region = checkString(obj.region, `${path}.region`, issues, {
      pattern: REGION,
      patternHint: 'an AWS region like us-east-1',
    });
  } else if (defaults.region !== undefined) {
    region = defaults.region;
  } else {
    issues.add(`${path}.region`, 'is required (or set AWS_REGION as the region of every tenant that omits it)');
  }
  const ownEndpoint = optionalString(obj, 'endpoint', path, issues);
  if (ownEndpoint !== undefined) checkEndpoint(ownEndpoint, `${path}.endpoint`, issues);
  // HEALTHIMAGING_ENDPOINT (HealthImaging Local, a VPC endpoint) stands in for an omitted endpoint.
  const endpoint = ownEndpoint ?? defaults.endpoint;
  const credentialsPath = `${path}.credentials`;
  const parsed =
    obj.credentials === undefined
      ? (issues.add(credentialsPath, 'is required'), undefined)
      : parseCredentials(obj.credentials, credentialsPath, issues, env);

  const upstream: TenantUpstreamConfig = {
    region: region ?? '',
    ...(endpoint !== undefined ? { endpoint } : {}),
    credentials: parsed?.credentials ?? { type: 'default' },
    ...(parsed?.resolved ? { resolvedStaticCredentials: parsed.resolved } : {}),
    maxConcurrency: optionalInteger(obj, 'maxConcurrency', path, issues, {
      min: 1,
      max: 64,
      fallback: DEFAULT_MAX_CONCURRENCY,
    }),
    connectionTimeoutMs: optionalInteger(obj, 'connectionTimeoutMs', path, issues, {
      min: 1,
      max: 60_000,
      fallback: 2000,
    }),
    requestTimeoutMs: optionalInteger(obj, 'requestTimeoutMs', path, issues, {
      min: 1,
      max: 300_000,
      fallback: 10_000,
    }),
    maxReadAttempts: optionalInteger(obj, 'maxReadAttempts', path, issues, { min: 1, max: 10, fallback: 3 }),
    ...quotaSharingOf(obj, path, issues),
  };
  return region && parsed ? upstream : undefined;
}

/** The tenant's weight in its upstream account's fair queues, and the account's name when set. */
function quotaSharingOf(
  obj: JsonObject,
  path: string,
  issues: FieldIssues,
): Pick<TenantUpstreamConfig, 'quotaWeight' | 'quotaAccount'> {
  const quotaWeight =
    obj.quotaWeight === undefined
      ? undefined
      : optionalInteger(obj, 'quotaWeight', path, issues, { min: 1, max: 1000, fallback: 1 });
  const quotaAccount = optionalString(obj, 'quotaAccount', path, issues, {
    pattern: QUOTA_ACCOUNT,
    patternHint: '1-128 letters, digits or ._:- naming the AWS account (e.g. its id)',
  });
  return {
    ...(quotaWeight !== undefined ? { quotaWeight } : {}),
    ...(quotaAccount !== undefined ? { quotaAccount } : {}),
  };
}

function checkEndpoint(endpoint: string, path: string, issues: FieldIssues): void {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    issues.add(path, `must be an http(s) URL (got ${JSON.stringify(endpoint)})`);
    return;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') issues.add(path, 'must use http or https');
  else if (url.username || url.password) issues.add(path, 'must not contain credentials');
  else if (url.search || url.hash) issues.add(path, 'must not contain a query or fragment');
}

function envValue(env: EnvSource, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value;
}

function parseCredentials(
  value: unknown,
  path: string,
  issues: FieldIssues,
  env: EnvSource,
): { credentials: TenantCredentials; resolved?: TenantUpstreamConfig['resolvedStaticCredentials'] } | undefined {
  const type = (value as { type?: unknown } | null)?.type;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    objectAt(value, path, issues, []);
    return undefined;
  }
  switch (type) {
    case 'default':
      return objectAt(value, path, issues, ['type']) ? { credentials: { type: 'default' } } : undefined;
    case 'static': {
      const obj = objectAt(value, path, issues, ['type', 'accessKeyIdEnv', 'secretAccessKeyEnv', 'sessionTokenEnv'])!;
      const before = issues.list.length;
      const envName = { pattern: ENV_NAME, patternHint: 'an environment variable name' };
      const accessKeyIdEnv = requiredString(obj, 'accessKeyIdEnv', path, issues, envName);
      const secretAccessKeyEnv = requiredString(obj, 'secretAccessKeyEnv', path, issues, envName);
      const sessionTokenEnv = optionalString(obj, 'sessionTokenEnv', path, issues, envName);
      const resolveVar = (field: string, name: string | undefined): string | undefined => {
        if (name === undefined) return undefined;
        const resolved = envValue(env, name);
        if (resolved === undefined) issues.add(`${path}.${field}`, `environment variable ${name} is not set`);
        return resolved;
      };
      const accessKeyId = resolveVar('accessKeyIdEnv', accessKeyIdEnv);
      const secretAccessKey = resolveVar('secretAccessKeyEnv', secretAccessKeyEnv);
      const sessionToken = resolveVar('sessionTokenEnv', sessionTokenEnv);
      if (issues.list.length > before || !accessKeyIdEnv || !secretAccessKeyEnv || !accessKeyId || !secretAccessKey)
        return undefined;
      return {
        credentials: {
          type: 'static',
          accessKeyIdEnv,
          secretAccessKeyEnv,
          ...(sessionTokenEnv ? { sessionTokenEnv } : {}),
        },
        resolved: { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) },
      };
    }
    case 'assumeRole': {
      const obj = objectAt(value, path, issues, ['type', 'roleArn', 'externalId', 'sessionName'])!;
      const before = issues.list.length;
      const roleArn = requiredString(obj, 'roleArn', path, issues, {
        pattern: ROLE_ARN,
        patternHint: 'an IAM role ARN like arn:aws:iam::123456789012:role/name',
      });
      const externalId = optionalString(obj, 'externalId', path, issues, {
        pattern: EXTERNAL_ID,
        patternHint: '2-1224 characters of letters, digits and +=,.@:/-',
        secret: true,
      });
      const sessionName = optionalString(obj, 'sessionName', path, issues, {
        pattern: SESSION_NAME,
        patternHint: '2-64 characters of letters, digits and +=,.@-',
      });
      if (issues.list.length > before || !roleArn) return undefined;
      return {
        credentials: {
          type: 'assumeRole',
          roleArn,
          ...(externalId ? { externalId } : {}),
          ...(sessionName ? { sessionName } : {}),
        },
      };
    }
    default:
      issues.add(`${path}.type`, `must be one of default, static, assumeRole (got ${JSON.stringify(type ?? null)})`);
      return undefined;
  }
}

function checkJwksUrl(value: string, path: string, issues: FieldIssues): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    issues.add(path, `must be a URL (got ${JSON.stringify(value)})`);
    return;
  }
  // Keys fetched over plain HTTP could be swapped in transit; only a loopback identity provider may use it.
  if (url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))) return;
  issues.add(path, 'must be an https URL (http is accepted only for localhost)');
}

function parseJwt(
  value: unknown,
  path: string,
  issues: FieldIssues,
  { baseDir, allowHs256Secret }: { baseDir: string; allowHs256Secret: boolean },
): TenantJwtConfig | undefined {
  const obj = objectAt(value, path, issues, [
    'issuer',
    'audience',
    'jwksUrl',
    'jwksFile',
    'hs256Secret',
    'algorithms',
    'tenantClaim',
    'scopesClaim',
    'maxTokenLifetimeSeconds',
  ]);
  if (!obj) return undefined;
  const before = issues.list.length;
  const maxTokenLifetimeSeconds = optionalInteger(obj, 'maxTokenLifetimeSeconds', path, issues, {
    min: 60,
    max: 30 * 24 * 3600,
    fallback: DEFAULT_MAX_TOKEN_LIFETIME_SECONDS,
  });
  const issuer = requiredString(obj, 'issuer', path, issues, { maxLength: 2048 });
  const audience = requiredString(obj, 'audience', path, issues, { maxLength: 2048 });
  const jwksUrl = optionalString(obj, 'jwksUrl', path, issues);
  const jwksFileRaw = optionalString(obj, 'jwksFile', path, issues);
  const hs256Secret = optionalString(obj, 'hs256Secret', path, issues, {
    minLength: MIN_HS256_SECRET_LENGTH,
    secret: true,
  });
  const tenantClaim = optionalString(obj, 'tenantClaim', path, issues, {
    pattern: CLAIM_NAME,
    patternHint: 'a claim name',
  });
  const scopesClaim =
    optionalString(obj, 'scopesClaim', path, issues, { pattern: CLAIM_NAME, patternHint: 'a claim name' }) ?? 'scope';

  const sources = (['jwksUrl', 'jwksFile', 'hs256Secret'] as const).filter((key) => obj[key] !== undefined);
  if (sources.length !== 1) {
    issues.add(
      path,
      `needs exactly one key source of jwksUrl, jwksFile, hs256Secret (got ${sources.length === 0 ? 'none' : sources.join(', ')})`,
    );
  }
  if (obj.hs256Secret !== undefined && !allowHs256Secret) {
    issues.add(`${path}.hs256Secret`, 'is for development only; in production verify tokens with jwksUrl or jwksFile');
  }
  if (jwksUrl !== undefined) checkJwksUrl(jwksUrl, `${path}.jwksUrl`, issues);
  let jwksFile: string | undefined;
  if (jwksFileRaw !== undefined) {
    jwksFile = isAbsolute(jwksFileRaw) ? jwksFileRaw : resolve(baseDir, jwksFileRaw);
    try {
      readJwksFile(jwksFile);
    } catch (error) {
      issues.add(`${path}.jwksFile`, (error as Error).message);
    }
  }

  const symmetric = obj.hs256Secret !== undefined;
  const algorithms = parseAlgorithms(obj.algorithms, `${path}.algorithms`, issues, symmetric);
  if (issues.list.length > before || !issuer || !audience || !algorithms) return undefined;
  return {
    issuer,
    audience,
    ...(jwksUrl !== undefined ? { jwksUrl } : {}),
    ...(jwksFile !== undefined ? { jwksFile } : {}),
    ...(hs256Secret !== undefined ? { hs256Secret } : {}),
    algorithms,
    ...(tenantClaim !== undefined ? { tenantClaim } : {}),
    scopesClaim,
    maxTokenLifetimeSeconds,
  };
}

function parseAlgorithms(value: unknown, path: string, issues: FieldIssues, symmetric: boolean): string[] | undefined {
  const allowed: readonly string[] = symmetric ? HS_ALGORITHMS : JWKS_ALGORITHMS;
  if (value === undefined) return [...allowed];
  const list = arrayAt(value, path, issues, { minItems: 1 });
  if (!list) return undefined;
  const algorithms: string[] = [];
  list.forEach((item, index) => {
    const alg = checkString(item, `${path}[${index}]`, issues);
    if (alg === undefined) return;
    if (alg.toLowerCase() === 'none') {
      issues.add(`${path}[${index}]`, '"none" is never accepted (unsigned tokens)');
    } else if (!allowed.includes(alg)) {
      issues.add(
        `${path}[${index}]`,
        symmetric
          ? `${JSON.stringify(alg)} is not allowed with hs256Secret (only HS256)`
          : `${JSON.stringify(alg)} is not allowed with a JWKS key source (allowed: ${JWKS_ALGORITHMS.join(', ')})`,
      );
    } else if (!algorithms.includes(alg)) {
      algorithms.push(alg);
    }
  });
  return algorithms;
}

function parseApiKeys(value: unknown, path: string, issues: FieldIssues): TenantApiKey[] {
  const list = arrayAt(value, path, issues);
  if (!list) return [];
  const keys: TenantApiKey[] = [];
  list.forEach((item, index) => {
    const itemPath = `${path}[${index}]`;
    const obj = objectAt(item, itemPath, issues, ['id', 'sha256', 'scopes', 'trustedDocuments']);
    if (!obj) return;
    const id = requiredString(obj, 'id', itemPath, issues, {
      pattern: API_KEY_ID,
      patternHint: '1-64 letters, digits, dots, underscores or hyphens',
    });
    const sha256 = requiredString(obj, 'sha256', itemPath, issues, {
      pattern: SHA256_HEX,
      patternHint: 'the key\'s SHA-256 as 64 hex digits (e.g. `printf %s "$KEY" | sha256sum`)',
    });
    const scopes = parseScopes(obj.scopes, `${itemPath}.scopes`, issues);
    if (id && keys.some((key) => key.id === id)) issues.add(`${itemPath}.id`, `duplicates API key id ${id}`);
    const trustedDocuments = parseTrustedDocuments(obj.trustedDocuments, `${itemPath}.trustedDocuments`, issues);
    if (id && sha256 && scopes)
      keys.push({ id, sha256: sha256.toLowerCase(), scopes, ...(trustedDocuments ? { trustedDocuments } : {}) });
  });
  return keys;
}

function parseScopes(value: unknown, path: string, issues: FieldIssues): Scope[] | undefined {
  if (value === undefined) {
    issues.add(path, 'is required');
    return undefined;
  }
  const list = arrayAt(value, path, issues, { minItems: 1 });
  if (!list) return undefined;
  const scopes: Scope[] = [];
  list.forEach((item, index) => {
    const scope = checkString(item, `${path}[${index}]`, issues);
    if (scope === undefined) return;
    if (!(SCOPES as readonly string[]).includes(scope)) {
      issues.add(`${path}[${index}]`, `unknown scope ${JSON.stringify(scope)} (known: ${SCOPES.join(', ')})`);
    } else if (!scopes.includes(scope as Scope)) {
      scopes.push(scope as Scope);
    }
  });
  return scopes;
}

/** Rules that need every tenant: unique ids, unique key hashes, unambiguous issuers. */
function checkAcrossTenants(tenants: TenantConfig[], issues: FieldIssues): void {
  const ids = new Map<string, number>();
  const hashes = new Map<string, string>();
  const issuers = new Map<string, number[]>();
  tenants.forEach((tenant, index) => {
    const first = ids.get(tenant.id);
    if (first !== undefined)
      issues.add(`tenants[${index}].id`, `duplicates the id of tenants[${first}] (${tenant.id})`);
    else ids.set(tenant.id, index);
    tenant.apiKeys.forEach((key, keyIndex) => {
      const path = `tenants[${index}].apiKeys[${keyIndex}].sha256`;
      const existing = hashes.get(key.sha256);
      if (existing) issues.add(path, `the same key hash is already used by ${existing}`);
      else hashes.set(key.sha256, `tenants[${index}].apiKeys[${keyIndex}]`);
    });
    if (tenant.jwt) issuers.set(tenant.jwt.issuer, [...(issuers.get(tenant.jwt.issuer) ?? []), index]);
  });
  for (const [issuer, indexes] of issuers) {
    if (indexes.length < 2) continue;
    for (const index of indexes) {
      if (!tenants[index]?.jwt?.tenantClaim) {
        issues.add(
          `tenants[${index}].jwt.tenantClaim`,
          `is required because issuer ${JSON.stringify(issuer)} is shared by ${indexes.map((i) => `tenants[${i}]`).join(', ')}`,
        );
      }
    }
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as JsonObject)) deepFreeze(child);
  }
  return value;
}
