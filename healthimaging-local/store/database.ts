import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { MIGRATIONS, SCHEMA_SQL, SCHEMA_VERSION } from './schema';

export type Db = Database.Database;

/**
 * Opens (creating if needed) the stand-in's database. WAL keeps readers off the writer's back;
 * `synchronous = NORMAL` under WAL never loses a committed transaction to a process crash
 * (kill -9), only possibly to an OS crash or power loss, which is the trade an emulator wants.
 */
export function openDatabase(location: { dataDir?: string | undefined; inMemory?: boolean | undefined }): Db {
  let db: Db;
  if (location.inMemory || !location.dataDir) {
    db = new Database(':memory:');
  } else {
    mkdirSync(location.dataDir, { recursive: true });
    db = new Database(join(location.dataDir, 'hil.sqlite'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
  }
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    db.close();
    throw new Error(`database schema version ${current} is newer than this HealthImaging Local (${SCHEMA_VERSION})`);
  }
  db.transaction(() => {
    // A fresh database gets the current schema at once; an older one gets the missing tables and
    // then each migration after its version.
    const fresh = current === 0;
    db.exec(SCHEMA_SQL);
    for (let v = current + 1; !fresh && v <= SCHEMA_VERSION; v++) {
      const migration = MIGRATIONS[v];
      if (migration === undefined) throw new Error(`no migration to database schema version ${v}`);
      db.exec(migration);
    }
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  })();
  return db;
}
