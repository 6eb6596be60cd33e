import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteAuditStore } from '../../../src/audit/sqlite-audit-store';
import { SqliteAuditWriter } from '../../../src/audit/sqlite-audit-writer';
import { entry } from './audit-entries';

/**
 * The SQLite trail commits on a worker thread and keeps each tenant's head in memory between
 * appends. Two stores on one file (two processes, or a restarted one) must still make one chain,
 * and a writer that cannot write must fail its appends, not lose or fork them.
 */
describe('SQLite audit store: the writer thread', () => {
  let directory: string;
  let file: string;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'audit-writer-'));
    file = join(directory, 'audit.sqlite');
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('continues the chain another store on the same file moved, interleaved or concurrent', async () => {
    const first = new SqliteAuditStore(file);
    const second = new SqliteAuditStore(file);
    try {
      // Each store learns acme's head from its own appends; every later append of the other
      // finds the head moved under it and chains again from the file's.
      const sequences: number[] = [];
      for (let round = 0; round < 3; round++) {
        for (const store of [first, second]) {
          const records = await store.append([entry('acme', { requestId: `r${round}` })]);
          sequences.push(...records.map((record) => record.sequence));
        }
      }
      const together = await Promise.all(
        Array.from({ length: 20 }, (_, index) =>
          (index % 2 === 0 ? first : second).append([entry('acme'), entry('acme')]),
        ),
      );
      sequences.push(...together.flat().map((record) => record.sequence));

      expect([...sequences].sort((a, b) => a - b)).toEqual(Array.from({ length: 46 }, (_, index) => index + 1));
      expect(await first.verify('acme')).toEqual([{ tenantId: 'acme', recordsChecked: 46, headSequence: 46 }]);
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('resolves an append only once its records are in the file', async () => {
    const store = new SqliteAuditStore(file);
    try {
      const records = await store.append([entry('globex'), entry('globex')]);
      const other = new Database(file, { readonly: true });
      try {
        const rows = other
          .prepare<[string], { hash: string }>('SELECT hash FROM audit_records WHERE tenant_id = ? ORDER BY sequence')
          .all('globex');
        expect(rows.map((row) => row.hash)).toEqual(records.map((record) => record.hash));
      } finally {
        other.close();
      }
    } finally {
      await store.close();
    }
  });

  it('fails the writes of a writer that cannot open its file, and starts again for the next', async () => {
    const writer = new SqliteAuditWriter(file);
    try {
      await expect(writer.write({ rows: [], heads: [] })).rejects.toThrow(/audit writer (failed|stopped)/);
      // The store creates the file and its tables; the same writer now starts a new thread.
      await new SqliteAuditStore(file).close();
      await expect(writer.write({ rows: [], heads: [['acme', 0, 'x', 1, 'y']] })).resolves.toEqual([
        ['acme', 0, expect.any(String)],
      ]);
    } finally {
      await writer.close();
    }
  });
});
