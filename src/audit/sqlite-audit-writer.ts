import { Worker } from 'node:worker_threads';
import { GENESIS_HASH } from './audit-record';
import { HEADS_TABLE, RECORD_COLUMNS, RECORDS_TABLE } from './audit-sql';

/** A tenant's head before and after a batch: `[tenantId, expectedSequence, expectedHash, nextSequence, nextHash]`. */
export type HeadMove = [string, number, string, number, string];
/** A tenant whose head was not the expected one, as the file holds it: `[tenantId, sequence, hash]`. */
export type HeadConflict = [string, number, string];

export interface WriteBatch {
  /** Column values in `RECORD_COLUMNS` order, every append of the batch in order. */
  rows: unknown[][];
  heads: HeadMove[];
}

/** A tenant's head row: the store reads it to start a chain, the writer to check it under the lock. */
export const READ_HEAD_SQL = `SELECT last_sequence, last_hash FROM ${HEADS_TABLE} WHERE tenant_id = ?`;

type Reply = { id: number; conflicts: HeadConflict[] } | { id: number; error: { message: string; code?: string } };

/**
 * The writer's whole program, inline so it runs the same from TypeScript sources (tests) and
 * compiled output. One IMMEDIATE transaction per batch: the heads are checked under the write lock
 * (another process on the same file may have moved them), then the rows and heads are written and
 * the commit waits for the disk (`synchronous = FULL`).
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('synchronous = FULL');
db.pragma('busy_timeout = 5000');
const readHead = db.prepare(workerData.readHeadSql);
const insert = db.prepare(workerData.insertSql);
const writeHead = db.prepare(workerData.writeHeadSql);
const write = db.transaction((batch) => {
  const conflicts = [];
  for (const [tenantId, sequence, hash] of batch.heads) {
    const row = readHead.get(tenantId);
    const actual = row ? [row.last_sequence, row.last_hash] : [0, workerData.genesisHash];
    if (actual[0] !== sequence || actual[1] !== hash) conflicts.push([tenantId, actual[0], actual[1]]);
  }
  if (conflicts.length > 0) return conflicts;
  for (const row of batch.rows) insert.run(row);
  for (const [tenantId, , , sequence, hash] of batch.heads) writeHead.run(tenantId, sequence, hash);
  return conflicts;
});
parentPort.on('message', (message) => {
  if (message === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    parentPort.postMessage({ id: message.id, conflicts: write.immediate(message) });
  } catch (error) {
    const failure = { message: String((error && error.message) || error) };
    if (error && typeof error.code === 'string') failure.code = error.code;
    parentPort.postMessage({ id: message.id, error: failure });
  }
});
`;

class AuditWriteError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'AuditWriteError';
  }
}

/**
 * Commits audit batches on a worker thread with its own connection. better-sqlite3 is synchronous,
 * and a commit that waits for the disk blocked the event loop for 1-5 ms per batch, every request
 * of the process included; on the worker only the requests whose records are being written wait.
 * A worker that dies fails its pending batches (their requests fail closed) and is started again
 * for the next one.
 */
export class SqliteAuditWriter {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve(conflicts: HeadConflict[]): void; reject(error: Error): void }
  >();

  constructor(private readonly file: string) {}

  /** Resolves with the conflicting heads (nothing written) or `[]` once the batch is on disk. */
  write(batch: WriteBatch): Promise<HeadConflict[]> {
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // Referenced only while a batch is in flight: an idle writer never keeps the process alive.
      worker.ref();
      worker.postMessage({ id, rows: batch.rows, heads: batch.heads });
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    if (worker === undefined) return;
    this.worker = undefined;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage('close');
    await exited;
  }

  private start(): Worker {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        driver: require.resolve('better-sqlite3'),
        file: this.file,
        genesisHash: GENESIS_HASH,
        readHeadSql: READ_HEAD_SQL,
        insertSql: `INSERT INTO ${RECORDS_TABLE} (${RECORD_COLUMNS.join(', ')}) VALUES (${RECORD_COLUMNS.map(() => '?').join(', ')})`,
        writeHeadSql: `INSERT INTO ${HEADS_TABLE} (tenant_id, last_sequence, last_hash) VALUES (?, ?, ?)
          ON CONFLICT (tenant_id) DO UPDATE SET last_sequence = excluded.last_sequence, last_hash = excluded.last_hash`,
      },
    });
    worker.unref();
    worker.on('message', (reply: Reply) => this.settle(reply));
    const failAll = (error: Error): void => {
      // An old thread's late 'exit' must not fail the batches of the thread that replaced it.
      if (this.worker !== worker) return;
      this.worker = undefined;
      for (const [id, waiter] of this.pending) {
        this.pending.delete(id);
        waiter.reject(error);
      }
    };
    worker.on('error', (error) => failAll(new AuditWriteError(`The audit writer failed: ${error.message}`)));
    worker.on('exit', () => failAll(new AuditWriteError('The audit writer stopped')));
    this.worker = worker;
    return worker;
  }

  private settle(reply: Reply): void {
    const waiter = this.pending.get(reply.id);
    if (waiter === undefined) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.worker?.unref();
    if ('error' in reply) waiter.reject(new AuditWriteError(reply.error.message, reply.error.code));
    else waiter.resolve(reply.conflicts);
  }
}
