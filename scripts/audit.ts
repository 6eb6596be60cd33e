import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { openAuditStore } from '../src/audit/open-audit-store';
import type { AuditStore, TenantVerification } from '../src/audit/audit-store';

/**
 * `npm run audit -- verify [--tenant T]`: walks each tenant's hash chain and prints one line per
 * tenant; exits 1 when any chain is broken, 2 on bad usage or an unreachable store.
 * `npm run audit -- list --tenant T [--first N]`: the tenant's newest records, one JSON line each.
 *
 * The store is `AUDIT_DATABASE_URL` (PostgreSQL) when set, else the SQLite file
 * `AUDIT_SQLITE_FILE` (default `.data/audit/audit.sqlite`), exactly as the gateway picks it.
 */

export const DEFAULT_SQLITE_FILE = '.data/audit/audit.sqlite';

const USAGE =
  'usage: npm run audit -- verify [--tenant TENANT]\n       npm run audit -- list --tenant TENANT [--first N]';

export interface CliOutput {
  out(line: string): void;
  err(line: string): void;
}

interface Parsed {
  command: 'verify' | 'list';
  tenant?: string;
  first: number;
}

function parse(argv: readonly string[]): Parsed | string {
  const [command, ...rest] = argv;
  if (command !== 'verify' && command !== 'list') return USAGE;
  const parsed: Parsed = { command, first: 20 };
  for (let index = 0; index < rest.length; index += 2) {
    const [flag, value] = [rest[index], rest[index + 1]];
    if (value === undefined || value.startsWith('--')) return `${flag} needs a value\n${USAGE}`;
    if (flag === '--tenant') parsed.tenant = value;
    else if (flag === '--first' && /^[1-9]\d{0,5}$/.test(value)) parsed.first = Number(value);
    else return `unknown option or bad value: ${flag}\n${USAGE}`;
  }
  if (command === 'list' && parsed.tenant === undefined) return `list needs --tenant\n${USAGE}`;
  return parsed;
}

export function describeVerification(result: TenantVerification): string {
  const head = `tenant ${result.tenantId}: ${result.recordsChecked} records checked`;
  if (!result.problem) return `${head}, OK (head at ${result.headSequence})`;
  const { kind, sequence, detail } = result.problem;
  return `${head}, BROKEN at sequence ${sequence} (${kind}): ${detail}`;
}

/** Runs one command; returns the exit code. */
export async function runAuditCli(argv: readonly string[], env: NodeJS.ProcessEnv, output: CliOutput): Promise<number> {
  const parsed = parse(argv);
  if (typeof parsed === 'string') {
    output.err(parsed);
    return 2;
  }
  const sqliteFile = resolve(env.AUDIT_SQLITE_FILE || DEFAULT_SQLITE_FILE);
  // Opening a missing file would create an empty trail and call it intact: a typo must not pass.
  if (!env.AUDIT_DATABASE_URL && !existsSync(sqliteFile)) {
    output.err(`no audit trail at ${sqliteFile} (set AUDIT_SQLITE_FILE or AUDIT_DATABASE_URL)`);
    return 2;
  }
  let store: AuditStore;
  try {
    store = await openAuditStore({
      ...(env.AUDIT_DATABASE_URL ? { databaseUrl: env.AUDIT_DATABASE_URL } : {}),
      sqliteFile,
    });
  } catch (error) {
    // The connection string may hold a password: name the failure, never echo the URL.
    output.err(`cannot open the audit store: ${error instanceof Error ? error.name : 'error'}${codeOf(error)}`);
    return 2;
  }
  try {
    if (parsed.command === 'list') {
      const page = await store.list(parsed.tenant!, { first: parsed.first });
      for (const record of page.records) output.out(JSON.stringify(record));
      return 0;
    }
    const results = await store.verify(parsed.tenant);
    if (results.length === 0) output.out('no audit records');
    for (const result of results) output.out(describeVerification(result));
    return results.some((result) => result.problem) ? 1 : 0;
  } finally {
    await store.close();
  }
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? ` (${code})` : '';
}

if (require.main === module) {
  runAuditCli(process.argv.slice(2), process.env, {
    out: (line) => console.log(line),
    err: (line) => console.error(line),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(`audit failed: ${error instanceof Error ? error.name : 'error'}${codeOf(error)}`);
      process.exitCode = 2;
    },
  );
}
