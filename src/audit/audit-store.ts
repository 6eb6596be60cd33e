import type { AuditEntry, AuditRecord } from './audit-record';

/** Narrows `list`; every field given must match (exact values; the range includes both ends). */
export interface AuditFilter {
  action?: string;
  operationName?: string;
  outcome?: string;
  subject?: string;
  client?: string;
  datastoreId?: string;
  imageSetId?: string;
  occurredFrom?: Date;
  occurredTo?: Date;
}

export interface AuditListOptions {
  /** Page size (the caller bounds it). */
  first: number;
  /** Return records with a sequence number below this one (the last sequence of the previous page). */
  afterSequence?: number;
  filter?: AuditFilter;
}

export interface AuditPage {
  /** Newest first. */
  records: AuditRecord[];
  hasNextPage: boolean;
}

export const AUDIT_PROBLEM_KINDS = ['changed', 'removed', 'reordered', 'broken-head'] as const;
export type AuditProblemKind = (typeof AUDIT_PROBLEM_KINDS)[number];

/** The first thing wrong with a tenant's chain, at the sequence number where the chain stops holding. */
export interface AuditProblem {
  kind: AuditProblemKind;
  sequence: number;
  detail: string;
}

export interface TenantVerification {
  tenantId: string;
  /** Records read before the first problem (all of them when there is none). */
  recordsChecked: number;
  /** What the head row says the last sequence is (0 without a head). */
  headSequence: number;
  problem?: AuditProblem;
}

/**
 * The audit trail. Append-only: nothing here updates or deletes a record. Each tenant's records
 * form a hash chain, and a per-tenant head row holds the last sequence and hash, so `verify`
 * finds a changed, removed or reordered record and a removed tail.
 */
export interface AuditStore {
  /**
   * Appends one request's entries (one tenant) as a unit and resolves once they are durable, with
   * the records as stored. Rejects when they could not be committed: the request must then fail.
   */
  append(entries: readonly AuditEntry[]): Promise<AuditRecord[]>;
  list(tenantId: string, options: AuditListOptions): Promise<AuditPage>;
  /** One tenant, or every tenant with a head or a record. */
  verify(tenantId?: string): Promise<TenantVerification[]>;
  close(): Promise<void>;
}
