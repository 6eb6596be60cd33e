import { Client } from 'pg';
import { PostgresAuditStore } from '../../../src/audit/postgres-audit-store';
import { describeAuditStore } from './audit-store.contract';
import { scratchPostgres, type ScratchDatabase } from './postgres-scratch';

let database: ScratchDatabase;

/** `?` placeholders as PostgreSQL's `$1, $2, ...`. */
function numbered(sql: string): string {
  let index = 0;
  return sql.replace(/\?/g, () => `$${(index += 1)}`);
}

describeAuditStore(
  'PostgreSQL',
  async () => {
    database = await scratchPostgres();
    const raw = async (sql: string, params: unknown[], disableTriggers: boolean): Promise<void> => {
      const client = new Client({ connectionString: database.url });
      await client.connect();
      try {
        await client.query('BEGIN');
        // Inside the transaction: other sessions never see the triggers disabled.
        if (disableTriggers)
          await client.query(
            'ALTER TABLE audit_records DISABLE TRIGGER USER; ALTER TABLE audit_heads DISABLE TRIGGER USER',
          );
        await client.query(numbered(sql), params);
        if (disableTriggers)
          await client.query(
            'ALTER TABLE audit_records ENABLE TRIGGER USER; ALTER TABLE audit_heads ENABLE TRIGGER USER',
          );
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      } finally {
        await client.end();
      }
    };
    return {
      open: () => PostgresAuditStore.open(database.url),
      tamper: {
        run: (sql, params = []) => raw(sql, params, true),
        runGuarded: (sql, params = []) => raw(sql, params, false),
      },
    };
  },
  () => database.drop(),
);
