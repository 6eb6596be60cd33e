import { Pool, type PoolClient, type PoolConfig } from 'pg';
import { checkEntries, chainEntries, EMPTY_HEAD, type ChainHead } from './audit-chain';
import { GENESIS_HASH, type AuditEntry, type AuditRecord } from './audit-record';
import {
  HEADS_TABLE,
  listConditions,
  RECORD_COLUMNS,
  RECORDS_TABLE,
  recordFromRow,
  recordValues,
  VERIFY_PAGE_SIZE,
  type RecordRow,
} from './audit-sql';
import type { AuditListOptions, AuditPage, AuditStore, TenantVerification } from './audit-store';
import { verifyChain, type ChainSource } from './chain-verifier';

/** Any fixed number: it names the lock every replica takes while creating the schema. */
const SCHEMA_LOCK_KEY = 7_200_417;

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS ${RECORDS_TABLE} (
    tenant_id TEXT NOT NULL,
    sequence BIGINT NOT NULL,
    id UUID NOT NULL,
    occurred_at TIMESTAMPTZ NOT NULL,
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
  )`,
  `CREATE TABLE IF NOT EXISTS ${HEADS_TABLE} (
    tenant_id TEXT PRIMARY KEY,
    last_sequence BIGINT NOT NULL,
    last_hash TEXT NOT NULL
  )`,
  `CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN RAISE EXCEPTION 'audit records are append-only'; END $$`,
  `CREATE OR REPLACE FUNCTION audit_head_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     IF TG_OP = 'DELETE' OR NEW.tenant_id <> OLD.tenant_id OR NEW.last_sequence <= OLD.last_sequence THEN
       RAISE EXCEPTION 'audit heads only move forward';
     END IF;
     RETURN NEW;
   END $$`,
  `CREATE OR REPLACE TRIGGER audit_records_append_only BEFORE UPDATE OR DELETE ON ${RECORDS_TABLE}
   FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()`,
  `CREATE OR REPLACE TRIGGER audit_records_no_truncate BEFORE TRUNCATE ON ${RECORDS_TABLE}
   FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()`,
  `CREATE OR REPLACE TRIGGER audit_heads_forward_only BEFORE UPDATE OR DELETE ON ${HEADS_TABLE}
   FOR EACH ROW EXECUTE FUNCTION audit_head_forward_only()`,
  `CREATE OR REPLACE TRIGGER audit_heads_no_truncate BEFORE TRUNCATE ON ${HEADS_TABLE}
   FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()`,
];

const dollar = (index: number): string => `$${index}`;
const asIs = (instant: Date): Date => instant;

/**
 * The audit trail in PostgreSQL, shared by every gateway replica. An append locks its tenant's
 * head row (`SELECT ... FOR UPDATE`) inside one transaction, so concurrent appenders of one
 * tenant form one chain while other tenants never wait; COMMIT returns once the WAL is flushed
 * (`synchronous_commit` on, the default), so a resolved append is durable. Triggers refuse UPDATE,
 * DELETE and TRUNCATE of records; `verify` still catches an edit made with them dropped.
 */
export class PostgresAuditStore implements AuditStore {
  private constructor(private readonly pool: Pool) {}

  /** Connects and creates the schema if needed (replicas starting together take turns). */
  static async open(config: string | PoolConfig): Promise<PostgresAuditStore> {
    const pool = new Pool(typeof config === 'string' ? { connectionString: config } : config);
    // An idle client's network error is emitted on the pool; unhandled, it would end the process.
    pool.on('error', () => undefined);
    try {
      await transaction(pool, async (client) => {
        await client.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK_KEY]);
        for (const statement of SCHEMA) await client.query(statement);
      });
    } catch (error) {
      await pool.end();
      throw error;
    }
    return new PostgresAuditStore(pool);
  }

  async append(entries: readonly AuditEntry[]): Promise<AuditRecord[]> {
    const tenantId = checkEntries(entries);
    return transaction(this.pool, async (client) => {
      await client.query(
        `INSERT INTO ${HEADS_TABLE} (tenant_id, last_sequence, last_hash) VALUES ($1, 0, $2) ON CONFLICT (tenant_id) DO NOTHING`,
        [tenantId, GENESIS_HASH],
      );
      const locked = await client.query<{ last_sequence: string; last_hash: string }>(
        `SELECT last_sequence, last_hash FROM ${HEADS_TABLE} WHERE tenant_id = $1 FOR UPDATE`,
        [tenantId],
      );
      const row = locked.rows[0];
      const head: ChainHead = row ? { lastSequence: Number(row.last_sequence), lastHash: row.last_hash } : EMPTY_HEAD;
      const records = chainEntries(head, entries);
      for (let start = 0; start < records.length; start += INSERT_BATCH) {
        await insertRecords(client, records.slice(start, start + INSERT_BATCH));
      }
      const last = records.at(-1);
      // chainEntries makes one record per entry, and checkEntries refused an empty append.
      if (last === undefined) throw new Error('An audit append made no record');
      await client.query(`UPDATE ${HEADS_TABLE} SET last_sequence = $2, last_hash = $3 WHERE tenant_id = $1`, [
        tenantId,
        last.sequence,
        last.hash,
      ]);
      return records;
    });
  }

  async list(tenantId: string, options: AuditListOptions): Promise<AuditPage> {
    const { where, params } = listConditions(tenantId, options.afterSequence, options.filter ?? {}, dollar, asIs);
    const result = await this.pool.query<RecordRow>(
      `SELECT * FROM ${RECORDS_TABLE} WHERE ${where} ORDER BY sequence DESC LIMIT ${dollar(params.length + 1)}`,
      [...params, options.first + 1],
    );
    return {
      records: result.rows.slice(0, options.first).map(recordFromRow),
      hasNextPage: result.rows.length > options.first,
    };
  }

  async verify(tenantId?: string): Promise<TenantVerification[]> {
    const tenants =
      tenantId !== undefined
        ? [tenantId]
        : (
            await this.pool.query<{ tenant_id: string }>(
              `SELECT tenant_id FROM ${HEADS_TABLE} UNION SELECT tenant_id FROM ${RECORDS_TABLE} ORDER BY tenant_id`,
            )
          ).rows.map((row) => row.tenant_id);
    const results: TenantVerification[] = [];
    for (const tenant of tenants) results.push(await verifyChain(tenant, this.chainSource(tenant)));
    return results;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private chainSource(tenantId: string): ChainSource {
    const pool = this.pool;
    return {
      async *records(upTo: number | undefined): AsyncIterable<AuditRecord> {
        let after = 0;
        for (;;) {
          const { rows } = await pool.query<RecordRow>(
            `SELECT * FROM ${RECORDS_TABLE} WHERE tenant_id = $1 AND sequence > $2 AND sequence <= $3 ORDER BY sequence LIMIT $4`,
            [tenantId, after, upTo ?? Number.MAX_SAFE_INTEGER, VERIFY_PAGE_SIZE],
          );
          for (const row of rows) yield recordFromRow(row);
          if (rows.length < VERIFY_PAGE_SIZE) return;
          const lastRow = rows.at(-1);
          if (lastRow === undefined) return;
          after = Number(lastRow.sequence);
        }
      },
      async sequenceOfHash(hash: string): Promise<number | undefined> {
        const { rows } = await pool.query<{ sequence: string }>(
          `SELECT sequence FROM ${RECORDS_TABLE} WHERE tenant_id = $1 AND hash = $2 LIMIT 1`,
          [tenantId, hash],
        );
        return rows[0] ? Number(rows[0].sequence) : undefined;
      },
      async head(): Promise<ChainHead | undefined> {
        const { rows } = await pool.query<{ last_sequence: string; last_hash: string }>(
          `SELECT last_sequence, last_hash FROM ${HEADS_TABLE} WHERE tenant_id = $1`,
          [tenantId],
        );
        return rows[0] ? { lastSequence: Number(rows[0].last_sequence), lastHash: rows[0].last_hash } : undefined;
      },
    };
  }
}

/** Rows per INSERT: PostgreSQL takes at most 65,535 parameters in one statement. */
const INSERT_BATCH = 1000;

async function insertRecords(client: PoolClient, records: readonly AuditRecord[]): Promise<void> {
  const width = RECORD_COLUMNS.length;
  const tuples = records.map((_, r) => `(${RECORD_COLUMNS.map((__, c) => `$${r * width + c + 1}`).join(', ')})`);
  await client.query(
    `INSERT INTO ${RECORDS_TABLE} (${RECORD_COLUMNS.join(', ')}) VALUES ${tuples.join(', ')}`,
    records.flatMap((record) => recordValues(record, asIs)),
  );
}

async function transaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  // A client whose ROLLBACK failed may sit in a broken transaction: destroy it rather than reuse it.
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: unknown) => {
      broken = rollbackError instanceof Error ? rollbackError : new Error('ROLLBACK failed');
    });
    throw error;
  } finally {
    client.release(broken);
  }
}
