import {
  CopyImageSetCommand,
  DeleteImageSetCommand,
  GetImageFrameCommand,
  GetImageSetCommand,
  GetImageSetMetadataCommand,
  ListImageSetVersionsCommand,
  SearchImageSetsCommand,
  UpdateImageSetMetadataCommand,
  type MedicalImagingClient,
  type MetadataUpdates,
} from '@aws-sdk/client-medical-imaging';
import { gunzipSync } from 'node:zlib';
import type { MetadataDocument } from '../../healthimaging-local/shapes/metadata-document';
import { smallCtStudy } from '../../scripts/synthetic-studies';
import { startTestHil, type TestHil } from '../support/hil-client';
import { expectServiceError } from '../support/hil-errors';
import { createActiveDatastore, importSyntheticStudy } from '../support/hil-wait';
import {
  firstFrame,
  firstInstance,
  firstSeries,
  instanceIn,
} from '../unit/healthimaging-local/fixtures/document-paths';
import { atLeast, present, type AtLeast } from '../support/present';

const encode = (doc: unknown) => new TextEncoder().encode(JSON.stringify(doc));
const setDescription = (text: string) => encode({ SchemaVersion: 1.1, Study: { DICOM: { StudyDescription: text } } });

/**
 * The write state machine (docs/healthimaging-behaviour.md#asynchronous-writes), observed
 * deterministically: writes are held pending (a long writeDelayMs) and completed with
 * admin.flushWrites(), so LOCKED states are visible.
 */
