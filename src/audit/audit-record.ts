import { createHash } from 'node:crypto';

/**
 * One entry of the audit trail: who did what to which image set, with what result. It names
 * targets by id and data by category only; it never holds a DICOM attribute value, so the trail
 * itself is not a second copy of patient data.
 */

export const CLIENT_KINDS = ['api-key', 'jwt'] as const;
export type ClientKind = (typeof CLIENT_KINDS)[number];

export const OPERATION_TYPES = ['query', 'mutation', 'subscription'] as const;
export type OperationType = (typeof OPERATION_TYPES)[number];

/** What the request did: `read` for any read of data, or the mutation's name. Open: new writes add names. */
export type AuditAction =
  'read' | 'copyImageSet' | 'updateImageSetMetadata' | 'revertImageSet' | 'deleteImageSet' | (string & {});

/** `OK`, or the error code the request answered (FORBIDDEN, NOT_FOUND, VERSION_CONFLICT, ...). */
export type AuditOutcome = 'OK' | (string & {});

/** What the gateway knows when it records: everything but the chain fields the store assigns. */
export interface AuditEntry {
  occurredAt: Date;
  requestId: string;
  tenantId: string;
  /** JWT `sub`, or the API key's id. */
  subject: string;
  /** The API key's id, or the JWT's `azp` (falling back to `sub`). */
  client: string;
  clientKind: ClientKind;
  operationName: string | null;
  operationType: OperationType;
  /** sha256 (hex) of the GraphQL document: `documentHash(source)`. */
  documentHash: string;
  action: AuditAction;
  datastoreId: string | null;
  imageSetId: string | null;
  versionId: string | null;
  /** Categories of data read (e.g. `patient-identity`), never values. */
  dataCategories: readonly string[];
  outcome: AuditOutcome;
  /** HealthImaging's `x-amzn-requestid` of each upstream call the request made for this entry. */
  upstreamRequestIds: readonly string[];
}

/** An entry as stored: its id, its place in the tenant's chain and the hashes that pin it there. */
export interface AuditRecord extends AuditEntry {
  id: string;
  /** 1, 2, 3, ... per tenant, without gaps. */
  sequence: number;
  /** `hash` of the tenant's previous record; `GENESIS_HASH` for sequence 1. */
  prevHash: string;
  /** sha256 (hex) of `canonicalRecord(this)`. */
  hash: string;
}

/** The `prevHash` of a tenant's first record. */
export const GENESIS_HASH = '0'.repeat(64);

/** sha256 (hex) of a GraphQL document's source text, as recorded in `documentHash`. */
export function documentHash(source: string): string {
  return createHash('sha256').update(source, 'utf8').digest('hex');
}

/**
 * The bytes a record's hash covers: every field, in a fixed order, as a JSON array (JSON's string
 * escaping is deterministic, and an array has no key order to disagree on). The version tag lets
 * a later format coexist with records hashed under this one.
 */
export function canonicalRecord(record: Omit<AuditRecord, 'hash'>): string {
  return JSON.stringify([
    'hig-audit/v1',
    record.tenantId,
    record.sequence,
    record.id,
    record.occurredAt.toISOString(),
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
    [...record.dataCategories],
    record.outcome,
    [...record.upstreamRequestIds],
    record.prevHash,
  ]);
}

export function recordHash(record: Omit<AuditRecord, 'hash'>): string {
  return createHash('sha256').update(canonicalRecord(record), 'utf8').digest('hex');
}
