import { CreateDatastoreCommand, type MedicalImagingClient } from '@aws-sdk/client-medical-imaging';
import { DEMO_TENANT_IDS, type DemoState, saveDemoState } from './demo-state';
import { importStudies, waitForActiveDatastore } from './hil-provisioning';
import { DEMO_TENANT_STUDIES } from './synthetic-studies';

/**
 * Brings HealthImaging Local to the demo's starting point through its public API only, exactly as
 * an operator would with the AWS SDK: one data store per demo tenant, then one DICOM import job of
 * that tenant's synthetic studies. Each step is recorded in the demo state, so an interrupted
 * first start resumes and a second start does nothing here.
 */
export const DEMO_BUCKET = 'demo-imports';
const TIMEOUT_MS = 120_000;

export function demoNeedsSetup(state: DemoState): boolean {
  return DEMO_TENANT_IDS.some((id) => !state.tenants[id].datastoreId || !state.tenants[id].imported);
}

export async function setUpDemoData(opts: {
  client: MedicalImagingClient;
  state: DemoState;
  dataDir: string;
  s3Dir: string;
  log: (line: string) => void;
}): Promise<void> {
  const { client, state, dataDir, s3Dir, log } = opts;
  for (const tenantId of DEMO_TENANT_IDS) {
    const tenant = state.tenants[tenantId];
    if (!tenant.datastoreId) {
      const created = await client.send(new CreateDatastoreCommand({ datastoreName: `demo-${tenantId}` }));
      tenant.datastoreId = created.datastoreId!;
      saveDemoState(dataDir, state);
      log(`created data store ${tenant.datastoreId} for tenant ${tenantId}`);
    }
    await waitForActiveDatastore(client, tenant.datastoreId, TIMEOUT_MS);

    if (!tenant.imported) {
      const { files } = await importStudies(
        client,
        {
          s3Dir,
          datastoreId: tenant.datastoreId,
          studies: DEMO_TENANT_STUDIES[tenantId],
          bucket: DEMO_BUCKET,
          prefix: tenantId,
          jobName: `demo-${tenantId}`,
          replaceInput: true,
        },
        TIMEOUT_MS,
      );
      tenant.imported = true;
      saveDemoState(dataDir, state);
      log(`imported ${files} synthetic DICOM instances for tenant ${tenantId}`);
    }
  }
}
