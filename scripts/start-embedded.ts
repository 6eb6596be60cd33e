import 'reflect-metadata';
import { join, resolve } from 'node:path';
import { MedicalImagingClient } from '@aws-sdk/client-medical-imaging';
import { startHealthImagingLocal } from '../healthimaging-local';
import { startGatewayServer } from '../src/main';
import { demoNeedsSetup, setUpDemoData } from './demo-setup';
import { DEMO_TENANT_IDS, loadOrCreateDemoState } from './demo-state';
import { demoCredentialEnv, mintDemoToken, writeDemoTenantsFile } from './demo-tenants';

/**
 * `npm start`. With `HEALTHIMAGING_ENDPOINT` or `AWS_REGION` set, it is the plain gateway over
 * that upstream (the operator's TENANTS_FILE) and starts nothing local. Otherwise it is the
 * embedded default: HealthImaging Local with its data in `.data/`, one data store per demo tenant
 * filled with synthetic studies on first start, and the gateway over it, with credentials printed.
 */
const DATA_DIR = resolve(process.env.DATA_DIR ?? '.data');

async function startEmbedded(): Promise<void> {
  const state = loadOrCreateDemoState(DATA_DIR);
  const log = (line: string): void => console.log(`[embedded] ${line}`);
  const hilDir = join(DATA_DIR, 'hil');

  const hil = await startHealthImagingLocal({
    port: 0,
    dataDir: hilDir,
    accessKeys: [{ accessKeyId: state.adminAccessKeyId, secretAccessKey: state.adminSecretAccessKey, datastores: '*' }],
  });
  log(`HealthImaging Local listening on ${hil.url} (data in ${hilDir})`);

  if (demoNeedsSetup(state)) {
    log('first start: creating demo data stores and importing synthetic studies (a few seconds)');
    const admin = new MedicalImagingClient({
      region: 'us-east-1',
      endpoint: hil.url,
      disableHostPrefix: true,
      credentials: { accessKeyId: state.adminAccessKeyId, secretAccessKey: state.adminSecretAccessKey },
    });
    try {
      await setUpDemoData({ client: admin, state, dataDir: DATA_DIR, s3Dir: hil.admin.s3Dir, log });
    } finally {
      admin.destroy();
    }
  } else {
    log('reusing the demo data from an earlier start');
  }
  // Each tenant's gateway client signs with a key that reaches only that tenant's data store.
  for (const id of DEMO_TENANT_IDS) {
    const tenant = state.tenants[id];
    hil.admin.accessKeys.add({
      accessKeyId: tenant.accessKeyId,
      secretAccessKey: tenant.secretAccessKey,
      datastores: [tenant.datastoreId!],
    });
  }

  const tenantsFile = join(DATA_DIR, 'demo', 'tenants.json');
  writeDemoTenantsFile(tenantsFile, state, hil.url);
  const gateway = await startGatewayServer({
    NODE_ENV: 'development',
    CURSOR_SECRET: state.cursorSecret,
    ...process.env,
    TENANTS_FILE: tenantsFile,
    ...demoCredentialEnv(state),
  });

  console.log('');
  console.log(`GraphQL gateway: ${gateway.url} (open it in a browser for Apollo Sandbox)`);
  for (const id of DEMO_TENANT_IDS) {
    console.log(`\nTenant "${id}" (data store ${state.tenants[id].datastoreId}): paste one of these headers`);
    console.log('  a user of the hospital: every scope, phi:read and audit:read included (12-hour token)');
    console.log(`  {"Authorization": "Bearer ${await mintDemoToken(state, id)}"}`);
    console.log("  the hospital's own app key: every scope");
    console.log(`  {"x-api-key": "${state.tenants[id].apiKey}"}`);
    console.log('  a partner key: imagesets:read only, no phi:read (patient-identifying attributes are withheld)');
    console.log(`  {"x-api-key": "${state.tenants[id].partnerApiKey}"}`);
  }
  console.log('\nTry: query { viewer { tenantId scopes } datastores { id name } }');

  const stop = (): void => {
    void gateway
      .close()
      .then(() => hil.close())
      .finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

async function run(): Promise<void> {
  if (process.env.HEALTHIMAGING_ENDPOINT || process.env.AWS_REGION) {
    const gateway = await startGatewayServer(process.env);
    const stop = (): void => void gateway.close().finally(() => process.exit(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    return;
  }
  await startEmbedded();
}

run().catch((error: unknown) => {
  // Operator-facing: the message only (config errors name the variable); never a stack.
  console.error(`npm start failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
