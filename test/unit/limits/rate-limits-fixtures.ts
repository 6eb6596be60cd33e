import type { Principal } from '../../../src/auth/principal';
import type { TenantConfig } from '../../../src/tenants/tenant-config';
import { createLogger, type Logger } from '../../../src/logging/logger';
import type { RateLimitSettings, TenantRateLimits } from '../../../src/limits/rate-limits-settings';

/** Tenants and principals as the authenticator hands them to the limits (only ids matter there). */
export function tenant(id: string, rateLimits?: TenantRateLimits): TenantConfig {
  return {
    id,
    name: id,
    datastoreIds: [],
    upstream: {
      region: 'us-east-1',
      credentials: { type: 'default' },
      maxConcurrency: 1,
      connectionTimeoutMs: 1,
      requestTimeoutMs: 1,
      maxReadAttempts: 1,
    },
    apiKeys: [],
    ...(rateLimits ? { rateLimits } : {}),
  };
}

export function principal(tenantId: string, subject: string, method: Principal['method'] = 'api-key'): Principal {
  return { tenantId, subject, method, scopes: ['imagesets:read'] };
}

export function settings(
  credential: [number, number],
  tenantLimit: [number, number],
  maxInFlight = 100,
): RateLimitSettings {
  return {
    credential: { perSecond: credential[0], burst: credential[1] },
    tenant: { perSecond: tenantLimit[0], burst: tenantLimit[1] },
    maxInFlight,
  };
}

export function capturingLogger(): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  return {
    lines,
    logger: createLogger({ level: 'debug', write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) }),
  };
}
