import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteAuditStore } from '../../../src/audit/sqlite-audit-store';
import { describeAuditStore } from './audit-store.contract';

let directory: string;

describeAuditStore(
  'SQLite',
  async () => {
    directory = mkdtempSync(join(tmpdir(), 'audit-sqlite-'));
    const file = join(directory, 'nested', 'audit.sqlite');
    const raw = (sql: string, params: unknown[], dropTriggers: boolean): void => {
      const db = new Database(file);
      try {
        // SQLite cannot disable a trigger; an intruder drops it. Opening a store creates it again.
        if (dropTriggers) {
          for (const { name } of db
            .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            .all()) {
            db.exec(`DROP TRIGGER ${name}`);
          }
        }
        db.prepare(sql).run(...params);
      } finally {
        db.close();
      }
    };
    return {
      open: async () => new SqliteAuditStore(file),
      tamper: {
        run: async (sql, params = []) => raw(sql, params, true),
        runGuarded: async (sql, params = []) => raw(sql, params, false),
      },
    };
  },
  async () => rmSync(directory, { recursive: true, force: true }),
);
