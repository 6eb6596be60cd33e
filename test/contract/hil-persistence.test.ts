import {
  GetImageSetCommand,
  GetImageSetMetadataCommand,
  type MedicalImagingClient,
  SearchImageSetsCommand,
  StartDICOMImportJobCommand,
  UpdateImageSetMetadataCommand,
} from '@aws-sdk/client-medical-imaging';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { largeStudySpec, smallCtStudy, writeStudy } from '../../scripts/synthetic-studies';
import { hilSdkClient, startTestHil } from '../support/hil-client';
import { spawnHilProcess } from '../support/hil-process';
import {
  TEST_ROLE_ARN,
  createActiveDatastore,
  importSyntheticStudy,
  pollUntil,
  waitForJobEnd,
} from '../support/hil-wait';
import { present } from '../support/present';

const setDescription = (text: string) =>
  new TextEncoder().encode(JSON.stringify({ SchemaVersion: 1.1, Study: { DICOM: { StudyDescription: text } } }));

async function description(
  client: MedicalImagingClient,
  datastoreId: string,
  imageSetId: string,
  versionId?: string,
): Promise<unknown> {
  const out = await client.send(new GetImageSetMetadataCommand({ datastoreId, imageSetId, versionId }));
  return JSON.parse(gunzipSync(await out.imageSetMetadataBlob.transformToByteArray()).toString('utf8')).Study.DICOM
    .StudyDescription;
}

