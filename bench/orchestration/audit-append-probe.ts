import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { documentHash } from '../../src/audit/audit-record';
import { SqliteAuditStore } from '../../src/audit/sqlite-audit-store';
import { quantileSorted } from '../lib/stats';
import type { AuditAppendProbe } from '../report/result-types';
import { METADATA_DETAIL } from '../workloads/graphql-documents';

/**
 * The trail's own cost, isolated: the gateway's SQLite store in the bench's process, on the same
 * disk as the gateway's trail, appending one entry shaped like (c)'s (a PHI read of one image set)
 * at a time, awaited, with nothing else running. The end-to-end on/off difference is this plus
 * what it does to the rest of the request; this part is free of the shared machine's noise.
 */
export async function probeAuditAppend(dir: string, appends: number): Promise<AuditAppendProbe> {
  const store = new SqliteAuditStore(join(dir, 'append-probe.sqlite'));
  const latencies: number[] = [];
  try {
    const hash = documentHash(METADATA_DETAIL);
    for (let i = 0; i < appends; i++) {
      const started = performance.now();
      await store.append([
        {
          occurredAt: new Date(),
          requestId: `probe-${i}`,
          tenantId: 'bench',
          subject: 'bench-client',
          client: 'bench-client',
          clientKind: 'api-key',
          operationName: 'MetadataDetail',
          operationType: 'query',
          documentHash: hash,
          action: 'read',
          datastoreId: '0123456789abcdef0123456789abcdef',
          imageSetId: 'fedcba9876543210fedcba9876543210',
          versionId: '10',
          dataCategories: ['patient-identity', 'study-identity'],
          outcome: 'OK',
          upstreamRequestIds: ['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002'],
        },
      ]);
      latencies.push(performance.now() - started);
    }
  } finally {
    await store.close();
  }
  const sorted = latencies.sort((a, b) => a - b);
  return {
    appends,
    latencyMs: {
      p50: quantileSorted(sorted, 0.5),
      p99: quantileSorted(sorted, 0.99),
      max: sorted[sorted.length - 1] ?? Number.NaN,
    },
  };
}
