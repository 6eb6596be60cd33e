import { SearchImageSetsCommand, StartDICOMImportJobCommand } from '@aws-sdk/client-medical-imaging';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { smallCtStudy, writeStudy } from '../../scripts/synthetic-studies';
import { startTestHil, type TestHil } from '../support/hil-client';
import { TEST_ROLE_ARN, createActiveDatastore, waitForJobEnd } from '../support/hil-wait';
import { present } from '../support/present';

/**
 * S3 prefix semantics over the stand-in's S3 folder: keys are strings matched by prefix, `..`
 * is a literal key segment, links cannot lead outside the folder, and the output location must
 * exist like an S3 bucket must. Each case runs a real import job through the SDK.
 */
describe('HealthImaging Local S3 prefixes', () => {
  let t: TestHil;
  let outside: string;
  const studyFiles: string[] = [];

  beforeAll(async () => {
    t = await startTestHil();
    outside = mkdtempSync(join(tmpdir(), 'hil-outside-'));
    studyFiles.push(...(await writeStudy(join(t.s3Dir, 'victim', 'good'), smallCtStudy)));
    await writeStudy(outside, { ...smallCtStudy, seed: 'outside', accessionNumber: 'OUTSIDE' });
    mkdirSync(join(t.s3Dir, 'attacker'));
    mkdirSync(join(t.s3Dir, 'out'));
    writeFileSync(join(t.s3Dir, 'out', 'taken'), 'an object, not a folder');
    symlinkSync(outside, join(t.s3Dir, 'linked'));
    symlinkSync(outside, join(t.s3Dir, 'victim', 'good-link'));
  });
  afterAll(async () => {
    await t.close();
    rmSync(outside, { recursive: true, force: true });
  });

  async function importJob(inputS3Uri: string, outputS3Uri = 's3://out/reports/') {
    const client = t.client();
    const datastoreId = await createActiveDatastore(client);
    const { jobId } = await client.send(
      new StartDICOMImportJobCommand({ datastoreId, dataAccessRoleArn: TEST_ROLE_ARN, inputS3Uri, outputS3Uri }),
    );
    const job = await waitForJobEnd(client, datastoreId, jobId!);
    const found = await client.send(new SearchImageSetsCommand({ datastoreId }));
    return { job, imageSets: found.imageSetsMetadataSummaries ?? [] };
  }

  it('treats `..` as a literal key segment: s3://attacker/.. and s3://attacker/../victim/ read nothing of other buckets', async () => {
    // No key of the bucket starts with "..": the job reads nothing and completes empty.
    const dots = await importJob('s3://attacker/..');
    expect(dots.imageSets).toEqual([]);
    const folder = join(t.s3Dir, 'out', 'reports', `${dots.job.datastoreId}-DicomImport-${dots.job.jobId}`);
    const manifest = JSON.parse(readFileSync(join(folder, 'job-output-manifest.json'), 'utf8')) as {
      jobSummary: Record<string, unknown>;
    };
    expect(manifest.jobSummary).toMatchObject({ numberOfScannedFiles: 0, numberOfGeneratedImageSets: 0 });
    // A `..` segment before the last `/` names a folder no key can be in.
    for (const uri of ['s3://attacker/../victim/', 's3://attacker/../victim/good/']) {
      const { job, imageSets } = await importJob(uri);
      expect(imageSets).toEqual([]);
      expect(job).toMatchObject({
        jobStatus: 'FAILED',
        message: 'INVALID_REQUEST: No object in the input S3 bucket has a key starting with the input prefix',
      });
    }
  });

  it('does not follow a bucket or a key that is a link to outside the S3 folder', async () => {
    const bucket = await importJob('s3://linked/');
    expect(bucket.job).toMatchObject({
      jobStatus: 'FAILED',
      message: 'INVALID_REQUEST: The input S3 bucket linked is not accessible',
    });
    expect(bucket.imageSets).toEqual([]);
    const key = await importJob('s3://victim/good-link/');
    expect(key.imageSets).toEqual([]);
  });

  it('matches a partial key (.../goo for .../good/) and a prefix naming one object, as S3 does', async () => {
    const partial = await importJob('s3://victim/goo');
    expect(partial.job.jobStatus).toBe('COMPLETED');
    expect(partial.imageSets).toHaveLength(2);
    const oneKey = relative(join(t.s3Dir, 'victim'), present(studyFiles[0], 'a study file')).split('\\').join('/');
    const single = await importJob(`s3://victim/${oneKey}`);
    expect(single.job.jobStatus).toBe('COMPLETED');
    expect(single.imageSets).toHaveLength(1);
    const manifest = JSON.parse(
      readFileSync(
        join(
          t.s3Dir,
          'out',
          'reports',
          `${single.job.datastoreId}-DicomImport-${single.job.jobId}`,
          'SUCCESS',
          'success.ndjson',
        ),
        'utf8',
      ),
    ) as { inputFile: string };
    expect(manifest.inputFile).toBe(oneKey);
  });

  it('fails a job whose output bucket does not exist, without creating it', async () => {
    const { job } = await importJob('s3://victim/good/', 's3://no-such-bucket/reports/');
    expect(job).toMatchObject({
      jobStatus: 'FAILED',
      message: 'INVALID_REQUEST: The output S3 bucket no-such-bucket does not exist',
    });
    expect(existsSync(join(t.s3Dir, 'no-such-bucket'))).toBe(false);
  });

  it('fails with a specific message when the output prefix runs through an object or holds `..`', async () => {
    const through = await importJob('s3://victim/good/', 's3://out/taken/reports/');
    expect(through.job.message).toBe(
      'INVALID_REQUEST: The output S3 prefix runs through an existing object, which HealthImaging Local cannot store',
    );
    const dots = await importJob('s3://victim/good/', 's3://out/../victim/');
    expect(dots.job.message).toBe(
      'INVALID_REQUEST: The output S3 prefix has an empty, "." or ".." segment, which HealthImaging Local cannot store',
    );
    expect(existsSync(join(t.s3Dir, 'victim', `${dots.job.datastoreId}-DicomImport-${dots.job.jobId}`))).toBe(false);
  });
});
