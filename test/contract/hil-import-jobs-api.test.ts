import {
  GetDICOMImportJobCommand,
  ListDICOMImportJobsCommand,
  paginateListDICOMImportJobs,
  StartDICOMImportJobCommand,
} from '@aws-sdk/client-medical-imaging';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { smallCtStudy } from '../../scripts/synthetic-studies';
import { startTestHil, type TestHil } from '../support/hil-client';
import { expectServiceError } from '../support/hil-errors';
import { TEST_ROLE_ARN, createActiveDatastore, importSyntheticStudy, pollUntil } from '../support/hil-wait';

describe('HealthImaging Local import job API', () => {
  let t: TestHil;
  let datastoreId: string;
  beforeAll(async () => {
    t = await startTestHil();
    datastoreId = await createActiveDatastore(t.client());
  });
  afterAll(async () => t.close());

  it('runs a job SUBMITTED to COMPLETED and writes the manifest under the mapped S3 output', async () => {
    const client = t.client();
    const { jobId } = await importSyntheticStudy(client, t.s3Dir, datastoreId, smallCtStudy, 'manifest-case');
    const job = await client.send(new GetDICOMImportJobCommand({ datastoreId, jobId }));
    expect(job.jobProperties).toMatchObject({
      jobId,
      jobStatus: 'COMPLETED',
      datastoreId,
      dataAccessRoleArn: TEST_ROLE_ARN,
      inputS3Uri: 's3://test-bucket/manifest-case/in/',
      outputS3Uri: 's3://test-bucket/manifest-case/out/',
    });
    expect(job.jobProperties!.jobName).toBeTruthy();
    expect(job.jobProperties!.endedAt!.getTime()).toBeGreaterThanOrEqual(job.jobProperties!.submittedAt!.getTime());
    const manifest = join(
      t.s3Dir,
      'test-bucket',
      'manifest-case',
      'out',
      `${datastoreId}-DicomImport-${jobId}`,
      'job-output-manifest.json',
    );
    expect(existsSync(manifest)).toBe(true);
    expect(JSON.parse(readFileSync(manifest, 'utf8')).jobSummary.numberOfImportedFiles).toBe(6);
  });

  it('answers SUBMITTED at once, returns the first answer for a repeated clientToken and refuses the token with another request', async () => {
    const client = t.client();
    const input = {
      datastoreId,
      jobName: 'idempotent-job',
      dataAccessRoleArn: TEST_ROLE_ARN,
      clientToken: 'import-token-1',
      inputS3Uri: 's3://test-bucket/missing-input/',
      outputS3Uri: 's3://test-bucket/missing-output/',
    };
    const first = await client.send(new StartDICOMImportJobCommand(input));
    expect(first.jobStatus).toBe('SUBMITTED');
    expect(first.submittedAt).toBeInstanceOf(Date);
    const second = await client.send(new StartDICOMImportJobCommand(input));
    expect(second).toMatchObject({ jobId: first.jobId, jobStatus: 'SUBMITTED', submittedAt: first.submittedAt });
    await expectServiceError(
      () => client.send(new StartDICOMImportJobCommand({ ...input, inputS3Uri: 's3://test-bucket/other-input/' })),
      'ConflictException',
      409,
    );
  });

  it('fails a job whose input location does not exist, with a message', async () => {
    const client = t.client();
    const started = await client.send(
      new StartDICOMImportJobCommand({
        datastoreId,
        dataAccessRoleArn: TEST_ROLE_ARN,
        inputS3Uri: 's3://test-bucket/nowhere/',
        outputS3Uri: 's3://test-bucket/nowhere-out/',
      }),
    );
    const job = await pollUntil('job end', async () => {
      const got = await client.send(new GetDICOMImportJobCommand({ datastoreId, jobId: started.jobId }));
      return got.jobProperties?.jobStatus === 'FAILED' ? got.jobProperties : undefined;
    });
    expect(job.message).toMatch(/input/i);
  });

  it('lists jobs newest first, by status, across pages', async () => {
    const client = t.client();
    const ids: string[] = [];
    for await (const page of paginateListDICOMImportJobs({ client, pageSize: 1 }, { datastoreId })) {
      for (const j of page.jobSummaries!) ids.push(j.jobId!);
    }
    expect(ids.length).toBeGreaterThanOrEqual(3);
    expect(new Set(ids).size).toBe(ids.length);
    const completed = await client.send(new ListDICOMImportJobsCommand({ datastoreId, jobStatus: 'COMPLETED' }));
    expect(completed.jobSummaries!.every((j) => j.jobStatus === 'COMPLETED')).toBe(true);
  });

  it('rejects bad role ARNs, S3 URIs, job ids and unknown jobs', async () => {
    const client = t.client();
    const base = {
      datastoreId,
      dataAccessRoleArn: TEST_ROLE_ARN,
      inputS3Uri: 's3://test-bucket/a/',
      outputS3Uri: 's3://test-bucket/b/',
    };
    await expectServiceError(
      () => client.send(new StartDICOMImportJobCommand({ ...base, dataAccessRoleArn: 'not-a-role' })),
      'ValidationException',
      400,
    );
    await expectServiceError(
      () => client.send(new StartDICOMImportJobCommand({ ...base, inputS3Uri: 'http://bucket/x' })),
      'ValidationException',
      400,
    );
    await expectServiceError(
      () => client.send(new GetDICOMImportJobCommand({ datastoreId, jobId: 'BAD_ID' })),
      'ValidationException',
      400,
    );
    await expectServiceError(
      () => client.send(new GetDICOMImportJobCommand({ datastoreId, jobId: 'a'.repeat(32) })),
      'ResourceNotFoundException',
      404,
    );
  });
});
