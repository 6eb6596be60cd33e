import type { TenantConfig } from './tenant-config';

/**
 * One long-lived service per tenant, created on first use and reused by every later request, so
 * each tenant keeps a single SDK client (its connection pool and credential cache). Keyed by
 * tenant id: a service is bound to its tenant's credentials and grant, and never handed to another.
 */
export class TenantServices<T> {
  private readonly services = new Map<string, T>();

  constructor(private readonly create: (tenant: TenantConfig) => T) {}

  for(tenant: TenantConfig): T {
    let service = this.services.get(tenant.id);
    if (service === undefined) {
      service = this.create(tenant);
      this.services.set(tenant.id, service);
    }
    return service;
  }

  /** The services created so far, e.g. to close their clients on shutdown. */
  created(): T[] {
    return [...this.services.values()];
  }
}
