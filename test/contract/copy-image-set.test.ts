/**
 * CopyImageSet through the real SDK against HealthImaging Local
 * (docs/healthimaging-behaviour.md#copy-rules), starting with the three
 * `aws medical-imaging copy-image-set` examples of the CLI documentation: a copy without
 * destination, a copy into an existing destination, and a subset copy with `force`. Image sets come
 * from a real DICOM import of synthetic studies.
 */
import { gunzipSync } from 'node:zlib';
import {
  CopyImageSetCommand,
  GetImageFrameCommand,
  GetImageSetCommand,
  GetImageSetMetadataCommand,
  ListImageSetVersionsCommand,
  UpdateImageSetMetadataCommand,
  type CopyImageSetCommandInput,
  type CopyImageSetCommandOutput,
  type GetImageSetCommandOutput,
  type MedicalImagingClient,
} from '@aws-sdk/client-medical-imaging';
import type { MetadataDocument } from '../../healthimaging-local/shapes/metadata-document';
import { smallCtStudy, smallMrStudy } from '../../scripts/synthetic-studies';
import { startTestHil, type TestHil } from '../support/hil-client';
import { expectServiceError } from '../support/hil-errors';
import { createActiveDatastore, importSyntheticStudy, waitForUnlocked } from '../support/hil-wait';
import { firstFrame, firstSeries, instanceIn, seriesIn } from '../unit/healthimaging-local/fixtures/document-paths';
import { atLeast, present, type AtLeast } from '../support/present';

let hil: TestHil;
let client: MedicalImagingClient;
let datastoreId: string;
/** The primary image sets of the CT study (two series) and of the MR study (another patient). */
let ctIds: AtLeast<string, 2>;
let mrIds: AtLeast<string, 2>;

async function metadata(imageSetId: string, versionId?: string): Promise<MetadataDocument> {
  const out = await client.send(new GetImageSetMetadataCommand({ datastoreId, imageSetId, versionId }));
  return JSON.parse(
    gunzipSync(await out.imageSetMetadataBlob.transformToByteArray()).toString('utf8'),
  ) as MetadataDocument;
}

async function imageSet(imageSetId: string): Promise<GetImageSetCommandOutput> {
  return client.send(new GetImageSetCommand({ datastoreId, imageSetId }));
}

/** The first series and its SOP Instance UIDs, sorted (each synthetic series holds three). */
function seriesOf(doc: MetadataDocument): { uid: string; sops: AtLeast<string, 3> } {
  const { uid, series } = firstSeries(doc);
  return { uid, sops: atLeast(Object.keys(series.Instances).sort(), 3, 'instances') };
}

function allSops(doc: MetadataDocument): string[] {
  return Object.values(doc.Study.Series)
    .flatMap((s) => Object.keys(s.Instances))
    .sort();
}

/** The `copiableAttributes` string of the CLI subset example. */
function copiable(seriesUid: string, sops: string[]): string {
  return JSON.stringify({
    SchemaVersion: '1.1',
    Study: { Series: { [seriesUid]: { Instances: Object.fromEntries(sops.map((s) => [s, {}])) } } },
  });
}

interface CopyArgs {
  source: string;
  destination?: string;
  copiableAttributes?: string;
  force?: boolean;
}

async function startCopy(args: CopyArgs): Promise<CopyImageSetCommandOutput> {
  const input: CopyImageSetCommandInput = {
    datastoreId,
    sourceImageSetId: args.source,
    force: args.force,
    copyImageSetInformation: {
      sourceImageSet: {
        latestVersionId: (await imageSet(args.source)).versionId!,
        DICOMCopies:
          args.copiableAttributes === undefined ? undefined : { copiableAttributes: args.copiableAttributes },
      },
      destinationImageSet: args.destination
        ? { imageSetId: args.destination, latestVersionId: (await imageSet(args.destination)).versionId! }
        : undefined,
    },
  };
  return client.send(new CopyImageSetCommand(input));
}

/** Runs a copy to completion; returns the destination's final properties. */
async function copy(args: CopyArgs): Promise<GetImageSetCommandOutput> {
  const started = await startCopy(args);
  const destinationId = started.destinationImageSetProperties!.imageSetId!;
  const done = await waitForUnlocked(client, datastoreId, destinationId);
  await waitForUnlocked(client, datastoreId, args.source);
  expect(done.versionId).toBe(started.destinationImageSetProperties!.latestVersionId);
  return done;
}

/** A new non-primary image set holding the given instances of a CT series. */
async function splitOff(source: string, sops: string[]): Promise<string> {
  const { uid } = seriesOf(await metadata(source));
  const done = await copy({ source, copiableAttributes: copiable(uid, sops) });
  expect(done.imageSetWorkflowStatus).toBe('COPIED');
  return done.imageSetId!;
}

