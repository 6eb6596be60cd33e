/**
 * StartDICOMImportJob against image sets that other writes hold LOCKED, and against the per-job
 * input quota, through the real SDK: a job adds to a LOCKED primary image set only once the lock
 * ends (on top of the write that held it), fails the files of a primary that stays locked as
 * ConflictException lines while still COMPLETING, and refuses an input over the files quota.
 */
import {
  GetDICOMImportJobCommand,
  GetImageSetCommand,
  ListImageSetVersionsCommand,
  SearchImageSetsCommand,
  UpdateImageSetMetadataCommand,
  type MedicalImagingClient,
} from '@aws-sdk/client-medical-imaging';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { smallCtStudy } from '../../scripts/synthetic-studies';
import { startTestHil, type TestHil } from '../support/hil-client';
import {
  createActiveDatastore,
  importSyntheticStudy,
  pollUntil,
  startSyntheticImport,
  waitForJobEnd,
} from '../support/hil-wait';
import { atLeast, type AtLeast } from '../support/present';

const startJob = (t: TestHil, client: MedicalImagingClient, datastoreId: string, prefix: string): Promise<string> =>
  startSyntheticImport(client, t.s3Dir, datastoreId, smallCtStudy, prefix, 'lock-bucket');

async function jobStatus(client: MedicalImagingClient, datastoreId: string, jobId: string) {
  return (await client.send(new GetDICOMImportJobCommand({ datastoreId, jobId }))).jobProperties!;
}

const jobEnd = (client: MedicalImagingClient, datastoreId: string, jobId: string) =>
  waitForJobEnd(client, datastoreId, jobId, 30_000);

function report(t: TestHil, datastoreId: string, prefix: string, jobId: string) {
  const folder = join(t.s3Dir, 'lock-bucket', prefix, 'out', `${datastoreId}-DicomImport-${jobId}`);
  const ndjson = (file: string) =>
    readFileSync(join(folder, file), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line));
  return {
    manifest: JSON.parse(readFileSync(join(folder, 'job-output-manifest.json'), 'utf8')),
    successes: ndjson('SUCCESS/success.ndjson'),
    failures: ndjson('FAILURE/failure.ndjson'),
    warnings: ndjson('WARNING/warning.ndjson'),
  };
}

