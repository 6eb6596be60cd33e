import type { AuditStore } from '../audit/audit-store';
import type { GatewayMetrics } from './gateway-metrics';

/** The store with each append counted and timed (reads, verification and close pass through). */
export function observedAuditStore(store: AuditStore, metrics: GatewayMetrics): AuditStore {
  return {
    async append(entries) {
      const started = performance.now();
      try {
        const records = await store.append(entries);
        metrics.auditAppended(true, (performance.now() - started) / 1000);
        return records;
      } catch (error) {
        metrics.auditAppended(false, (performance.now() - started) / 1000);
        throw error;
      }
    },
    list: (tenantId, options) => store.list(tenantId, options),
    verify: (tenantId) => store.verify(tenantId),
    close: () => store.close(),
  };
}
