import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/**
 * A PostgreSQL place for one audit test suite. `.ci/run` creates a scratch database per run and
 * exports its URL as `AUDIT_TEST_DATABASE_URL`; each suite then works in a schema of its own in
 * it (through `search_path`), so suites running side by side never see each other's tables.
 * Without the variable (plain `npm test`), a suite creates its own database on the local server
 * (127.0.0.1:5432, user postgres, trust auth). Either is dropped afterwards.
 */
export interface ScratchDatabase {
  url: string;
  drop(): Promise<void>;
}

const LOCAL_SERVER = 'postgres://postgres@127.0.0.1:5432';

export async function scratchPostgres(): Promise<ScratchDatabase> {
  const name = `hig_test_${randomBytes(6).toString('hex')}`;
  const shared = process.env.AUDIT_TEST_DATABASE_URL;
  if (shared) {
    await run(shared, `CREATE SCHEMA ${name}`);
    const url = new URL(shared);
    url.searchParams.set('options', `-c search_path=${name}`);
    return { url: url.toString(), drop: () => run(shared, `DROP SCHEMA IF EXISTS ${name} CASCADE`) };
  }
  await run(`${LOCAL_SERVER}/postgres`, `CREATE DATABASE ${name}`);
  return {
    url: `${LOCAL_SERVER}/${name}`,
    drop: () => run(`${LOCAL_SERVER}/postgres`, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function run(connectionString: string, statement: string): Promise<void> {
  const client = new Client({ connectionString });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** Tenant ids unique to one test, so the tests of one suite never read each other's chains. */
export function uniqueTenant(label: string): string {
  return `${label}-${randomBytes(4).toString('hex')}`;
}
