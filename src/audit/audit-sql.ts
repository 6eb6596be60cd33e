import type { AuditRecord } from './audit-record';
import type { AuditFilter } from './audit-store';

/**
 * What the SQLite and PostgreSQL stores share: the columns of a record and the filter of `list`.
 * Lists are stored as JSON text in both, so what is hashed is exactly what is read back.
 */

export const RECORDS_TABLE = 'audit_records';
export const HEADS_TABLE = 'audit_heads';

export const RECORD_COLUMNS = [
  'tenant_id',
  'sequence',
  'id',
  'occurred_at',
  'request_id',
  'subject',
  'client',
  'client_kind',
  'operation_name',
  'operation_type',
  'document_hash',
  'action',
  'datastore_id',
  'image_set_id',
  'version_id',
  'data_categories',
  'outcome',
  'upstream_request_ids',
  'prev_hash',
  'hash',
] as const;

export type RecordRow = Record<(typeof RECORD_COLUMNS)[number], unknown>;

/** Column values in `RECORD_COLUMNS` order; `time` writes the instant the way the database stores it. */
export function recordValues(record: AuditRecord, time: (instant: Date) => unknown): unknown[] {
  return [
    record.tenantId,
    record.sequence,
    record.id,
    time(record.occurredAt),
    record.requestId,
    record.subject,
    record.client,
    record.clientKind,
    record.operationName,
    record.operationType,
    record.documentHash,
    record.action,
    record.datastoreId,
    record.imageSetId,
    record.versionId,
    JSON.stringify(record.dataCategories),
    record.outcome,
    JSON.stringify(record.upstreamRequestIds),
    record.prevHash,
    record.hash,
  ];
}

/** A row as read. Malformed list columns read as a value that will not hash back, so verify reports the row. */
export function recordFromRow(row: RecordRow): AuditRecord {
  return {
    tenantId: String(row.tenant_id),
    sequence: Number(row.sequence),
    id: String(row.id),
    occurredAt: row.occurred_at instanceof Date ? row.occurred_at : new Date(String(row.occurred_at)),
    requestId: String(row.request_id),
    subject: String(row.subject),
    client: String(row.client),
    clientKind: String(row.client_kind) as AuditRecord['clientKind'],
    operationName: row.operation_name === null ? null : String(row.operation_name),
    operationType: String(row.operation_type) as AuditRecord['operationType'],
    documentHash: String(row.document_hash),
    action: String(row.action),
    datastoreId: row.datastore_id === null ? null : String(row.datastore_id),
    imageSetId: row.image_set_id === null ? null : String(row.image_set_id),
    versionId: row.version_id === null ? null : String(row.version_id),
    dataCategories: stringList(row.data_categories),
    outcome: String(row.outcome),
    upstreamRequestIds: stringList(row.upstream_request_ids),
    prevHash: String(row.prev_hash),
    hash: String(row.hash),
  };
}

function stringList(value: unknown): string[] {
  try {
    const parsed: unknown = JSON.parse(String(value));
    return Array.isArray(parsed) ? parsed.map(String) : [String(value)];
  } catch {
    return [String(value)];
  }
}

const EXACT_FILTERS: ReadonlyArray<[keyof AuditFilter, string]> = [
  ['action', 'action'],
  ['operationName', 'operation_name'],
  ['outcome', 'outcome'],
  ['subject', 'subject'],
  ['client', 'client'],
  ['datastoreId', 'datastore_id'],
  ['imageSetId', 'image_set_id'],
];

/**
 * `WHERE` conditions (joined with AND) and their parameters for one tenant's page, newest first.
 * `placeholder(n)` spells the n-th parameter (1-based) in the database's dialect.
 */
export function listConditions(
  tenantId: string,
  afterSequence: number | undefined,
  filter: AuditFilter,
  placeholder: (index: number) => string,
  time: (instant: Date) => unknown,
): { where: string; params: unknown[] } {
  const conditions: string[] = [];
  const params: unknown[] = [];
  const add = (sql: (p: string) => string, value: unknown): void => {
    params.push(value);
    conditions.push(sql(placeholder(params.length)));
  };
  add((p) => `tenant_id = ${p}`, tenantId);
  if (afterSequence !== undefined) add((p) => `sequence < ${p}`, afterSequence);
  for (const [key, column] of EXACT_FILTERS) {
    const value = filter[key];
    if (value !== undefined) add((p) => `${column} = ${p}`, value);
  }
  if (filter.occurredFrom) add((p) => `occurred_at >= ${p}`, time(filter.occurredFrom));
  if (filter.occurredTo) add((p) => `occurred_at <= ${p}`, time(filter.occurredTo));
  return { where: conditions.join(' AND '), params };
}

/** Rows per read while verifying: bounded memory however long the trail. */
export const VERIFY_PAGE_SIZE = 1000;
