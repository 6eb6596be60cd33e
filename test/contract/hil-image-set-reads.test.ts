import {
  GetImageFrameCommand,
  GetImageSetCommand,
  GetImageSetMetadataCommand,
  ListImageSetVersionsCommand,
  paginateListImageSetVersions,
  UpdateImageSetMetadataCommand,
} from '@aws-sdk/client-medical-imaging';
import { gunzipSync } from 'node:zlib';
import type { MetadataDocument } from '../../healthimaging-local/shapes/metadata-document';
import { smallMrStudy } from '../../scripts/synthetic-studies';
import { startTestHil, type TestHil } from '../support/hil-client';
import { expectServiceError } from '../support/hil-errors';
import { createActiveDatastore, importSyntheticStudy, waitForUnlocked } from '../support/hil-wait';
import { firstInstance, firstSeries } from '../unit/healthimaging-local/fixtures/document-paths';

const studyDescriptionUpdate = (text: string) =>
  new TextEncoder().encode(JSON.stringify({ SchemaVersion: 1.1, Study: { DICOM: { StudyDescription: text } } }));

describe('HealthImaging Local image set reads', () => {
  let t: TestHil;
  let datastoreId: string;
  let imageSetId: string;

  async function metadata(version?: string): Promise<MetadataDocument> {
    const out = await t.client().send(new GetImageSetMetadataCommand({ datastoreId, imageSetId, versionId: version }));
    expect(out.contentType).toBe('application/json');
    expect(out.contentEncoding).toBe('gzip');
    const bytes = await out.imageSetMetadataBlob.transformToByteArray();
    expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b]);
    return JSON.parse(gunzipSync(bytes).toString('utf8')) as MetadataDocument;
  }

  beforeAll(async () => {
    t = await startTestHil();
    const client = t.client();
    datastoreId = await createActiveDatastore(client);
    const imported = await importSyntheticStudy(client, t.s3Dir, datastoreId, smallMrStudy);
    // The multi-frame series: its frames exercise GetImageFrame beyond frame 1.
    for (const id of imported.imageSetIds) {
      imageSetId = id;
      if (firstInstance(await metadata()).instance.ImageFrames.length === 2) break;
    }
    // Three more versions: 2, 3, 4.
    for (const text of ['first', 'second', 'third']) {
      const latest = (await client.send(new GetImageSetCommand({ datastoreId, imageSetId }))).versionId!;
      await client.send(
        new UpdateImageSetMetadataCommand({
          datastoreId,
          imageSetId,
          latestVersionId: latest,
          updateImageSetMetadataUpdates: { DICOMUpdates: { updatableAttributes: studyDescriptionUpdate(text) } },
        }),
      );
      await waitForUnlocked(client, datastoreId, imageSetId);
    }
  });
  afterAll(async () => t.close());

  it('returns the latest version by default and any older version with ?version=', async () => {
    const client = t.client();
    const latest = await client.send(new GetImageSetCommand({ datastoreId, imageSetId }));
    expect(latest).toMatchObject({
      datastoreId,
      imageSetId,
      versionId: '4',
      imageSetState: 'ACTIVE',
      imageSetWorkflowStatus: 'UPDATED',
      isPrimary: true,
    });
    expect(latest.imageSetArn).toBe(
      `arn:aws:medical-imaging:us-east-1:123456789012:datastore/${datastoreId}/imageset/${imageSetId}`,
    );
    const first = await client.send(new GetImageSetCommand({ datastoreId, imageSetId, versionId: '1' }));
    expect(first).toMatchObject({ versionId: '1', imageSetState: 'ACTIVE', imageSetWorkflowStatus: 'IMPORTED' });
    expect(first.createdAt!.getTime()).toBe(latest.createdAt!.getTime());
    expect(first.overrides).toBeUndefined();
    expect(first.deletedAt).toBeUndefined();
  });

  it('serves gzip metadata of every version, each with its own content', async () => {
    expect((await metadata()).Study.DICOM.StudyDescription).toBe('third');
    expect((await metadata('3')).Study.DICOM.StudyDescription).toBe('second');
    const v1 = await metadata('1');
    expect(v1.Study.DICOM.StudyDescription).toBe(smallMrStudy.studyDescription);
    expect(v1).toMatchObject({ SchemaVersion: '1.1', DatastoreID: datastoreId, ImageSetID: imageSetId });
  });

  it('serves the stored bytes of every frame the document lists, with the stored content type', async () => {
    const client = t.client();
    const doc = await metadata();
    const instances = Object.values(firstSeries(doc).series.Instances);
    const frames = instances.flatMap((i) => i.ImageFrames);
    expect(frames.length).toBe(6); // three instances of two frames
    for (const frame of frames) {
      const out = await client.send(
        new GetImageFrameCommand({ datastoreId, imageSetId, imageFrameInformation: { imageFrameId: frame.ID } }),
      );
      const bytes = await out.imageFrameBlob.transformToByteArray();
      expect(bytes.length).toBeGreaterThan(0);
      expect(out.contentType).toMatch(/^(application\/octet-stream|image\/)/);
    }
  });

  it('answers ResourceNotFoundException for an unknown frame, version or image set', async () => {
    const client = t.client();
    await expectServiceError(
      () =>
        client.send(
          new GetImageFrameCommand({
            datastoreId,
            imageSetId,
            imageFrameInformation: { imageFrameId: 'a'.repeat(32) },
          }),
        ),
      'ResourceNotFoundException',
      404,
    );
    await expectServiceError(
      () => client.send(new GetImageSetCommand({ datastoreId, imageSetId, versionId: '99' })),
      'ResourceNotFoundException',
      404,
    );
    await expectServiceError(
      () => client.send(new GetImageSetMetadataCommand({ datastoreId, imageSetId: 'b'.repeat(32) })),
      'ResourceNotFoundException',
      404,
    );
  });

  it('answers ValidationException for malformed ids and versions', async () => {
    const client = t.client();
    await expectServiceError(
      () => client.send(new GetImageSetCommand({ datastoreId, imageSetId: 'short' })),
      'ValidationException',
      400,
    );
    await expectServiceError(
      () => client.send(new GetImageSetCommand({ datastoreId, imageSetId, versionId: 'latest' })),
      'ValidationException',
      400,
    );
    await expectServiceError(
      () =>
        client.send(
          new GetImageFrameCommand({ datastoreId, imageSetId, imageFrameInformation: { imageFrameId: 'XYZ' } }),
        ),
      'ValidationException',
      400,
    );
  });

  it('lists versions newest first with the capital-I ImageSetWorkflowStatus, across pages', async () => {
    const client = t.client();
    const items = [];
    let pages = 0;
    for await (const page of paginateListImageSetVersions({ client, pageSize: 3 }, { datastoreId, imageSetId })) {
      pages += 1;
      items.push(...page.imageSetPropertiesList!);
    }
    expect(pages).toBe(2);
    expect(items.map((i) => i.versionId)).toEqual(['4', '3', '2', '1']);
    expect(items.map((i) => i.ImageSetWorkflowStatus)).toEqual(['UPDATED', 'UPDATED', 'UPDATED', 'IMPORTED']);
    expect(items.every((i) => i.imageSetState === 'ACTIVE' && i.imageSetId === imageSetId)).toBe(true);
    const single = await client.send(new ListImageSetVersionsCommand({ datastoreId, imageSetId, maxResults: 1 }));
    expect(single.imageSetPropertiesList!.map((i) => i.versionId)).toEqual(['4']);
    expect(single.nextToken).toBeTruthy();
  });
});
