import { parseArgs } from 'node:util';
import { parseFaultSpec, parseRateLimits, startHealthImagingLocal, DEFAULT_ACCESS_KEY } from './index';
import type { AccessKeyGrant, FaultSpec, HealthImagingLocalOptions } from './index';

/**
 * `npm run healthimaging-local -- --port 4566 --data-dir .data/hil`. The only module that reads
 * process.argv / process.env.
 */
const USAGE = `Usage: healthimaging-local [options]
  --port N                 TCP port (default 4566; 0 picks a free one)
  --host ADDR              interface to bind (default 127.0.0.1)
  --data-dir DIR           database and S3 root (default .data/hil)
  --in-memory              keep nothing on disk (S3 root: --s3-dir or a temp dir)
  --s3-dir DIR             directory that s3://bucket/prefix maps to (default <data-dir>/s3)
  --write-delay-ms N       delay before Update/Copy/Delete complete (default 200)
  --datastore-delay-ms N   delay of data store CREATING/DELETING (default 200)
  --max-import-files N     files one import job may read (default 5000, the service quota)
  --import-lock-wait-ms N  how long an import waits for a LOCKED primary image set (default 60000)
  --access-key ID:SECRET[:DS1,DS2|*]  accepted key (repeatable; default: the printed key pair)
  --account-id ID          account id in ARNs (default 123456789012)
  --fault OP=MODE          throttle|error|latency:MS|hang[:count] (repeatable)
  --rate-limits SPEC       quota | Op=RATE/BURST,...
  --verbose                log recovery and import lines to stderr
`;

function parseAccessKey(text: string): AccessKeyGrant {
  const [accessKeyId, secretAccessKey, grant] = text.split(':');
  if (!accessKeyId || !secretAccessKey) throw new Error(`invalid --access-key "${accessKeyId ?? ''}:…"`);
  return {
    accessKeyId,
    secretAccessKey,
    datastores: !grant || grant === '*' ? '*' : grant.split(',').filter(Boolean),
  };
}

function integer(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new Error(`${name} must be a non-negative integer`);
  return Number(value);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      'in-memory': { type: 'boolean' },
      's3-dir': { type: 'string' },
      'write-delay-ms': { type: 'string' },
      'datastore-delay-ms': { type: 'string' },
      'max-import-files': { type: 'string' },
      'import-lock-wait-ms': { type: 'string' },
      'access-key': { type: 'string', multiple: true },
      'account-id': { type: 'string' },
      fault: { type: 'string', multiple: true },
      'rate-limits': { type: 'string' },
      verbose: { type: 'boolean' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const accessKeys = (values['access-key'] ?? []).map(parseAccessKey);
  const faults: FaultSpec[] = (values.fault ?? []).map(parseFaultSpec);
  const options: HealthImagingLocalOptions = {
    port: integer('--port', values.port) ?? 4566,
    host: values.host,
    inMemory: values['in-memory'] ?? false,
    dataDir: values['in-memory'] ? undefined : (values['data-dir'] ?? '.data/hil'),
    s3Dir: values['s3-dir'],
    writeDelayMs: integer('--write-delay-ms', values['write-delay-ms']),
    datastoreDelayMs: integer('--datastore-delay-ms', values['datastore-delay-ms']),
    maxImportFiles: integer('--max-import-files', values['max-import-files']),
    importLockWaitMs: integer('--import-lock-wait-ms', values['import-lock-wait-ms']),
    accessKeys: accessKeys.length ? accessKeys : undefined,
    accountId: values['account-id'],
    faults,
    rateLimits: values['rate-limits'] ? parseRateLimits(values['rate-limits']) : undefined,
    log: values.verbose ? (line) => process.stderr.write(`${line}\n`) : undefined,
  };
  const hil = await startHealthImagingLocal(options);
  process.stdout.write(`HealthImaging Local listening on ${hil.url}\n`);
  if (!accessKeys.length) {
    process.stdout.write(`AWS_ACCESS_KEY_ID=${DEFAULT_ACCESS_KEY.accessKeyId}\n`);
    process.stdout.write(`AWS_SECRET_ACCESS_KEY=${DEFAULT_ACCESS_KEY.secretAccessKey}\n`);
  }
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    hil.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`healthimaging-local: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
