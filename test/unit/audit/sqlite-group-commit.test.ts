import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { RECORD_COLUMNS } from '../../../src/audit/audit-sql';
import { SqliteAuditStore } from '../../../src/audit/sqlite-audit-store';
import { entry } from './audit-entries';
import { atLeast } from '../../support/present';

/**
 * The SQLite store commits the appends of one event-loop turn together. Each append must still
 * stand alone: its own records, its own place in its tenant's chain, its own failure.
 */
describe('SQLite audit store: appends sharing a transaction', () => {
  let directory: string;
  let file: string;
  let store: SqliteAuditStore;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'audit-group-'));
    file = join(directory, 'audit.sqlite');
    store = new SqliteAuditStore(file);
  });
  afterEach(async () => {
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('answers each append with its own records, chained per tenant', async () => {
    const results = await Promise.all([
      store.append([entry('acme', { requestId: 'a1' }), entry('acme', { requestId: 'a1' })]),
      store.append([entry('globex', { requestId: 'g1' })]),
      store.append([entry('acme', { requestId: 'a2' })]),
    ]);

    expect(
      results.map((records) => records.map((record) => [record.tenantId, record.sequence, record.requestId])),
    ).toEqual([
      [
        ['acme', 1, 'a1'],
        ['acme', 2, 'a1'],
      ],
      [['globex', 1, 'g1']],
      [['acme', 3, 'a2']],
    ]);
    expect((await store.verify()).map((result) => [result.tenantId, result.recordsChecked, result.problem])).toEqual([
      ['acme', 3, undefined],
      ['globex', 1, undefined],
    ]);
  });

  it('fails only the append that cannot be written, not its neighbours', async () => {
    // A record slipped in past globex's head: globex's next append collides with it.
    const [head] = atLeast(await store.append([entry('globex')]), 1, 'globex records');
    const raw = new Database(file);
    const copy = RECORD_COLUMNS.map((column) => (column === 'sequence' ? '2' : column)).join(', ');
    raw
      .prepare(
        `INSERT INTO audit_records (${RECORD_COLUMNS.join(', ')}) SELECT ${copy} FROM audit_records WHERE tenant_id = ?`,
      )
      .run('globex');
    raw.close();
    expect(head.sequence).toBe(1);

    const first = store.append([entry('acme', { requestId: 'ok-1' })]);
    const poisoned = store.append([entry('globex')]);
    const last = store.append([entry('acme', { requestId: 'ok-2' })]);

    await expect(poisoned).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_PRIMARYKEY' });
    expect((await first).map((record) => record.sequence)).toEqual([1]);
    expect((await last).map((record) => record.sequence)).toEqual([2]);
  });

  it('writes what is pending before it closes', async () => {
    const pending = store.append([entry('acme')]);
    await store.close();
    expect(await pending).toHaveLength(1);
  });
});
