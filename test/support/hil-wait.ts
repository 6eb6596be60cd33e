import {
  CreateDatastoreCommand,
  GetDatastoreCommand,
  GetDICOMImportJobCommand,
  GetImageSetCommand,
  SearchImageSetsCommand,
  StartDICOMImportJobCommand,
  type DICOMImportJobProperties,
  type GetImageSetCommandOutput,
  type MedicalImagingClient,
} from '@aws-sdk/client-medical-imaging';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeStudy, type SyntheticStudySpec } from '../../scripts/synthetic-studies';

/** Polls `check` until it returns a value (not undefined), or fails after `timeoutMs`. */
export async function pollUntil<T>(
  what: string,
  check: () => Promise<T | undefined>,
  { timeoutMs = 10_000, intervalMs = 10 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export async function createActiveDatastore(client: MedicalImagingClient, name = 'test-store'): Promise<string> {
  const created = await client.send(new CreateDatastoreCommand({ datastoreName: name }));
  const id = created.datastoreId!;
  await pollUntil('data store ACTIVE', async () => {
    const got = await client.send(new GetDatastoreCommand({ datastoreId: id }));
    return got.datastoreProperties?.datastoreStatus === 'ACTIVE' ? true : undefined;
  });
  return id;
}

/** Waits until the image set is no longer LOCKED and returns its latest properties. */
export async function waitForUnlocked(
  client: MedicalImagingClient,
  datastoreId: string,
  imageSetId: string,
): Promise<GetImageSetCommandOutput> {
  return pollUntil(`image set ${imageSetId} to leave LOCKED`, async () => {
    const got = await client.send(new GetImageSetCommand({ datastoreId, imageSetId }));
    return got.imageSetState === 'LOCKED' ? undefined : got;
  });
}

export const TEST_ROLE_ARN = 'arn:aws:iam::123456789012:role/HealthImagingLocalImport';

/** Writes a synthetic study under `s3://<bucket>/<prefix>/in/` and starts an import job of it; returns the job id. */
export async function startSyntheticImport(
  client: MedicalImagingClient,
  s3Dir: string,
  datastoreId: string,
  spec: SyntheticStudySpec,
  prefix: string,
  bucket = 'test-bucket',
): Promise<string> {
  const inputDir = join(s3Dir, bucket, prefix, 'in');
  await mkdir(inputDir, { recursive: true });
  await writeStudy(inputDir, spec);
  const job = await client.send(
    new StartDICOMImportJobCommand({
      datastoreId,
      dataAccessRoleArn: TEST_ROLE_ARN,
      inputS3Uri: `s3://${bucket}/${prefix}/in/`,
      outputS3Uri: `s3://${bucket}/${prefix}/out/`,
    }),
  );
  return job.jobId!;
}

/** Waits until an import job is COMPLETED or FAILED and returns its properties. */
export async function waitForJobEnd(
  client: MedicalImagingClient,
  datastoreId: string,
  jobId: string,
  timeoutMs = 60_000,
): Promise<DICOMImportJobProperties> {
  return pollUntil(
    'import job to end',
    async () => {
      const job = (await client.send(new GetDICOMImportJobCommand({ datastoreId, jobId }))).jobProperties!;
      return job.jobStatus === 'COMPLETED' || job.jobStatus === 'FAILED' ? job : undefined;
    },
    { timeoutMs },
  );
}

/**
 * Imports a synthetic study through the public API (files under the stand-in's S3 root, then
 * StartDICOMImportJob) and returns the image set ids it produced, one per series.
 */
export async function importSyntheticStudy(
  client: MedicalImagingClient,
  s3Dir: string,
  datastoreId: string,
  spec: SyntheticStudySpec,
  prefix = `${spec.seed}-${Date.now()}`,
): Promise<{ jobId: string; imageSetIds: string[] }> {
  const jobId = await startSyntheticImport(client, s3Dir, datastoreId, spec, prefix);
  const { jobStatus } = await waitForJobEnd(client, datastoreId, jobId);
  if (jobStatus !== 'COMPLETED') throw new Error(`import job ended ${jobStatus}`);
  const found = await client.send(new SearchImageSetsCommand({ datastoreId, maxResults: 50 }));
  const ids = (found.imageSetsMetadataSummaries ?? [])
    .filter((s) => s.DICOMTags?.DICOMAccessionNumber === spec.accessionNumber)
    .map((s) => s.imageSetId!);
  return { jobId, imageSetIds: ids };
}
