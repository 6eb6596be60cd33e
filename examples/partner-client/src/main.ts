import { parseArgs } from 'node:util';
import type { Credentials } from './credentials';
import { runPartnerFlow } from './partner-flow';
import { TRUSTED_DOCUMENT_IDS } from './persisted-documents';

/**
 * The partner kit's command line, `npm run partner-client -- [options]`. Runs the main flow
 * against a gateway and prints what it does; `--documents` prints the trusted document ids to
 * register instead. Exit code 0 when the flow ended well (or there was nothing to update), 1 when
 * the update failed or anything else went wrong.
 */
const USAGE = `usage: npm run partner-client -- --api-key KEY | --token JWT [options]
  --url URL           the gateway's GraphQL endpoint (default http://127.0.0.1:4000/graphql)
  --api-key KEY       a partner API key (sent as x-api-key)
  --token JWT         a user's token instead (sent as Authorization: Bearer)
  --datastore ID      the data store (default: the first ACTIVE one granted)
  --image-set ID      the image set to update (default: the least recently updated)
  --time-point VALUE  the LongitudinalTemporalEventType to write: BASELINE (default) or ENROLLMENT
  --page-size N       image sets per page (default 5)
  --simulate-conflict write once more just before the update, to show the VERSION_CONFLICT retry
  --documents         print the kit's trusted document ids, for the tenants file, and exit`;

const OPTIONS = {
  url: { type: 'string', default: 'http://127.0.0.1:4000/graphql' },
  'api-key': { type: 'string' },
  token: { type: 'string' },
  datastore: { type: 'string' },
  'image-set': { type: 'string' },
  'time-point': { type: 'string' },
  'page-size': { type: 'string' },
  'simulate-conflict': { type: 'boolean', default: false },
  documents: { type: 'boolean', default: false },
  help: { type: 'boolean', default: false },
} as const;

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS });
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  const { values } = parsed;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (values.documents) {
    console.log(JSON.stringify({ trustedDocuments: TRUSTED_DOCUMENT_IDS }, null, 2));
    return 0;
  }
  const credentials = credentialsOf(values['api-key'], values.token);
  if (!credentials) {
    console.error(USAGE);
    return 2;
  }
  const pageSize = values['page-size'] === undefined ? undefined : Number(values['page-size']);
  if (pageSize !== undefined && !(Number.isInteger(pageSize) && pageSize >= 1 && pageSize <= 50)) {
    console.error('--page-size must be a whole number from 1 to 50');
    return 2;
  }
  console.log(`Partner kit against ${values.url}`);
  const report = await runPartnerFlow({
    url: values.url,
    credentials,
    ...(values.datastore !== undefined ? { datastoreId: values.datastore } : {}),
    ...(values['image-set'] !== undefined ? { imageSetId: values['image-set'] } : {}),
    ...(values['time-point'] !== undefined ? { timePoint: values['time-point'] } : {}),
    ...(pageSize !== undefined ? { pageSize } : {}),
    simulateConflict: values['simulate-conflict'],
    log: (line) => console.log(line),
  });
  return report.update?.final?.workflowStatus === 'UPDATE_FAILED' ? 1 : 0;
}

function credentialsOf(apiKey: string | undefined, token: string | undefined): Credentials | undefined {
  if (apiKey !== undefined && token === undefined) return { apiKey };
  if (token !== undefined && apiKey === undefined) return { bearerToken: token };
  return undefined;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`partner-client: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