async function expectCopyFailed(
  done: GetImageSetCommandOutput,
  message: string,
  contentBefore: MetadataDocument,
): Promise<void> {
  expect({ state: done.imageSetState, status: done.imageSetWorkflowStatus, message: done.message }).toEqual({
    state: 'ACTIVE',
    status: 'COPY_FAILED',
    message,
  });
  const listed = await client.send(new ListImageSetVersionsCommand({ datastoreId, imageSetId: done.imageSetId! }));
  const entry = listed.imageSetPropertiesList!.find((v) => v.versionId === done.versionId)!;
  expect({ status: entry.ImageSetWorkflowStatus, message: entry.message }).toEqual({ status: 'COPY_FAILED', message });
  expect(await metadata(done.imageSetId!, done.versionId)).toEqual(contentBefore);
}

beforeAll(async () => {
  hil = await startTestHil();
  client = hil.client();
  datastoreId = await createActiveDatastore(client, 'copy-contract');
  const ct = (await importSyntheticStudy(client, hil.s3Dir, datastoreId, smallCtStudy)).imageSetIds;
  const mr = (await importSyntheticStudy(client, hil.s3Dir, datastoreId, smallMrStudy)).imageSetIds;
  expect(ct).toHaveLength(2);
  expect(mr).toHaveLength(2);
  ctIds = atLeast(ct, 2, 'CT image sets');
  mrIds = atLeast(mr, 2, 'MR image sets');
});

afterAll(async () => {
  await hil?.close();
});

describe('CopyImageSet, CLI example 1: copy an image set without a destination', () => {
  it('answers with the LOCKED source and a new destination at version 1, then completes as COPIED', async () => {
    const [source] = ctIds;
    const sourceBefore = await imageSet(source);
    const started = await startCopy({ source });
    expect(started.datastoreId).toBe(datastoreId);
    expect(started.sourceImageSetProperties).toMatchObject({
      imageSetId: source,
      latestVersionId: sourceBefore.versionId,
      imageSetState: 'LOCKED',
      imageSetWorkflowStatus: 'COPYING_WITH_READ_ONLY_ACCESS',
    });
    const destination = started.destinationImageSetProperties!;
    expect(destination).toMatchObject({
      latestVersionId: '1',
      imageSetState: 'LOCKED',
      imageSetWorkflowStatus: 'COPYING',
    });
    expect(destination.imageSetId).toMatch(/^[0-9a-z]{32}$/);
    expect(destination.imageSetId).not.toBe(source);
    expect(destination.imageSetArn).toBe(
      `arn:aws:medical-imaging:us-east-1:123456789012:datastore/${datastoreId}/imageset/${destination.imageSetId}`,
    );
    expect(destination.createdAt).toBeInstanceOf(Date);

    const done = await waitForUnlocked(client, datastoreId, destination.imageSetId!);
    expect(done).toMatchObject({
      imageSetState: 'ACTIVE',
      imageSetWorkflowStatus: 'COPIED',
      versionId: '1',
      isPrimary: false,
    });
    const sourceAfter = await waitForUnlocked(client, datastoreId, source);
    expect({ state: sourceAfter.imageSetState, version: sourceAfter.versionId }).toEqual({
      state: 'ACTIVE',
      version: sourceBefore.versionId,
    });

    const copied = await metadata(destination.imageSetId!);
    const original = await metadata(source);
    expect(copied).toEqual({ ...original, ImageSetID: destination.imageSetId });
  });

  it('copies the image frames with the metadata', async () => {
    const [, source] = ctIds;
    const done = await copy({ source });
    const doc = await metadata(done.imageSetId!);
    const { uid, sops } = seriesOf(doc);
    const frameId = firstFrame(instanceIn(doc, uid, sops[0])).ID;
    const readFrame = async (imageSetId: string) => {
      const out = await client.send(
        new GetImageFrameCommand({ datastoreId, imageSetId, imageFrameInformation: { imageFrameId: frameId } }),
      );
      return Buffer.from(await out.imageFrameBlob.transformToByteArray());
    };
    const fromCopy = await readFrame(done.imageSetId!);
    expect(fromCopy.length).toBeGreaterThan(0);
    expect(fromCopy.equals(await readFrame(source))).toBe(true);
  });
});

