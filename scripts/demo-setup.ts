import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CreateDatastoreCommand,
  GetDatastoreCommand,
  GetDICOMImportJobCommand,
  MedicalImagingClient,
  StartDICOMImportJobCommand,
} from '@aws-sdk/client-medical-imaging';
import { DEMO_TENANT_IDS, type DemoState, saveDemoState } from './demo-state';
import { DEMO_TENANT_STUDIES, writeStudy } from './synthetic-studies';

/**
 * Brings HealthImaging Local to the demo's starting point through its public API only, exactly as
 * an operator would with the AWS SDK: one data store per demo tenant, then one DICOM import job of
 * that tenant's synthetic studies. Each step is recorded in the demo state, so an interrupted
 * first start resumes and a second start does nothing here.
 */
export const DEMO_BUCKET = 'demo-imports';
const DEMO_ROLE_ARN = 'arn:aws:iam::123456789012:role/HealthImagingLocalImport';
const POLL_MS = 100;
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
    await waitFor(async () => {
      const got = await client.send(new GetDatastoreCommand({ datastoreId: tenant.datastoreId }));
      return got.datastoreProperties?.datastoreStatus === 'ACTIVE';
    }, `data store of tenant ${tenantId} to become ACTIVE`);

    if (!tenant.imported) {
      const prefix = `${tenantId}/studies`;
      const inputDir = join(s3Dir, DEMO_BUCKET, prefix);
      await rm(inputDir, { recursive: true, force: true });
      await mkdir(inputDir, { recursive: true });
      let files = 0;
      for (const spec of DEMO_TENANT_STUDIES[tenantId]) files += (await writeStudy(inputDir, spec)).length;
      const job = await client.send(
        new StartDICOMImportJobCommand({
          datastoreId: tenant.datastoreId,
          jobName: `demo-${tenantId}`,
          dataAccessRoleArn: DEMO_ROLE_ARN,
          inputS3Uri: `s3://${DEMO_BUCKET}/${prefix}/`,
          outputS3Uri: `s3://${DEMO_BUCKET}/${tenantId}/import-output/`,
        }),
      );
      let status = '';
      await waitFor(async () => {
        const got = await client.send(new GetDICOMImportJobCommand({ datastoreId: tenant.datastoreId, jobId: job.jobId }));
        status = got.jobProperties?.jobStatus ?? '';
        return status === 'COMPLETED' || status === 'FAILED';
      }, `import job of tenant ${tenantId}`);
      if (status !== 'COMPLETED') throw new Error(`The demo import of tenant ${tenantId} ended ${status}.`);
      tenant.imported = true;
      saveDemoState(dataDir, state);
      log(`imported ${files} synthetic DICOM instances for tenant ${tenantId}`);
    }
  }
}

async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + TIMEOUT_MS;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
