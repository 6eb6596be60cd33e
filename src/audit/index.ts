export * from './audit-record';
export type {
  AuditFilter,
  AuditListOptions,
  AuditPage,
  AuditProblem,
  AuditProblemKind,
  AuditStore,
  TenantVerification,
} from './audit-store';
export { openAuditStore, type AuditStoreOptions } from './open-audit-store';
export { PostgresAuditStore } from './postgres-audit-store';
export { SqliteAuditStore } from './sqlite-audit-store';