describe('CopyImageSet, CLI example 2: copy into an existing destination', () => {
  it('adds the copied instances to a destination of the same series as version N+1', async () => {
    const [source] = ctIds;
    const { sops } = seriesOf(await metadata(source));
    const destination = await splitOff(source, [sops[0]]);
    const sourceVersion = (await imageSet(source)).versionId;
    const { uid } = seriesOf(await metadata(source));

    const started = await startCopy({ source, destination, copiableAttributes: copiable(uid, [sops[1]]) });
    expect(started.destinationImageSetProperties).toMatchObject({
      imageSetId: destination,
      latestVersionId: '2',
      imageSetWorkflowStatus: 'COPYING',
    });
    expect(started.sourceImageSetProperties!.latestVersionId).toBe(sourceVersion);
    const done = await waitForUnlocked(client, datastoreId, destination);
    expect(done).toMatchObject({ versionId: '2', imageSetWorkflowStatus: 'COPIED' });
    expect(allSops(await metadata(destination))).toEqual([sops[0], sops[1]].sort());
    expect(allSops(await metadata(destination, '1'))).toEqual([sops[0]]);
    expect((await waitForUnlocked(client, datastoreId, source)).versionId).toBe(sourceVersion);
  });

  it('ends COPY_FAILED with the documented message when the series do not match', async () => {
    const [first, second] = ctIds;
    const destination = await splitOff(first, [seriesOf(await metadata(first)).sops[0]]);
    const before = await metadata(destination);
    const done = await copy({ source: second, destination });
    await expectCopyFailed(
      done,
      "INVALID_REQUEST: Series of SourceImageSet and DestinationImageSet don't match.",
      before,
    );
    expect(done.versionId).toBe('2');
  });

  it('ends COPY_FAILED when the patients do not match', async () => {
    const destination = await splitOff(ctIds[0], [seriesOf(await metadata(ctIds[0])).sops[0]]);
    const before = await metadata(destination);
    const done = await copy({ source: mrIds[0], destination });
    await expectCopyFailed(
      done,
      "INVALID_REQUEST: Patient of SourceImageSet and DestinationImageSet don't match.",
      before,
    );
  });

  it('ends COPY_FAILED when a copied SOP instance is already in the destination', async () => {
    const [source] = ctIds;
    const { uid, sops } = seriesOf(await metadata(source));
    const destination = await splitOff(source, [sops[0]]);
    const before = await metadata(destination);
    const done = await copy({ source, destination, copiableAttributes: copiable(uid, [sops[0]]), force: true });
    await expectCopyFailed(
      done,
      'INVALID_REQUEST: SOP Instance of SourceImageSet already exists in DestinationImageSet.',
      before,
    );
  });
});

describe('CopyImageSet, CLI example 3: copy a subset with force', () => {
  it('brings the listed instances of another series over, keeping the destination metadata', async () => {
    const [first, second] = ctIds;
    const destination = await splitOff(first, [seriesOf(await metadata(first)).sops[0]]);
    await client.send(
      new UpdateImageSetMetadataCommand({
        datastoreId,
        imageSetId: destination,
        latestVersionId: '1',
        updateImageSetMetadataUpdates: {
          DICOMUpdates: {
            updatableAttributes: new TextEncoder().encode(
              JSON.stringify({ Study: { DICOM: { StudyDescription: 'MERGED' } } }),
            ),
          },
        },
      }),
    );
    await waitForUnlocked(client, datastoreId, destination);
    const destinationBefore = await metadata(destination);
    const sourceDoc = await metadata(second);
    const { uid, sops } = seriesOf(sourceDoc);

    const done = await copy({ source: second, destination, copiableAttributes: copiable(uid, [sops[2]]), force: true });
    expect(done).toMatchObject({ imageSetWorkflowStatus: 'COPIED', versionId: '3', overrides: { forced: true } });
    const merged = await metadata(destination);
    expect(merged.Patient).toEqual(destinationBefore.Patient);
    expect(merged.Study.DICOM).toEqual(destinationBefore.Study.DICOM);
    expect(merged.Study.DICOM.StudyDescription).toBe('MERGED');
    expect(Object.keys(merged.Study.Series).sort()).toEqual(
      [...Object.keys(destinationBefore.Study.Series), uid].sort(),
    );
    expect(seriesIn(merged, uid).DICOM).toEqual(seriesIn(sourceDoc, uid).DICOM);
    expect(Object.keys(seriesIn(merged, uid).Instances)).toEqual([sops[2]]);
  });
});

