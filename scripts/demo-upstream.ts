import { join } from 'node:path';
import { MedicalImagingClient } from '@aws-sdk/client-medical-imaging';
import { startHealthImagingLocal, type HealthImagingLocal } from '../healthimaging-local';
import type { EnvSource } from '../src/config';
import { demoNeedsSetup, setUpDemoData } from './demo-setup';
import { DEMO_TENANT_IDS, loadOrCreateDemoState, type DemoState } from './demo-state';
import { demoCredentialEnv, mintDemoToken, writeDemoTenantsFile } from './demo-tenants';

/**
 * The embedded default's upstream, shared by `npm start` (one gateway in process) and
 * `npm run cluster` (N gateway processes): HealthImaging Local with its data in `<dataDir>/hil`,
 * the demo data stores and studies on first start, each tenant's own access key, and the tenants
 * file that points every gateway at it.
 */
export interface DemoUpstream {
  hil: HealthImagingLocal;
  state: DemoState;
  tenantsFile: string;
}

export async function startDemoUpstream(dataDir: string, log: (line: string) => void): Promise<DemoUpstream> {
  const state = loadOrCreateDemoState(dataDir);
  const hilDir = join(dataDir, 'hil');

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
      await setUpDemoData({ client: admin, state, dataDir, s3Dir: hil.admin.s3Dir, log });
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

  const tenantsFile = join(dataDir, 'demo', 'tenants.json');
  writeDemoTenantsFile(tenantsFile, state, hil.url);
  return { hil, state, tenantsFile };
}

/**
 * A gateway's environment over the demo: development mode and the demo's cursor secret unless
 * `base` says otherwise (every replica gets the same secret, so a cursor or id minted by one is
 * accepted by all), and always the demo tenants file and each tenant's HealthImaging Local key.
 */
export function demoGatewayEnv(upstream: DemoUpstream, base: EnvSource): Record<string, string | undefined> {
  return {
    NODE_ENV: 'development',
    CURSOR_SECRET: upstream.state.cursorSecret,
    ...base,
    TENANTS_FILE: upstream.tenantsFile,
    ...demoCredentialEnv(upstream.state),
  };
}

/** Prints, per demo tenant, the headers a person pastes into Apollo Sandbox at `url`. */
export async function printDemoCredentials(state: DemoState, url: string): Promise<void> {
  console.log('');
  console.log(`GraphQL gateway: ${url} (open it in a browser for Apollo Sandbox)`);
  for (const id of DEMO_TENANT_IDS) {
    console.log(`\nTenant "${id}" (data store ${state.tenants[id].datastoreId}): paste one of these headers`);
    console.log('  a user of the hospital: every scope, phi:read and audit:read included (12-hour token)');
    console.log(`  {"Authorization": "Bearer ${await mintDemoToken(state, id)}"}`);
    console.log("  the hospital's own app key: every scope");
    console.log(`  {"x-api-key": "${state.tenants[id].apiKey}"}`);
    console.log(
      "  a partner key: the partner kit's documents only (examples/partner-client), imagesets:read and imagesets:write, no phi:read",
    );
    console.log(`  {"x-api-key": "${state.tenants[id].partnerApiKey}"}`);
  }
  console.log('\nTry: query { viewer { tenantId scopes } datastores { id name } }');
}