describe('StartDICOMImportJob into primary image sets that an Update holds LOCKED', () => {
  let t: TestHil;
  let client: MedicalImagingClient;
  let datastoreId: string;
  let primaries: AtLeast<string, 2>;

  beforeAll(async () => {
    // Writes wait for an explicit flush; a job waits up to 1.5 s for a lock.
    t = await startTestHil({ writeDelayMs: 600_000, importLockWaitMs: 1500 });
    client = t.client();
    datastoreId = await createActiveDatastore(client, 'import-locks');
    primaries = atLeast(
      (await importSyntheticStudy(client, t.s3Dir, datastoreId, smallCtStudy, 'first')).imageSetIds,
      2,
      'primary image sets',
    );
  });
  afterAll(async () => {
    t.hil.admin.flushWrites();
    await t.close();
  });

  async function lockWithUpdate(imageSetId: string): Promise<void> {
    const latestVersionId = (await client.send(new GetImageSetCommand({ datastoreId, imageSetId }))).versionId!;
    const update = new TextEncoder().encode(
      JSON.stringify({ SchemaVersion: 1.1, Study: { DICOM: { StudyDescription: 'HELD' } } }),
    );
    const locked = await client.send(
      new UpdateImageSetMetadataCommand({
        datastoreId,
        imageSetId,
        latestVersionId,
        updateImageSetMetadataUpdates: { DICOMUpdates: { updatableAttributes: update } },
      }),
    );
    expect(locked.imageSetState).toBe('LOCKED');
  }

  it('waits for the lock, then adds the files as the version after the Update, and COMPLETES', async () => {
    const [held, free] = primaries;
    await lockWithUpdate(held);
    const jobId = await startJob(t, client, datastoreId, 'waits');
    await pollUntil('job IN_PROGRESS', async () =>
      (await jobStatus(client, datastoreId, jobId)).jobStatus === 'IN_PROGRESS' ? true : undefined,
    );
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect((await jobStatus(client, datastoreId, jobId)).jobStatus).toBe('IN_PROGRESS');
    expect(await client.send(new GetImageSetCommand({ datastoreId, imageSetId: held }))).toMatchObject({
      versionId: '2',
      imageSetState: 'LOCKED',
    });

    expect(t.hil.admin.flushWrites()).toBe(1);
    expect((await jobEnd(client, datastoreId, jobId)).jobStatus).toBe('COMPLETED');
    const versions = await client.send(new ListImageSetVersionsCommand({ datastoreId, imageSetId: held }));
    expect(
      versions.imageSetPropertiesList!.map((v) => [v.versionId, v.imageSetState, v.ImageSetWorkflowStatus]),
    ).toEqual([
      ['3', 'ACTIVE', 'IMPORTED'],
      ['2', 'ACTIVE', 'UPDATED'],
      ['1', 'ACTIVE', 'IMPORTED'],
    ]);
    const { failures, manifest } = report(t, datastoreId, 'waits', jobId);
    expect(failures).toEqual([]);
    const versionOf = Object.fromEntries(
      manifest.jobSummary.imageSetsSummary.map((s: { imageSetId: string; imageSetVersion: number }) => [
        s.imageSetId,
        s.imageSetVersion,
      ]),
    );
    expect(versionOf).toEqual({ [held]: 3, [free]: 2 });
  });

  it('fails the files of a primary that stays locked as ConflictException lines, imports the rest, and COMPLETES', async () => {
    const [held, free] = primaries;
    await lockWithUpdate(held);
    const jobId = await startJob(t, client, datastoreId, 'stays-locked');
    const job = await jobEnd(client, datastoreId, jobId);
    expect(job.jobStatus).toBe('COMPLETED');

    const { successes, failures, warnings, manifest } = report(t, datastoreId, 'stays-locked', jobId);
    expect(failures).toHaveLength(3);
    for (const failure of failures) expect(failure.exception.exceptionType).toBe('ConflictException');
    expect(successes).toHaveLength(3);
    expect(
      successes.every((s: { importResponse: { imageSetId: string } }) => s.importResponse.imageSetId === free),
    ).toBe(true);
    expect(warnings).toEqual([]);
    expect(manifest.jobSummary).toMatchObject({
      numberOfScannedFiles: 6,
      numberOfImportedFiles: 3,
      numberOfFilesWithServerError: 3,
    });
    expect(await client.send(new GetImageSetCommand({ datastoreId, imageSetId: held }))).toMatchObject({
      versionId: '4',
      imageSetState: 'LOCKED',
    });
    expect(await client.send(new GetImageSetCommand({ datastoreId, imageSetId: free }))).toMatchObject({
      versionId: '3',
      imageSetState: 'ACTIVE',
    });
  });
});

describe('StartDICOMImportJob over the files-per-job quota', () => {
  let t: TestHil;
  beforeAll(async () => {
    t = await startTestHil({ maxImportFiles: 5 });
  });
  afterAll(async () => t.close());

  it('ends FAILED with the quota in its message and creates no image set', async () => {
    const client = t.client();
    const datastoreId = await createActiveDatastore(client, 'import-quota');
    const jobId = await startJob(t, client, datastoreId, 'too-many');
    const job = await jobEnd(client, datastoreId, jobId);
    expect(job).toMatchObject({ jobStatus: 'FAILED', message: expect.stringMatching(/6 files, more than the 5/) });
    expect(job.message).toMatch(/^[\w -:`]{1,2048}$/);
    expect((await client.send(new SearchImageSetsCommand({ datastoreId }))).imageSetsMetadataSummaries).toEqual([]);
  });
});
