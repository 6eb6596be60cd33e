import { randomUUID } from 'node:crypto';
import {
  CLIENT_KINDS,
  GENESIS_HASH,
  OPERATION_TYPES,
  recordHash,
  type AuditEntry,
  type AuditRecord,
} from './audit-record';

/** Where a tenant's chain ends: the last sequence number and its hash (0 and `GENESIS_HASH` when empty). */
export interface ChainHead {
  lastSequence: number;
  lastHash: string;
}

export const EMPTY_HEAD: ChainHead = { lastSequence: 0, lastHash: GENESIS_HASH };

/**
 * Checks one request's entries before anything is written. A malformed entry is a bug in the
 * caller, so it throws a plain Error (masked as internal): the request fails closed instead of
 * committing a record the trail cannot vouch for.
 */
export function checkEntries(entries: readonly AuditEntry[]): string {
  const [first] = entries;
  if (first === undefined) throw new Error('An audit append needs at least one entry');
  const tenantId = first.tenantId;
  for (const entry of entries) {
    if (entry.tenantId !== tenantId) throw new Error('One audit append holds the entries of one tenant');
    if (typeof entry.tenantId !== 'string' || entry.tenantId === '') throw new Error('An audit entry needs a tenantId');
    if (!(entry.occurredAt instanceof Date) || Number.isNaN(entry.occurredAt.getTime()))
      throw new Error('An audit entry needs a valid occurredAt');
    if (!CLIENT_KINDS.includes(entry.clientKind)) throw new Error('An audit entry has an unknown clientKind');
    if (!OPERATION_TYPES.includes(entry.operationType)) throw new Error('An audit entry has an unknown operationType');
    for (const key of ['requestId', 'subject', 'client', 'documentHash', 'action', 'outcome'] as const) {
      if (typeof entry[key] !== 'string' || entry[key] === '') throw new Error(`An audit entry needs a ${key}`);
    }
    for (const key of ['operationName', 'datastoreId', 'imageSetId', 'versionId'] as const) {
      if (entry[key] !== null && typeof entry[key] !== 'string')
        throw new Error(`An audit entry's ${key} is a string or null`);
    }
    for (const key of ['dataCategories', 'upstreamRequestIds'] as const) {
      if (!Array.isArray(entry[key]) || entry[key].some((item) => typeof item !== 'string')) {
        throw new Error(`An audit entry's ${key} is a list of strings`);
      }
    }
  }
  return tenantId;
}

/** The records that continue a chain from `head`, in order, each hashed over its predecessor's hash. */
export function chainEntries(
  head: ChainHead,
  entries: readonly AuditEntry[],
  newId: () => string = randomUUID,
): AuditRecord[] {
  let { lastSequence, lastHash } = head;
  return entries.map((entry) => {
    const unhashed = {
      id: newId(),
      sequence: lastSequence + 1,
      occurredAt: new Date(entry.occurredAt.getTime()),
      requestId: entry.requestId,
      tenantId: entry.tenantId,
      subject: entry.subject,
      client: entry.client,
      clientKind: entry.clientKind,
      operationName: entry.operationName,
      operationType: entry.operationType,
      documentHash: entry.documentHash,
      action: entry.action,
      datastoreId: entry.datastoreId,
      imageSetId: entry.imageSetId,
      versionId: entry.versionId,
      dataCategories: [...entry.dataCategories],
      outcome: entry.outcome,
      upstreamRequestIds: [...entry.upstreamRequestIds],
      prevHash: lastHash,
    };
    const record: AuditRecord = { ...unhashed, hash: recordHash(unhashed) };
    lastSequence = record.sequence;
    lastHash = record.hash;
    return record;
  });
}