describe('CopyImageSet request validation', () => {
  it('rejects copiableAttributes that is not JSON', async () => {
    const err = await expectServiceError(
      () => startCopy({ source: ctIds[0], copiableAttributes: '{"Study":' }),
      'ValidationException',
      400,
    );
    expect(err.message).toMatch(/not a JSON document/);
  });

  it('rejects copiableAttributes naming an instance the source does not hold', async () => {
    const { uid } = seriesOf(await metadata(ctIds[0]));
    const err = await expectServiceError(
      () => startCopy({ source: ctIds[0], copiableAttributes: copiable(uid, ['2.25.404']) }),
      'ValidationException',
      400,
    );
    expect(err.message).toMatch(/SOP Instance that is not in the source/);
  });

  it('rejects copiableAttributes of the wrong shape', async () => {
    const { uid } = seriesOf(await metadata(ctIds[0]));
    const shape = JSON.stringify({ Study: { Series: { [uid]: { Instances: [] } } } });
    await expectServiceError(
      () => startCopy({ source: ctIds[0], copiableAttributes: shape }),
      'ValidationException',
      400,
    );
  });

  it('rejects a stale source or destination latestVersionId with ConflictException', async () => {
    const [source] = ctIds;
    const current = Number((await imageSet(source)).versionId);
    const staleSource = { sourceImageSet: { latestVersionId: String(current + 1) } };
    await expectServiceError(
      () =>
        client.send(
          new CopyImageSetCommand({ datastoreId, sourceImageSetId: source, copyImageSetInformation: staleSource }),
        ),
      'ConflictException',
      409,
    );
    const destination = await splitOff(source, [seriesOf(await metadata(source)).sops[0]]);
    const staleDestination = {
      sourceImageSet: { latestVersionId: (await imageSet(source)).versionId! },
      destinationImageSet: { imageSetId: destination, latestVersionId: '7' },
    };
    await expectServiceError(
      () =>
        client.send(
          new CopyImageSetCommand({ datastoreId, sourceImageSetId: source, copyImageSetInformation: staleDestination }),
        ),
      'ConflictException',
      409,
    );
  });

  it('answers ResourceNotFoundException for a destination that does not exist', async () => {
    const [source] = ctIds;
    const info = {
      sourceImageSet: { latestVersionId: (await imageSet(source)).versionId! },
      destinationImageSet: { imageSetId: 'f'.repeat(32), latestVersionId: '1' },
    };
    await expectServiceError(
      () =>
        client.send(new CopyImageSetCommand({ datastoreId, sourceImageSetId: source, copyImageSetInformation: info })),
      'ResourceNotFoundException',
      404,
    );
  });
});

describe('CopyImageSet while the copy runs', () => {
  let slowHil: TestHil;
  let slowClient: MedicalImagingClient;
  let slowDatastoreId: string;
  let sourceId: string;

  beforeAll(async () => {
    // Writes stay LOCKED for a minute here, far longer than the test needs.
    slowHil = await startTestHil({ writeDelayMs: 60_000 });
    slowClient = slowHil.client();
    slowDatastoreId = await createActiveDatastore(slowClient, 'copy-locked');
    sourceId = present(
      (await importSyntheticStudy(slowClient, slowHil.s3Dir, slowDatastoreId, smallCtStudy)).imageSetIds[0],
      'an imported image set',
    );
  });

  afterAll(async () => {
    await slowHil?.close();
  });

  it('keeps the source readable but refuses writes to it and to the destination', async () => {
    const started = await slowClient.send(
      new CopyImageSetCommand({
        datastoreId: slowDatastoreId,
        sourceImageSetId: sourceId,
        copyImageSetInformation: { sourceImageSet: { latestVersionId: '1' } },
      }),
    );
    const source = await slowClient.send(
      new GetImageSetCommand({ datastoreId: slowDatastoreId, imageSetId: sourceId }),
    );
    expect(source).toMatchObject({ imageSetState: 'LOCKED', imageSetWorkflowStatus: 'COPYING_WITH_READ_ONLY_ACCESS' });
    const read = await slowClient.send(
      new GetImageSetMetadataCommand({ datastoreId: slowDatastoreId, imageSetId: sourceId }),
    );
    expect((await read.imageSetMetadataBlob.transformToByteArray()).length).toBeGreaterThan(0);

    const update = (imageSetId: string) =>
      slowClient.send(
        new UpdateImageSetMetadataCommand({
          datastoreId: slowDatastoreId,
          imageSetId,
          latestVersionId: '1',
          updateImageSetMetadataUpdates: { revertToVersionId: '1' },
        }),
      );
    await expectServiceError(() => update(sourceId), 'ConflictException', 409);
    await expectServiceError(
      () => update(started.destinationImageSetProperties!.imageSetId!),
      'ConflictException',
      409,
    );
    await expectServiceError(
      () =>
        slowClient.send(
          new CopyImageSetCommand({
            datastoreId: slowDatastoreId,
            sourceImageSetId: sourceId,
            copyImageSetInformation: { sourceImageSet: { latestVersionId: '1' } },
          }),
        ),
      'ConflictException',
      409,
    );
  });
});
