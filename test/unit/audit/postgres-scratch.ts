import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/**
 * A PostgreSQL database for audit tests. `.ci/run` creates one per run and exports its URL as
 * `AUDIT_TEST_DATABASE_URL`; without it (plain `npm test`), each suite creates its own on the
 * local server (127.0.0.1:5432, user postgres, trust auth) and drops it afterwards.
 */
export interface ScratchDatabase {
  url: string;
  drop(): Promise<void>;
}

const LOCAL_SERVER = 'postgres://postgres@127.0.0.1:5432';

export async function scratchPostgres(): Promise<ScratchDatabase> {
  const shared = process.env.AUDIT_TEST_DATABASE_URL;
  if (shared) return { url: shared, drop: async () => undefined };
  const name = `hig_test_${randomBytes(6).toString('hex')}`;
  await onServer(`CREATE DATABASE ${name}`);
  return {
    url: `${LOCAL_SERVER}/${name}`,
    drop: () => onServer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function onServer(statement: string): Promise<void> {
  const client = new Client({ connectionString: `${LOCAL_SERVER}/postgres` });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** Tenant ids unique to one test, so suites sharing a database never read each other's chains. */
export function uniqueTenant(label: string): string {
  return `${label}-${randomBytes(4).toString('hex')}`;
}