describe('HealthImaging Local image set state machine', () => {
  let t: TestHil;
  let client: MedicalImagingClient;
  let datastoreId: string;

  let studies = 0;
  /** A new study each time (fresh UIDs), so each call yields new primary image sets at version 1. */
  async function freshImageSets(): Promise<AtLeast<string, 2>> {
    studies += 1;
    const spec = { ...smallCtStudy, seed: `states-${studies}`, accessionNumber: `STATES${studies}` };
    return atLeast((await importSyntheticStudy(client, t.s3Dir, datastoreId, spec)).imageSetIds, 2, 'image sets');
  }
  async function doc(imageSetId: string, versionId?: string): Promise<MetadataDocument> {
    const out = await client.send(new GetImageSetMetadataCommand({ datastoreId, imageSetId, versionId }));
    return JSON.parse(
      gunzipSync(await out.imageSetMetadataBlob.transformToByteArray()).toString('utf8'),
    ) as MetadataDocument;
  }
  const get = (imageSetId: string, versionId?: string) =>
    client.send(new GetImageSetCommand({ datastoreId, imageSetId, versionId }));
  const update = (imageSetId: string, latestVersionId: string, updates: MetadataUpdates, force?: boolean) =>
    client.send(
      new UpdateImageSetMetadataCommand({
        datastoreId,
        imageSetId,
        latestVersionId,
        force,
        updateImageSetMetadataUpdates: updates,
      }),
    );

  beforeAll(async () => {
    t = await startTestHil({ writeDelayMs: 600_000 });
    client = t.client();
    datastoreId = await createActiveDatastore(client);
  });
  afterAll(async () => t.close());

  it('answers an update with LOCKED/UPDATING and version latest+1, then completes to ACTIVE/UPDATED', async () => {
    const [id] = await freshImageSets();
    const accepted = await update(id, '1', { DICOMUpdates: { updatableAttributes: setDescription('updated') } });
    expect(accepted).toMatchObject({
      datastoreId,
      imageSetId: id,
      latestVersionId: '2',
      imageSetState: 'LOCKED',
      imageSetWorkflowStatus: 'UPDATING',
    });
    expect(await get(id)).toMatchObject({
      versionId: '2',
      imageSetState: 'LOCKED',
      imageSetWorkflowStatus: 'UPDATING',
    });
    // While locked, the previous content is what version 2 shows; version 1 stays readable.
    expect((await doc(id, '1')).Study.DICOM.StudyDescription).toBe(smallCtStudy.studyDescription);
    expect(t.hil.admin.flushWrites()).toBe(1);
    expect(await get(id)).toMatchObject({ versionId: '2', imageSetState: 'ACTIVE', imageSetWorkflowStatus: 'UPDATED' });
    expect((await doc(id)).Study.DICOM.StudyDescription).toBe('updated');
  });

  it('rejects a write to a LOCKED image set and a write naming a stale latest version with ConflictException', async () => {
    const [id] = await freshImageSets();
    await update(id, '1', { DICOMUpdates: { updatableAttributes: setDescription('a') } });
    await expectServiceError(
      () => update(id, '2', { DICOMUpdates: { updatableAttributes: setDescription('b') } }),
      'ConflictException',
      409,
    );
    await expectServiceError(
      () => client.send(new DeleteImageSetCommand({ datastoreId, imageSetId: id })),
      'ConflictException',
      409,
    );
    t.hil.admin.flushWrites();
    await expectServiceError(
      () => update(id, '1', { DICOMUpdates: { updatableAttributes: setDescription('c') } }),
      'ConflictException',
      409,
    );
  });

  it('keeps a failed update in the history as UPDATE_FAILED with a message and the previous content', async () => {
    const [id] = await freshImageSets();
    const wrongValue = encode({ SchemaVersion: 1.1, Study: { DICOM: { StudyDescription: 'NOT THE STORED VALUE' } } });
    await update(id, '1', { DICOMUpdates: { removableAttributes: wrongValue } });
    t.hil.admin.flushWrites();
    const after = await get(id);
    expect(after).toMatchObject({ versionId: '2', imageSetState: 'ACTIVE', imageSetWorkflowStatus: 'UPDATE_FAILED' });
    expect(after.message).toBeTruthy();
    expect(await doc(id, '2')).toEqual(await doc(id, '1'));
    // The failed version is the latest: the next write names it.
    await update(id, '2', { DICOMUpdates: { updatableAttributes: setDescription('next') } });
    t.hil.admin.flushWrites();
    const history = await client.send(new ListImageSetVersionsCommand({ datastoreId, imageSetId: id }));
    expect(history.imageSetPropertiesList!.map((v) => [v.versionId, v.ImageSetWorkflowStatus])).toEqual([
      ['3', 'UPDATED'],
      ['2', 'UPDATE_FAILED'],
      ['1', 'IMPORTED'],
    ]);
  });

  it('reverts by appending a version with the target content, never rewinding the counter', async () => {
    const [id] = await freshImageSets();
    await update(id, '1', { DICOMUpdates: { updatableAttributes: setDescription('v2') } });
    t.hil.admin.flushWrites();
    await update(id, '2', { DICOMUpdates: { updatableAttributes: setDescription('v3') } });
    t.hil.admin.flushWrites();
    const reverted = await update(id, '3', { revertToVersionId: '1' });
    expect(reverted.latestVersionId).toBe('4');
    t.hil.admin.flushWrites();
    expect(await get(id)).toMatchObject({ versionId: '4', imageSetWorkflowStatus: 'UPDATED' });
    expect(await doc(id, '4')).toEqual(await doc(id, '1'));
    expect((await doc(id, '3')).Study.DICOM.StudyDescription).toBe('v3');
    await expectServiceError(() => update(id, '4', { revertToVersionId: '9' }), 'ResourceNotFoundException', 404);
  });

  it('records force as overrides.forced on the version it created', async () => {
    const [id] = await freshImageSets();
    await update(id, '1', { DICOMUpdates: { updatableAttributes: setDescription('forced') } }, true);
    t.hil.admin.flushWrites();
    expect((await get(id)).overrides).toEqual({ forced: true });
    expect((await get(id, '1')).overrides).toBeUndefined();
    const listed = await client.send(new ListImageSetVersionsCommand({ datastoreId, imageSetId: id }));
    expect(listed.imageSetPropertiesList?.[0]?.overrides).toEqual({ forced: true });
  });

  it('rejects an update union with both or neither member, and a missing latestVersion', async () => {
    const [id] = await freshImageSets();
    await expectServiceError(
      () =>
        update(id, '1', {
          DICOMUpdates: { updatableAttributes: setDescription('x') },
          revertToVersionId: '1',
        } as never),
      'ValidationException',
      400,
    );
    await expectServiceError(() => update(id, '1', {} as never), 'ValidationException', 400);
    await expectServiceError(
      () =>
        client.send(
          new UpdateImageSetMetadataCommand({
            datastoreId,
            imageSetId: id,
            latestVersionId: undefined,
            updateImageSetMetadataUpdates: { revertToVersionId: '1' },
          }),
        ),
      'ValidationException',
      400,
    );
  });

  it('copies into a new image set: source COPYING_WITH_READ_ONLY_ACCESS and readable, destination version 1 COPYING, then COPIED', async () => {
    const [source] = await freshImageSets();
    const out = await client.send(
      new CopyImageSetCommand({
        datastoreId,
        sourceImageSetId: source,
        copyImageSetInformation: { sourceImageSet: { latestVersionId: '1' } },
      }),
    );
    const dest = out.destinationImageSetProperties!.imageSetId!;
    expect(out.sourceImageSetProperties).toMatchObject({
      imageSetId: source,
      latestVersionId: '1',
      imageSetState: 'LOCKED',
      imageSetWorkflowStatus: 'COPYING_WITH_READ_ONLY_ACCESS',
    });
    expect(out.destinationImageSetProperties).toMatchObject({
      latestVersionId: '1',
      imageSetState: 'LOCKED',
      imageSetWorkflowStatus: 'COPYING',
    });
    expect(out.destinationImageSetProperties!.imageSetArn).toContain(`/imageset/${dest}`);
    expect(await get(source)).toMatchObject({
      imageSetState: 'LOCKED',
      imageSetWorkflowStatus: 'COPYING_WITH_READ_ONLY_ACCESS',
    });
    const sourceDoc = await doc(source);
    const frameId = firstFrame(firstInstance(sourceDoc).instance).ID;
    await client.send(
      new GetImageFrameCommand({ datastoreId, imageSetId: source, imageFrameInformation: { imageFrameId: frameId } }),
    );
    await expectServiceError(
      () => update(source, '1', { DICOMUpdates: { updatableAttributes: setDescription('no') } }),
      'ConflictException',
      409,
    );

    t.hil.admin.flushWrites();
    expect(await get(source)).toMatchObject({
      versionId: '1',
      imageSetState: 'ACTIVE',
      imageSetWorkflowStatus: 'COPIED',
    });
    expect(await get(dest)).toMatchObject({
      versionId: '1',
      imageSetState: 'ACTIVE',
      imageSetWorkflowStatus: 'COPIED',
      isPrimary: false,
    });
    const destDoc = await doc(dest);
    expect(destDoc.ImageSetID).toBe(dest);
    expect(Object.keys(destDoc.Study.Series)).toEqual(Object.keys(sourceDoc.Study.Series));
    const frame = await client.send(
      new GetImageFrameCommand({ datastoreId, imageSetId: dest, imageFrameInformation: { imageFrameId: frameId } }),
    );
    expect((await frame.imageFrameBlob.transformToByteArray()).length).toBeGreaterThan(0);
  });

  it('copies a subset into an existing image set as version N+1, failing asynchronously when the series do not match', async () => {
    const [a, b] = await freshImageSets();
    const aDoc = await doc(a);
    const { uid: seriesUid } = firstSeries(aDoc);
    const { uid: sop } = firstInstance(aDoc);
    const copiableAttributes = JSON.stringify({
      SchemaVersion: '1.1',
      Study: { Series: { [seriesUid]: { Instances: { [sop]: {} } } } },
    });
    const out = await client.send(
      new CopyImageSetCommand({
        datastoreId,
        sourceImageSetId: a,
        copyImageSetInformation: {
          sourceImageSet: { latestVersionId: '1', DICOMCopies: { copiableAttributes } },
          destinationImageSet: { imageSetId: b, latestVersionId: '1' },
        },
      }),
    );
    expect(out.destinationImageSetProperties).toMatchObject({
      imageSetId: b,
      latestVersionId: '2',
      imageSetState: 'LOCKED',
      imageSetWorkflowStatus: 'COPYING',
    });
    t.hil.admin.flushWrites();
    const failed = await get(b);
    expect(failed).toMatchObject({ versionId: '2', imageSetState: 'ACTIVE', imageSetWorkflowStatus: 'COPY_FAILED' });
    expect(failed.message).toBeTruthy();
    expect(await doc(b, '2')).toEqual(await doc(b, '1'));
    // The source keeps its version and returns to ACTIVE with the status it had before the copy.
    expect(await get(a)).toMatchObject({ versionId: '1', imageSetState: 'ACTIVE', imageSetWorkflowStatus: 'IMPORTED' });
    // With force the instance comes over into the destination's own series tree.
    await client.send(
      new CopyImageSetCommand({
        datastoreId,
        sourceImageSetId: a,
        force: true,
        copyImageSetInformation: {
          sourceImageSet: { latestVersionId: '1', DICOMCopies: { copiableAttributes } },
          destinationImageSet: { imageSetId: b, latestVersionId: '2' },
        },
      }),
    );
    t.hil.admin.flushWrites();
    expect(await get(b)).toMatchObject({
      versionId: '3',
      imageSetWorkflowStatus: 'COPIED',
      overrides: { forced: true },
    });
    expect(await get(a)).toMatchObject({ versionId: '1', imageSetState: 'ACTIVE', imageSetWorkflowStatus: 'COPIED' });
    const merged = await doc(b);
    expect(instanceIn(merged, seriesUid, sop)).toEqual(instanceIn(aDoc, seriesUid, sop));
  });

  it('rejects copies with a stale source version, a missing destination or a listed instance the source lacks', async () => {
    const [a, b] = await freshImageSets();
    await expectServiceError(
      () =>
        client.send(
          new CopyImageSetCommand({
            datastoreId,
            sourceImageSetId: a,
            copyImageSetInformation: { sourceImageSet: { latestVersionId: '7' } },
          }),
        ),
      'ConflictException',
      409,
    );
    await expectServiceError(
      () =>
        client.send(
          new CopyImageSetCommand({
            datastoreId,
            sourceImageSetId: a,
            copyImageSetInformation: {
              sourceImageSet: { latestVersionId: '1' },
              destinationImageSet: { imageSetId: 'c'.repeat(32), latestVersionId: '1' },
            },
          }),
        ),
      'ResourceNotFoundException',
      404,
    );
    const missing = JSON.stringify({ Study: { Series: { '1.2.3.4': { Instances: { '1.2.3.4.5': {} } } } } });
    await expectServiceError(
      () =>
        client.send(
          new CopyImageSetCommand({
            datastoreId,
            sourceImageSetId: a,
            copyImageSetInformation: {
              sourceImageSet: { latestVersionId: '1', DICOMCopies: { copiableAttributes: missing } },
              destinationImageSet: { imageSetId: b, latestVersionId: '1' },
            },
          }),
        ),
      'ValidationException',
      400,
    );
    expect(await get(a)).toMatchObject({ imageSetState: 'ACTIVE' });
  });

  it('promotes a copy to primary only when the series has no primary image set', async () => {
    const [a] = await freshImageSets();
    await expectServiceError(
      () =>
        client.send(
          new CopyImageSetCommand({
            datastoreId,
            sourceImageSetId: a,
            promoteToPrimary: true,
            copyImageSetInformation: { sourceImageSet: { latestVersionId: '1' } },
          }),
        ),
      'ConflictException',
      409,
    );
    const copy = await client.send(
      new CopyImageSetCommand({
        datastoreId,
        sourceImageSetId: a,
        copyImageSetInformation: { sourceImageSet: { latestVersionId: '1' } },
      }),
    );
    t.hil.admin.flushWrites();
    await client.send(new DeleteImageSetCommand({ datastoreId, imageSetId: a }));
    t.hil.admin.flushWrites();
    const copyId = copy.destinationImageSetProperties!.imageSetId!;
    const promoted = await client.send(
      new CopyImageSetCommand({
        datastoreId,
        sourceImageSetId: copyId,
        promoteToPrimary: true,
        copyImageSetInformation: { sourceImageSet: { latestVersionId: '1' } },
      }),
    );
    t.hil.admin.flushWrites();
    expect(await get(promoted.destinationImageSetProperties!.imageSetId!)).toMatchObject({
      isPrimary: true,
      imageSetWorkflowStatus: 'COPIED',
    });
  });

  it('deletes LOCKED/DELETING then gone: reads answer ResourceNotFoundException and search no longer lists it', async () => {
    const [id] = await freshImageSets();
    const out = await client.send(new DeleteImageSetCommand({ datastoreId, imageSetId: id }));
    expect(out).toMatchObject({
      datastoreId,
      imageSetId: id,
      imageSetState: 'LOCKED',
      imageSetWorkflowStatus: 'DELETING',
    });
    expect(await get(id)).toMatchObject({ imageSetState: 'LOCKED', imageSetWorkflowStatus: 'DELETING' });
    // A repeated delete while it runs is idempotent.
    expect(await client.send(new DeleteImageSetCommand({ datastoreId, imageSetId: id }))).toMatchObject({
      imageSetWorkflowStatus: 'DELETING',
    });
    t.hil.admin.flushWrites();
    await expectServiceError(() => get(id), 'ResourceNotFoundException', 404);
    await expectServiceError(() => doc(id, '1'), 'ResourceNotFoundException', 404);
    await expectServiceError(
      () => client.send(new DeleteImageSetCommand({ datastoreId, imageSetId: id })),
      'ResourceNotFoundException',
      404,
    );
    const search = await client.send(new SearchImageSetsCommand({ datastoreId }));
    expect(search.imageSetsMetadataSummaries!.map((s) => s.imageSetId)).not.toContain(id);
  });

  it('completes writes on its own timer when the delay elapses', async () => {
    const quick = await startTestHil({ writeDelayMs: 0 });
    try {
      const c = quick.client();
      const ds = await createActiveDatastore(c);
      const id = present(
        (await importSyntheticStudy(c, quick.s3Dir, ds, smallCtStudy)).imageSetIds[0],
        'an imported image set',
      );
      await c.send(
        new UpdateImageSetMetadataCommand({
          datastoreId: ds,
          imageSetId: id,
          latestVersionId: '1',
          updateImageSetMetadataUpdates: { DICOMUpdates: { updatableAttributes: setDescription('timer') } },
        }),
      );
      const { waitForUnlocked } = await import('../support/hil-wait');
      expect(await waitForUnlocked(c, ds, id)).toMatchObject({ versionId: '2', imageSetWorkflowStatus: 'UPDATED' });
    } finally {
      await quick.close();
    }
  });
});
