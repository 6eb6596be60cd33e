import { Worker } from 'node:worker_threads';
import type { Db } from './database';

/** Often enough that the WAL stays a few MB under a steady stream of frame writes. */
const CHECKPOINT_EVERY_MS = 200;

/**
 * The worker's whole program, inline so it runs the same from TypeScript sources (tests, tsx)
 * and compiled output. Its own connection copies the WAL back into the database file: PASSIVE
 * never waits on, or holds up, the main connection's readers and writer.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
const timer = setInterval(() => db.pragma('wal_checkpoint(PASSIVE)'), workerData.everyMs);
parentPort.once('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/**
 * Runs the WAL checkpoints of a file database on a worker thread. SQLite's automatic checkpoint
 * runs inside whichever commit crosses its threshold and syncs the WAL and the database file:
 * 50-200 ms of a blocked event loop on a busy disk, several times the commit itself. With it off
 * the main thread's commits only append to the WAL. Durability is unchanged: a commit is durable
 * against a crashed process once it is in the WAL, whoever copies it back later. Should the worker
 * fail, the main connection checkpoints for itself again.
 */
export class WalCheckpointer {
  private readonly worker: Worker;
  private stopped = false;

  constructor(private readonly db: Db) {
    db.pragma('wal_autocheckpoint = 0');
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { driver: require.resolve('better-sqlite3'), file: db.name, everyMs: CHECKPOINT_EVERY_MS },
    });
    this.worker.unref();
    const fallBack = (): void => {
      if (!this.stopped && this.db.open) this.db.pragma('wal_autocheckpoint = 1000');
      this.stopped = true;
    };
    this.worker.on('error', fallBack);
    this.worker.on('exit', fallBack);
  }

  /** Stops the worker after its current checkpoint; the last connection to close checkpoints the rest. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.worker.postMessage('stop');
  }
}
