import { documentHash, type AuditEntry } from '../../../src/audit/audit-record';

/** A plausible entry; tests override what they look at. */
export function entry(tenantId: string, overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    occurredAt: new Date('2026-03-01T10:00:00.000Z'),
    requestId: 'req-1',
    tenantId,
    subject: 'alice@acme.test',
    client: 'viewer-app',
    clientKind: 'jwt',
    operationName: 'Browse',
    operationType: 'query',
    documentHash: documentHash('query Browse { viewer { subject } }'),
    action: 'read',
    datastoreId: 'ds-1',
    imageSetId: 'is-1',
    versionId: '1',
    dataCategories: ['patient-identity'],
    outcome: 'OK',
    upstreamRequestIds: ['up-1', 'up-2'],
    ...overrides,
  };
}