describe('HealthImaging Local persistence', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'hil-persist-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps data stores, image sets and every version across a restart on the same data directory', async () => {
    const first = await startTestHil({ dataDir });
    const c1 = first.client();
    const ds = await createActiveDatastore(c1);
    const id = present(
      (await importSyntheticStudy(c1, first.s3Dir, ds, smallCtStudy)).imageSetIds[0],
      'an imported image set',
    );
    await c1.send(
      new UpdateImageSetMetadataCommand({
        datastoreId: ds,
        imageSetId: id,
        latestVersionId: '1',
        updateImageSetMetadataUpdates: { DICOMUpdates: { updatableAttributes: setDescription('kept') } },
      }),
    );
    first.hil.admin.flushWrites();
    await first.close();

    const second = await startTestHil({ dataDir });
    try {
      const c2 = second.client();
      expect(await c2.send(new GetImageSetCommand({ datastoreId: ds, imageSetId: id }))).toMatchObject({
        versionId: '2',
        imageSetState: 'ACTIVE',
        imageSetWorkflowStatus: 'UPDATED',
      });
      expect(await description(c2, ds, id)).toBe('kept');
      expect(await description(c2, ds, id, '1')).toBe(smallCtStudy.studyDescription);
    } finally {
      await second.close();
    }
  });

  it('completes on restart every write acknowledged before a kill -9, leaving nothing LOCKED', async () => {
    // Seed in-process, then run the real CLI in a child with writes that would take ten minutes.
    const seed = await startTestHil({ dataDir });
    const seedClient = seed.client();
    const ds = await createActiveDatastore(seedClient);
    const spec = (n: number) => ({ ...smallCtStudy, seed: `kill-${n}`, accessionNumber: `KILL${n}` });
    const ids: string[] = [];
    for (let n = 0; n < 3; n++)
      ids.push(...(await importSyntheticStudy(seedClient, seed.s3Dir, ds, spec(n))).imageSetIds);
    await seed.close();

    const proc = await spawnHilProcess(['--port', '0', '--data-dir', dataDir, '--write-delay-ms', '600000']);
    const client = hilSdkClient(proc.url);
    const acknowledged: string[] = [];
    // Fire all updates at once and kill the server while they are in flight.
    const calls = ids.map((imageSetId) =>
      client
        .send(
          new UpdateImageSetMetadataCommand({
            datastoreId: ds,
            imageSetId,
            latestVersionId: '1',
            updateImageSetMetadataUpdates: {
              DICOMUpdates: { updatableAttributes: setDescription(`after-${imageSetId}`) },
            },
          }),
        )
        .then(
          (out) => {
            expect(out.imageSetState).toBe('LOCKED');
            acknowledged.push(imageSetId);
          },
          () => undefined,
        ),
    );
    await calls[0];
    await proc.kill('SIGKILL');
    await Promise.all(calls);
    client.destroy();
    expect(acknowledged.length).toBeGreaterThan(0);

    const restarted = await startTestHil({ dataDir, writeDelayMs: 600_000 });
    try {
      const c = restarted.client();
      for (const imageSetId of ids) {
        const got = await c.send(new GetImageSetCommand({ datastoreId: ds, imageSetId }));
        expect(got.imageSetState).toBe('ACTIVE');
        if (acknowledged.includes(imageSetId)) {
          expect(got).toMatchObject({ versionId: '2', imageSetWorkflowStatus: 'UPDATED' });
          expect(await description(c, ds, imageSetId)).toBe(`after-${imageSetId}`);
        } else {
          // Not acknowledged: either never committed (still version 1) or committed and completed.
          expect(['1', '2']).toContain(got.versionId);
        }
      }
    } finally {
      await restarted.close();
    }
  });

  it('runs an import killed mid-job again on restart, writing its image sets once and keeping no stray frames', async () => {
    const seed = await startTestHil({ dataDir });
    const ds = await createActiveDatastore(seed.client());
    await seed.close();
    const instances = 800; // two frame batches (512 each), so the kill can land between two of them
    await writeStudy(join(dataDir, 's3', 'kill-bucket', 'in'), largeStudySpec(instances));

    const proc = await spawnHilProcess(['--port', '0', '--data-dir', dataDir]);
    const client = hilSdkClient(proc.url);
    const { jobId } = await client.send(
      new StartDICOMImportJobCommand({
        datastoreId: ds,
        dataAccessRoleArn: TEST_ROLE_ARN,
        inputS3Uri: 's3://kill-bucket/in/',
        outputS3Uri: 's3://kill-bucket/out/',
      }),
    );
    client.destroy();
    const peek = new Database(join(dataDir, 'hil.sqlite'), { readonly: true });
    const count = (sql: string) => (peek.prepare(sql).get() as { n: number }).n;
    try {
      // Kill once the job has stored frames but not yet committed its image set.
      await pollUntil(
        'the job to store its first frames',
        async () => (count('SELECT COUNT(*) AS n FROM frames') > 0 ? true : undefined),
        {
          timeoutMs: 30_000,
          intervalMs: 2,
        },
      );
      await proc.kill('SIGKILL');
      expect(count('SELECT COUNT(*) AS n FROM image_sets')).toBe(0);
      expect(count(`SELECT COUNT(*) AS n FROM import_jobs WHERE status = 'IN_PROGRESS'`)).toBe(1);
    } finally {
      peek.close();
    }

    const restarted = await startTestHil({ dataDir });
    try {
      const c = restarted.client();
      expect((await waitForJobEnd(c, ds, jobId!)).jobStatus).toBe('COMPLETED');
      const found = (await c.send(new SearchImageSetsCommand({ datastoreId: ds }))).imageSetsMetadataSummaries!;
      expect(found).toHaveLength(1);
      expect(found[0]).toMatchObject({
        version: 1,
        isPrimary: true,
        DICOMTags: { DICOMNumberOfStudyRelatedInstances: instances },
      });
    } finally {
      await restarted.close();
    }
    const db = new Database(join(dataDir, 'hil.sqlite'), { readonly: true });
    try {
      const rows = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
      expect(rows('SELECT COUNT(*) AS n FROM frames')).toBe(instances);
      expect(rows('SELECT COUNT(*) AS n FROM frame_refs')).toBe(instances);
    } finally {
      db.close();
    }
  });

  it('resolves a LOCKED write interrupted before its completion when the store is reopened', async () => {
    const first = await startTestHil({ dataDir, writeDelayMs: 600_000 });
    const c1 = first.client();
    const ds = await createActiveDatastore(c1);
    const id = present(
      (await importSyntheticStudy(c1, first.s3Dir, ds, smallCtStudy)).imageSetIds[0],
      'an imported image set',
    );
    await c1.send(
      new UpdateImageSetMetadataCommand({
        datastoreId: ds,
        imageSetId: id,
        latestVersionId: '1',
        updateImageSetMetadataUpdates: { revertToVersionId: '1' },
      }),
    );
    expect((await c1.send(new GetImageSetCommand({ datastoreId: ds, imageSetId: id }))).imageSetState).toBe('LOCKED');
    await first.close(); // the timer never fired

    const second = await startTestHil({ dataDir });
    try {
      expect(await second.client().send(new GetImageSetCommand({ datastoreId: ds, imageSetId: id }))).toMatchObject({
        versionId: '2',
        imageSetState: 'ACTIVE',
        imageSetWorkflowStatus: 'UPDATED',
      });
    } finally {
      await second.close();
    }
  });
});
