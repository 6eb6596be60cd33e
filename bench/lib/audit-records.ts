import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { RECORDS_TABLE } from '../../src/audit/audit-sql';

/**
 * Records in the gateway's SQLite audit trail: read around a run, it shows the trail really was
 * written (about one record per audited operation), not merely configured.
 */
export function auditRecordCount(file: string): number {
  if (!existsSync(file)) return 0;
  const db = new Database(file, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const row = db.prepare(`SELECT COUNT(*) AS n FROM ${RECORDS_TABLE}`).get() as { n: number } | undefined;
    return row?.n ?? 0;
  } finally {
    db.close();
  }
}
