import type { TenantApiKey, TenantConfig } from './tenant-config';

export interface ApiKeyEntry {
  tenant: TenantConfig;
  key: TenantApiKey;
  /** The stored SHA-256, as bytes, for `timingSafeEqual`. */
  digest: Buffer;
}

/** The validated tenants, indexed for authentication. Immutable once built. */
export class TenantRegistry {
  private readonly tenants: readonly TenantConfig[];
  private readonly ids = new Map<string, TenantConfig>();
  private readonly issuers = new Map<string, TenantConfig[]>();
  private readonly keyEntries: readonly ApiKeyEntry[];

  /** Callers pass tenants already validated by `parseTenants` (unique ids and key hashes). */
  constructor(tenants: readonly TenantConfig[]) {
    this.tenants = Object.freeze([...tenants]);
    const entries: ApiKeyEntry[] = [];
    for (const tenant of this.tenants) {
      if (this.ids.has(tenant.id)) throw new Error(`duplicate tenant id ${tenant.id}`);
      this.ids.set(tenant.id, tenant);
      if (tenant.jwt) {
        const list = this.issuers.get(tenant.jwt.issuer) ?? [];
        list.push(tenant);
        this.issuers.set(tenant.jwt.issuer, list);
      }
      for (const key of tenant.apiKeys) entries.push({ tenant, key, digest: Buffer.from(key.sha256, 'hex') });
    }
    this.keyEntries = Object.freeze(entries);
  }

  byId(id: string): TenantConfig | undefined {
    return this.ids.get(id);
  }

  all(): readonly TenantConfig[] {
    return this.tenants;
  }

  /** Tenants whose JWT issuer is `issuer` (several only when each names itself in a tenant claim). */
  byIssuer(issuer: string): readonly TenantConfig[] {
    return this.issuers.get(issuer) ?? [];
  }

  /** Plain lookup by lowercase hex hash; authentication itself uses `apiKeys()` for a constant-time scan. */
  byApiKeyHash(sha256Hex: string): { tenant: TenantConfig; key: TenantApiKey } | undefined {
    const wanted = sha256Hex.toLowerCase();
    const entry = this.keyEntries.find((candidate) => candidate.key.sha256 === wanted);
    return entry ? { tenant: entry.tenant, key: entry.key } : undefined;
  }

  /** Every API key of every tenant, for a scan that compares all of them. */
  apiKeys(): readonly ApiKeyEntry[] {
    return this.keyEntries;
  }
}
