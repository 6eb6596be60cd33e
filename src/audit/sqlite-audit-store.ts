import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { checkEntries, chainEntries, EMPTY_HEAD, type ChainHead } from './audit-chain';
import type { AuditEntry, AuditRecord } from './audit-record';
import { READ_HEAD_SQL, SqliteAuditWriter, type HeadMove } from './sqlite-audit-writer';
import {
  HEADS_TABLE,
  listConditions,
  RECORDS_TABLE,
  recordFromRow,
  recordValues,
  VERIFY_PAGE_SIZE,
  type RecordRow,
} from './audit-sql';
import type { AuditListOptions, AuditPage, AuditStore, TenantVerification } from './audit-store';
import { verifyChain } from './chain-verifier';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS ${RECORDS_TABLE} (
  tenant_id TEXT NOT NULL,
  sequence INTEGER NOT NULL,
  id TEXT NOT NULL,
  occurred_at TEXT NOT NULL,
  request_id TEXT NOT NULL,
  subject TEXT NOT NULL,
  client TEXT NOT NULL,
  client_kind TEXT NOT NULL,
  operation_name TEXT,
  operation_type TEXT NOT NULL,
  document_hash TEXT NOT NULL,
  action TEXT NOT NULL,
  datastore_id TEXT,
  image_set_id TEXT,
  version_id TEXT,
  data_categories TEXT NOT NULL,
  outcome TEXT NOT NULL,
  upstream_request_ids TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  PRIMARY KEY (tenant_id, sequence)
);
CREATE TABLE IF NOT EXISTS ${HEADS_TABLE} (
  tenant_id TEXT PRIMARY KEY,
  last_sequence INTEGER NOT NULL,
  last_hash TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS audit_records_no_update BEFORE UPDATE ON ${RECORDS_TABLE}
BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_records_no_delete BEFORE DELETE ON ${RECORDS_TABLE}
BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_heads_no_delete BEFORE DELETE ON ${HEADS_TABLE}
BEGIN SELECT RAISE(ABORT, 'audit heads are never removed'); END;
CREATE TRIGGER IF NOT EXISTS audit_heads_forward_only BEFORE UPDATE ON ${HEADS_TABLE}
WHEN NEW.last_sequence <= OLD.last_sequence OR NEW.tenant_id <> OLD.tenant_id
BEGIN SELECT RAISE(ABORT, 'audit heads only move forward'); END;
`;

const iso = (instant: Date): string => instant.toISOString();

interface PendingAppend {
  entries: readonly AuditEntry[];
  resolve(records: AuditRecord[]): void;
  reject(error: unknown): void;
}

/** Another process on the same file can keep moving a head; past this many tries the append fails. */
const MAX_CHAIN_ATTEMPTS = 10;

/**
 * The audit trail in a SQLite file: the single-process default (`npm start`). Records are chained
 * here and committed by `SqliteAuditWriter` on a worker thread, in an IMMEDIATE transaction that
 * first checks each tenant's head (two processes on one file serialise, and a moved head makes the
 * chain be computed again from it) with `synchronous = FULL`, so a resolved append has reached the
 * disk. One batch is in flight at a time, and the appends that arrive meanwhile share the next
 * transaction and its one flush (group commit). Triggers refuse UPDATE and DELETE of records;
 * `verify` still catches an edit made around them.
 */
export class SqliteAuditStore implements AuditStore {
  private readonly db: Database.Database;
  private readonly writer: SqliteAuditWriter;
  private readonly readHead: Database.Statement<[string], { last_sequence: number; last_hash: string }>;
  /** The last committed head of each tenant this process wrote; a stale one is corrected by the writer. */
  private readonly heads = new Map<string, ChainHead>();
  private queue: PendingAppend[] = [];
  private inFlight: Promise<void> | undefined;
  private closing = false;

  constructor(file: string) {
    // The writer thread opens the file with a connection of its own.
    if (file === ':memory:') throw new Error('The SQLite audit trail needs a file, not :memory:');
    mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
    this.readHead = this.db.prepare(READ_HEAD_SQL);
    this.writer = new SqliteAuditWriter(file);
  }

  async append(entries: readonly AuditEntry[]): Promise<AuditRecord[]> {
    checkEntries(entries);
    if (this.closing) throw new Error('The audit trail is closed');
    return new Promise((resolve, reject) => {
      this.queue.push({ entries, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    if (this.inFlight !== undefined || this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    this.inFlight = this.commit(batch).finally(() => {
      this.inFlight = undefined;
      this.pump();
    });
  }

  private async commit(batch: PendingAppend[]): Promise<void> {
    try {
      const results = await this.writeChained(batch.map((pending) => pending.entries));
      batch.forEach((pending, index) => pending.resolve(results[index] ?? []));
    } catch (error) {
      const [only] = batch;
      if (batch.length === 1 && only) {
        only.reject(error);
        return;
      }
      // One failing append must not fail the requests it happened to share a transaction with.
      for (const pending of batch) {
        try {
          pending.resolve((await this.writeChained([pending.entries]))[0] ?? []);
        } catch (single) {
          pending.reject(single);
        }
      }
    }
  }

  private async writeChained(appends: ReadonlyArray<readonly AuditEntry[]>): Promise<AuditRecord[][]> {
    for (let attempt = 1; ; attempt++) {
      const before = new Map<string, ChainHead>();
      const after = new Map<string, ChainHead>();
      const results = appends.map((entries) => {
        // `append` checked the entries: one tenant, at least one entry.
        const tenantId = entries[0]?.tenantId ?? '';
        const head = after.get(tenantId) ?? this.headOf(tenantId);
        if (!before.has(tenantId)) before.set(tenantId, head);
        const records = chainEntries(head, entries);
        const last = records.at(-1);
        // chainEntries makes one record per entry, and checkEntries refused an empty append.
        if (last === undefined) throw new Error('An audit append made no record');
        after.set(tenantId, { lastSequence: last.sequence, lastHash: last.hash });
        return records;
      });
      const moves: HeadMove[] = [...before].map(([tenantId, head]) => {
        const next = after.get(tenantId) ?? head;
        return [tenantId, head.lastSequence, head.lastHash, next.lastSequence, next.lastHash];
      });
      const conflicts = await this.writer.write({
        rows: results.flat().map((record) => recordValues(record, iso)),
        heads: moves,
      });
      if (conflicts.length === 0) {
        for (const [tenantId, head] of after) this.heads.set(tenantId, head);
        return results;
      }
      // The file's head moved (another process appended): chain again from where it is.
      for (const [tenantId, lastSequence, lastHash] of conflicts) this.heads.set(tenantId, { lastSequence, lastHash });
      if (attempt >= MAX_CHAIN_ATTEMPTS) throw new Error('The audit chain kept moving under another writer');
    }
  }

  private headOf(tenantId: string): ChainHead {
    const known = this.heads.get(tenantId);
    if (known !== undefined) return known;
    const row = this.readHead.get(tenantId);
    return row ? { lastSequence: row.last_sequence, lastHash: row.last_hash } : EMPTY_HEAD;
  }

  async list(tenantId: string, options: AuditListOptions): Promise<AuditPage> {
    const { where, params } = listConditions(tenantId, options.afterSequence, options.filter ?? {}, () => '?', iso);
    const rows = this.db
      .prepare<unknown[], RecordRow>(`SELECT * FROM ${RECORDS_TABLE} WHERE ${where} ORDER BY sequence DESC LIMIT ?`)
      .all(...params, options.first + 1);
    return { records: rows.slice(0, options.first).map(recordFromRow), hasNextPage: rows.length > options.first };
  }

  async verify(tenantId?: string): Promise<TenantVerification[]> {
    const tenants =
      tenantId !== undefined
        ? [tenantId]
        : this.db
            .prepare<[], { tenant_id: string }>(
              `SELECT tenant_id FROM ${HEADS_TABLE} UNION SELECT tenant_id FROM ${RECORDS_TABLE} ORDER BY tenant_id`,
            )
            .all()
            .map((row) => row.tenant_id);
    const results: TenantVerification[] = [];
    for (const tenant of tenants) results.push(await verifyChain(tenant, this.chainSource(tenant)));
    return results;
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    while (this.inFlight !== undefined) await this.inFlight;
    await this.writer.close();
    this.db.close();
  }

  private chainSource(tenantId: string) {
    const page = this.db.prepare<[string, number, number, number], RecordRow>(
      `SELECT * FROM ${RECORDS_TABLE} WHERE tenant_id = ? AND sequence > ? AND sequence <= ? ORDER BY sequence LIMIT ?`,
    );
    const byHash = this.db.prepare<[string, string], { sequence: number }>(
      `SELECT sequence FROM ${RECORDS_TABLE} WHERE tenant_id = ? AND hash = ? LIMIT 1`,
    );
    const head = this.readHead;
    return {
      async *records(upTo: number | undefined): AsyncIterable<AuditRecord> {
        let after = 0;
        for (;;) {
          const rows = page.all(tenantId, after, upTo ?? Number.MAX_SAFE_INTEGER, VERIFY_PAGE_SIZE);
          for (const row of rows) yield recordFromRow(row);
          if (rows.length < VERIFY_PAGE_SIZE) return;
          const lastRow = rows.at(-1);
          if (lastRow === undefined) return;
          after = Number(lastRow.sequence);
        }
      },
      async sequenceOfHash(hash: string): Promise<number | undefined> {
        return byHash.get(tenantId, hash)?.sequence;
      },
      async head(): Promise<ChainHead | undefined> {
        const row = head.get(tenantId);
        return row ? { lastSequence: row.last_sequence, lastHash: row.last_hash } : undefined;
      },
    };
  }
}
