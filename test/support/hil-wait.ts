import {
  GetImageSetCommand,
  SearchImageSetsCommand,
  type GetImageSetCommandOutput,
  type MedicalImagingClient,
} from '@aws-sdk/client-medical-imaging';
import {
  IMPORT_ROLE_ARN,
  createActiveDatastore as createActiveDatastoreVia,
  pollUntil,
  startStudyImport,
  waitForImportJob,
} from '../../scripts/hil-provisioning';
import type { SyntheticStudySpec } from '../../scripts/synthetic-studies';

export { pollUntil };

export function createActiveDatastore(client: MedicalImagingClient, name = 'test-store'): Promise<string> {
  return createActiveDatastoreVia(client, name);
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

export const TEST_ROLE_ARN = IMPORT_ROLE_ARN;

/** Writes a synthetic study under `s3://<bucket>/<prefix>/in/` and starts an import job of it; returns the job id. */
export async function startSyntheticImport(
  client: MedicalImagingClient,
  s3Dir: string,
  datastoreId: string,
  spec: SyntheticStudySpec,
  prefix: string,
  bucket = 'test-bucket',
): Promise<string> {
  return (await startStudyImport(client, { s3Dir, datastoreId, studies: [spec], bucket, prefix })).jobId;
}

/** Waits until an import job is COMPLETED or FAILED and returns its properties. */
export const waitForJobEnd = waitForImportJob;

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
