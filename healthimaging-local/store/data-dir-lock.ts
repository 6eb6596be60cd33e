import Database from 'better-sqlite3';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * One server per data folder. Two servers on one folder each run a start-up sweep over the
 * other's half-written imports and each create primary image sets, so the second must refuse.
 *
 * The lock is SQLite's own: `locking_mode = EXCLUSIVE` keeps the write lock of the first
 * transaction for the connection's life. That lock is an OS file lock, so the kernel drops it
 * when the holder dies, even by kill -9: a stale lock needs no pid liveness check, and there is
 * no window in which two starters can both decide a lock is stale. The pid file beside it only
 * names the holder in the refusal message.
 */
export const LOCK_FILE = 'hil.lock';
export const PID_FILE = 'hil.lock.pid';

export class DataDirLocked extends Error {}

export interface DataDirLock {
  release(): void;
}

export function lockDataDir(dataDir: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, LOCK_FILE));
  try {
    db.pragma('busy_timeout = 0');
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('CREATE TABLE IF NOT EXISTS holder (pid INTEGER NOT NULL)');
    db.transaction(() => {
      db.exec('DELETE FROM holder');
      db.prepare('INSERT INTO holder (pid) VALUES (?)').run(process.pid);
    })();
  } catch (err) {
    db.close();
    if ((err as { code?: string }).code === 'SQLITE_BUSY') {
      throw new DataDirLocked(
        `data folder ${resolve(dataDir)} is in use by another HealthImaging Local${holderText(dataDir)}`,
      );
    }
    throw err;
  }
  writeFileSync(join(dataDir, PID_FILE), `${process.pid}\n`);
  let released = false;
  return {
    release: () => {
      if (released) return;
      released = true;
      rmSync(join(dataDir, PID_FILE), { force: true });
      db.close();
    },
  };
}

function holderText(dataDir: string): string {
  try {
    const pid = readFileSync(join(dataDir, PID_FILE), 'utf8').trim();
    return /^\d+$/.test(pid) ? ` (pid ${pid})` : '';
  } catch {
    return '';
  }
}
