import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { runAuditCli } from '../../../scripts/audit';
import { PostgresAuditStore } from '../../../src/audit/postgres-audit-store';
import { SqliteAuditStore } from '../../../src/audit/sqlite-audit-store';
import { entry } from './audit-entries';
import { scratchPostgres, uniqueTenant, type ScratchDatabase } from './postgres-scratch';
import { present } from '../../support/present';

async function run(argv: string[], env: NodeJS.ProcessEnv) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runAuditCli(argv, env, { out: (line) => out.push(line), err: (line) => err.push(line) });
  return { code, out, err };
}

describe('npm run audit (SQLite)', () => {
  let directory: string;
  let file: string;
  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'audit-cli-'));
    file = join(directory, 'audit.sqlite');
    const store = new SqliteAuditStore(file);
    await store.append([entry('acme'), entry('acme')]);
    await store.append([entry('globex')]);
    await store.close();
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));
  const env = () => ({ AUDIT_SQLITE_FILE: file });

  it('verify prints one OK line per tenant and exits 0 on an intact trail', async () => {
    expect(await run(['verify'], env())).toEqual({
      code: 0,
      out: ['tenant acme: 2 records checked, OK (head at 2)', 'tenant globex: 1 records checked, OK (head at 1)'],
      err: [],
    });
    expect((await run(['verify', '--tenant', 'globex'], env())).out).toEqual([
      'tenant globex: 1 records checked, OK (head at 1)',
    ]);
  });

  it('list prints the newest records of one tenant as JSON lines', async () => {
    const { code, out } = await run(['list', '--tenant', 'acme', '--first', '1'], env());
    expect(code).toBe(0);
    expect(out).toHaveLength(1);
    expect(JSON.parse(present(out[0], 'a listed line'))).toMatchObject({ tenantId: 'acme', sequence: 2 });
  });

  it('exits 2 with the usage on bad arguments', async () => {
    for (const argv of [
      [],
      ['verify', '--tenant'],
      ['verify', '--color', 'red'],
      ['list'],
      ['list', '--tenant', 'acme', '--first', '0'],
    ]) {
      const result = await run(argv, env());
      expect(result.code).toBe(2);
      expect(result.err.join('\n')).toContain('usage: npm run audit -- verify');
    }
  });

  it('exits 2 when the SQLite file does not exist, instead of creating an empty trail', async () => {
    const missing = join(directory, 'typo', 'audit.sqlite');
    const result = await run(['verify'], { AUDIT_SQLITE_FILE: missing });
    expect(result).toEqual({
      code: 2,
      out: [],
      err: [`no audit trail at ${missing} (set AUDIT_SQLITE_FILE or AUDIT_DATABASE_URL)`],
    });
    expect(existsSync(missing)).toBe(false);
  });

  it('verify names the first problem with its sequence number and exits 1 after an edit', async () => {
    const db = new Database(file);
    db.exec('DROP TRIGGER audit_records_no_update');
    db.prepare("UPDATE audit_records SET subject = 'mallory' WHERE tenant_id = 'acme' AND sequence = 2").run();
    db.close();

    const result = await run(['verify'], env());
    expect(result.code).toBe(1);
    expect(result.out).toEqual([
      'tenant acme: 1 records checked, BROKEN at sequence 2 (changed): record 2 does not match its hash',
      'tenant globex: 1 records checked, OK (head at 1)',
    ]);
  });
});

describe('npm run audit (PostgreSQL)', () => {
  let database: ScratchDatabase;
  let tenant: string;
  beforeAll(async () => {
    database = await scratchPostgres();
    tenant = uniqueTenant('cli');
    const store = await PostgresAuditStore.open(database.url);
    await store.append([entry(tenant)]);
    await store.append([entry(tenant)]);
    await store.close();
  });
  afterAll(() => database.drop());

  it('reads AUDIT_DATABASE_URL: exit 0 when intact, 1 once a record is deleted', async () => {
    const env = { AUDIT_DATABASE_URL: database.url, AUDIT_SQLITE_FILE: '/nonexistent/never-used.sqlite' };
    expect(await run(['verify', '--tenant', tenant], env)).toEqual({
      code: 0,
      out: [`tenant ${tenant}: 2 records checked, OK (head at 2)`],
      err: [],
    });

    const client = new Client({ connectionString: database.url });
    await client.connect();
    await client.query('BEGIN; ALTER TABLE audit_records DISABLE TRIGGER USER');
    await client.query('DELETE FROM audit_records WHERE tenant_id = $1 AND sequence = 1', [tenant]);
    await client.query('ALTER TABLE audit_records ENABLE TRIGGER USER; COMMIT');
    await client.end();

    const result = await run(['verify', '--tenant', tenant], env);
    expect(result.code).toBe(1);
    expect(result.out).toEqual([
      `tenant ${tenant}: 0 records checked, BROKEN at sequence 1 (removed): record 1 is missing (the next record is 2)`,
    ]);
  });

  it('exits 2 without echoing the URL when the database cannot be reached', async () => {
    const result = await run(['verify'], { AUDIT_DATABASE_URL: 'postgres://auditor:s3cret@127.0.0.1:1/audit' });
    expect(result.code).toBe(2);
    expect(result.err.join('\n')).toMatch(/^cannot open the audit store: /);
    expect(result.err.join('\n')).not.toContain('s3cret');
  });
});
