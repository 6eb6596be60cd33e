/**
 * Service quotas that answer 402 ServiceQuotaExceededException through the real SDK: data stores
 * per account and region, and image frames per CopyImageSet request.
 */
import { CopyImageSetCommand, CreateDatastoreCommand } from '@aws-sdk/client-medical-imaging';
import type { InstanceNode, MetadataDocument } from '../../healthimaging-local/shapes/metadata-document';
import { startTestHil, type TestHil } from '../support/hil-client';
import { expectServiceError } from '../support/hil-errors';
import { createActiveDatastore, waitForUnlocked } from '../support/hil-wait';

const STUDY = '2.25.7001';
const SERIES = '2.25.7002';

/** A multi-frame instance whose frames the copy counts (frame bytes are not needed to count them). */
function instance(sop: string, frames: number, firstFrame: number): InstanceNode {
  return {
    DICOM: { SOPClassUID: '1.2.840.10008.5.1.4.1.1.7.2', SOPInstanceUID: sop, NumberOfFrames: String(frames) },
    StoredTransferSyntaxUID: '1.2.840.10008.1.2.1',
    ChecksumType: 'DECOMPRESSED',
    ImageFrames: Array.from({ length: frames }, (_, i) => ({
      ID: (firstFrame + i).toString(16).padStart(32, '0'),
      PixelDataChecksumFromBaseToFullResolution: [{ Width: 8, Height: 8, Checksum: i }],
      FrameSizeInBytes: 64,
    })),
  };
}

function documentOf(datastoreId: string, imageSetId: string): MetadataDocument {
  return {
    SchemaVersion: '1.1',
    DatastoreID: datastoreId,
    ImageSetID: imageSetId,
    Patient: { DICOM: { PatientID: 'QUOTA-1' } },
    Study: {
      DICOM: { StudyInstanceUID: STUDY },
      Series: {
        [SERIES]: {
          DICOM: { SeriesInstanceUID: SERIES, Modality: 'OT' },
          Instances: { '2.25.7003': instance('2.25.7003', 1000, 1), '2.25.7004': instance('2.25.7004', 1, 5000) },
        },
      },
    },
  };
}

describe('HealthImaging Local service quotas', () => {
  let t: TestHil;
  beforeAll(async () => {
    t = await startTestHil();
  });
  afterAll(async () => t.close());

  it('refuses a CopyImageSet of more than 1,000 image frames, and copies a subset within the quota', async () => {
    const client = t.client();
    const datastoreId = await createActiveDatastore(client, 'copy-quota');
    const imageSetId = 'e'.repeat(32);
    t.hil.admin.importTarget.createImageSet(datastoreId, imageSetId, documentOf(datastoreId, imageSetId), true);

    const whole = { sourceImageSet: { latestVersionId: '1' } };
    const err = await expectServiceError(
      () =>
        client.send(
          new CopyImageSetCommand({ datastoreId, sourceImageSetId: imageSetId, copyImageSetInformation: whole }),
        ),
      'ServiceQuotaExceededException',
      402,
    );
    expect(err.message).toMatch(/1000 image frames/);

    const copiableAttributes = JSON.stringify({
      SchemaVersion: '1.1',
      Study: { Series: { [SERIES]: { Instances: { '2.25.7003': {} } } } },
    });
    const subset = await client.send(
      new CopyImageSetCommand({
        datastoreId,
        sourceImageSetId: imageSetId,
        copyImageSetInformation: { sourceImageSet: { latestVersionId: '1', DICOMCopies: { copiableAttributes } } },
      }),
    );
    const copied = await waitForUnlocked(client, datastoreId, subset.destinationImageSetProperties!.imageSetId!);
    expect(copied.imageSetWorkflowStatus).toBe('COPIED');
  });

  it('refuses a data store beyond the 100 an account may have in a region', async () => {
    const own = await startTestHil();
    try {
      const client = own.client();
      for (let i = 0; i < 100; i++) await client.send(new CreateDatastoreCommand({ datastoreName: `quota-${i}` }));
      await expectServiceError(
        () => client.send(new CreateDatastoreCommand({ datastoreName: 'one-too-many' })),
        'ServiceQuotaExceededException',
        402,
      );
    } finally {
      await own.close();
    }
  });
});
