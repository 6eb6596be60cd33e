import type { AuditStore } from './audit-store';
import { SqliteAuditStore } from './sqlite-audit-store';

export interface AuditStoreOptions {
  /** A PostgreSQL connection string (`AUDIT_DATABASE_URL`); when set, it wins. */
  databaseUrl?: string;
  /** The SQLite file used otherwise (its directory is created). */
  sqliteFile: string;
}

/** PostgreSQL for replicas that share a trail, a SQLite file for one process. */
export async function openAuditStore(options: AuditStoreOptions): Promise<AuditStore> {
  if (options.databaseUrl !== undefined && options.databaseUrl !== '') {
    // Loaded only when configured, like the Redis client: a SQLite replica never pays for pg.
    const { PostgresAuditStore } = await import('./postgres-audit-store');
    return PostgresAuditStore.open(options.databaseUrl);
  }
  return new SqliteAuditStore(options.sqliteFile);
}
