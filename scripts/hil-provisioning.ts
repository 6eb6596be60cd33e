import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CreateDatastoreCommand,
  GetDatastoreCommand,
  GetDICOMImportJobCommand,
  StartDICOMImportJobCommand,
  type DICOMImportJobProperties,
  type MedicalImagingClient,
} from '@aws-sdk/client-medical-imaging';
import { writeStudy, type SyntheticStudySpec } from './synthetic-studies';

/**
 * Provisioning through HealthImaging's public API, exactly as an operator would do it with the
 * AWS SDK: data stores that reach ACTIVE, and DICOM import jobs of synthetic studies written under
 * the stand-in's S3 root. Shared by the embedded-default launcher, the benchmarks and the tests.
 */
export const IMPORT_ROLE_ARN = 'arn:aws:iam::123456789012:role/HealthImagingLocalImport';

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
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export async function waitForActiveDatastore(
  client: MedicalImagingClient,
  datastoreId: string,
  timeoutMs = 10_000,
): Promise<void> {
  await pollUntil(
    `data store ${datastoreId} to become ACTIVE`,
    async () => {
      const got = await client.send(new GetDatastoreCommand({ datastoreId }));
      return got.datastoreProperties?.datastoreStatus === 'ACTIVE' ? true : undefined;
    },
    { timeoutMs },
  );
}

export async function createActiveDatastore(
  client: MedicalImagingClient,
  name: string,
  timeoutMs?: number,
): Promise<string> {
  const created = await client.send(new CreateDatastoreCommand({ datastoreName: name }));
  await waitForActiveDatastore(client, created.datastoreId!, timeoutMs);
  return created.datastoreId!;
}

export interface StudyImport {
  s3Dir: string;
  datastoreId: string;
  studies: SyntheticStudySpec[];
  /** Files go to `s3://<bucket>/<prefix>/in/`, the job's reports to `s3://<bucket>/<prefix>/out/`. */
  bucket: string;
  prefix: string;
  jobName?: string;
  /** Delete what an earlier, interrupted attempt left in the input folder first. */
  replaceInput?: boolean;
}

/** Writes the studies under the S3 root and starts one import job of that folder. */
export async function startStudyImport(
  client: MedicalImagingClient,
  job: StudyImport,
): Promise<{ jobId: string; files: number }> {
  const inputDir = join(job.s3Dir, job.bucket, job.prefix, 'in');
  if (job.replaceInput) await rm(inputDir, { recursive: true, force: true });
  await mkdir(inputDir, { recursive: true });
  let files = 0;
  for (const spec of job.studies) files += (await writeStudy(inputDir, spec)).length;
  const started = await client.send(
    new StartDICOMImportJobCommand({
      datastoreId: job.datastoreId,
      ...(job.jobName ? { jobName: job.jobName } : {}),
      dataAccessRoleArn: IMPORT_ROLE_ARN,
      inputS3Uri: `s3://${job.bucket}/${job.prefix}/in/`,
      outputS3Uri: `s3://${job.bucket}/${job.prefix}/out/`,
    }),
  );
  return { jobId: started.jobId!, files };
}

/** Waits until an import job is COMPLETED or FAILED and returns its properties. */
export async function waitForImportJob(
  client: MedicalImagingClient,
  datastoreId: string,
  jobId: string,
  timeoutMs = 60_000,
): Promise<DICOMImportJobProperties> {
  return pollUntil(
    `import job ${jobId} to end`,
    async () => {
      const job = (await client.send(new GetDICOMImportJobCommand({ datastoreId, jobId }))).jobProperties!;
      return job.jobStatus === 'COMPLETED' || job.jobStatus === 'FAILED' ? job : undefined;
    },
    { timeoutMs, intervalMs: 20 },
  );
}

/** Imports the studies with one job and fails unless it COMPLETED. */
export async function importStudies(
  client: MedicalImagingClient,
  job: StudyImport,
  timeoutMs?: number,
): Promise<{ jobId: string; files: number }> {
  const started = await startStudyImport(client, job);
  const { jobStatus } = await waitForImportJob(client, job.datastoreId, started.jobId, timeoutMs);
  if (jobStatus !== 'COMPLETED') throw new Error(`The import job ${started.jobId} ended ${jobStatus}.`);
  return started;
}
