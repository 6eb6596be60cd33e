import { BadUserInputError } from '../../../src/errors/gateway-errors';
import type { MetadataDocument } from '../../../src/imaging/records';
import { toCopyRequest, toRevertRequest, toUpdateRequest } from '../../../src/resolvers/mappers/write-inputs.mapper';
import { copyPayload, deletePayload, updatedVersion } from '../../../src/resolvers/mappers/write-payloads.mapper';
import type { CopyImageSetInput } from '../../../src/types/copy-image-set.input';
import type { UpdateImageSetMetadataInput } from '../../../src/types/update-image-set-metadata.input';
import { present } from '../../support/present';

const DS = 'a'.repeat(32);
const SET = 'b'.repeat(32);
const SERIES = '1.2.3.4';

function update(overrides: Partial<UpdateImageSetMetadataInput>): UpdateImageSetMetadataInput {
  return { datastoreId: DS, imageSetId: SET, latestVersionId: '2', force: false, ...overrides };
}

function copy(overrides: Partial<CopyImageSetInput>): CopyImageSetInput {
  return {
    datastoreId: DS,
    sourceImageSetId: SET,
    sourceLatestVersionId: '1',
    force: false,
    promoteToPrimary: false,
    ...overrides,
  };
}

const sourceDocument = {
  SchemaVersion: '1.1',
  Study: {
    DICOM: {},
    Series: { [SERIES]: { DICOM: {}, Instances: { '1.2.3.4.1': { DICOM: {} }, '1.2.3.4.2': { DICOM: {} } } } },
  },
} as unknown as MetadataDocument;

describe('toUpdateRequest', () => {
  it('builds level-structured change documents and keeps force', () => {
    const request = toUpdateRequest(
      update({
        force: true,
        updates: {
          patient: { PatientName: 'Doe^Jane' },
          series: [{ seriesInstanceUid: SERIES, attributes: { SeriesDescription: 'AXIAL' } }],
          instances: null,
        },
        removals: {
          study: { StudyDescription: 'OLD' },
          removeInstances: [{ seriesInstanceUid: SERIES, sopInstanceUid: '1.2.3.4.5' }],
        },
      }),
    );
    expect(request).toEqual({
      datastoreId: DS,
      imageSetId: SET,
      latestVersionId: '2',
      force: true,
      updates: {
        updatableAttributes: {
          SchemaVersion: '1.1',
          Patient: { DICOM: { PatientName: 'Doe^Jane' } },
          Study: { Series: { [SERIES]: { DICOM: { SeriesDescription: 'AXIAL' } } } },
        },
        removableAttributes: {
          SchemaVersion: '1.1',
          Study: { DICOM: { StudyDescription: 'OLD' }, Series: { [SERIES]: { Instances: { '1.2.3.4.5': {} } } } },
        },
      },
    });
  });

  it('refuses an update with neither updates nor removals', () => {
    expect(() => toUpdateRequest(update({}))).toThrow(BadUserInputError);
  });

  it('passes private attributes with their VRs to the instance level', () => {
    const request = toUpdateRequest(
      update({
        updates: {
          instances: [
            {
              seriesInstanceUid: SERIES,
              sopInstanceUid: '1.2.3.4.1',
              attributes: { '00091001': 'X' },
              vrs: { '00091001': 'LO' },
            },
          ],
        },
      }),
    );
    const series = present(request.updates!.updatableAttributes!.Study!.Series![SERIES], 'the series');
    expect(series.Instances!['1.2.3.4.1']).toEqual({
      DICOM: { '00091001': 'X' },
      DICOMVRs: { '00091001': 'LO' },
    });
  });
});

describe('toRevertRequest', () => {
  it('asks for a revert on the expected latest version', () => {
    expect(toRevertRequest({ datastoreId: DS, imageSetId: SET, latestVersionId: '4', toVersionId: '1' })).toEqual({
      datastoreId: DS,
      imageSetId: SET,
      latestVersionId: '4',
      revertToVersionId: '1',
    });
  });
});

describe('toCopyRequest', () => {
  it('copies everything into a new image set without reading the source', async () => {
    const loadSource = jest.fn(async () => sourceDocument);
    expect(await toCopyRequest(copy({ promoteToPrimary: true }), loadSource)).toEqual({
      datastoreId: DS,
      sourceImageSetId: SET,
      sourceLatestVersionId: '1',
      force: false,
      promoteToPrimary: true,
    });
    expect(loadSource).not.toHaveBeenCalled();
  });

  it('lists chosen instances without reading the source, and names an existing destination', async () => {
    const loadSource = jest.fn(async () => sourceDocument);
    const request = await toCopyRequest(
      copy({
        destination: { imageSetId: 'c'.repeat(32), latestVersionId: '3' },
        subset: { series: [{ seriesInstanceUid: SERIES, sopInstanceUids: ['1.2.3.4.2'] }] },
      }),
      loadSource,
    );
    expect(request.destination).toEqual({ imageSetId: 'c'.repeat(32), latestVersionId: '3' });
    expect(request.copiableAttributes).toEqual({
      SchemaVersion: '1.1',
      Study: { Series: { [SERIES]: { Instances: { '1.2.3.4.2': {} } } } },
    });
    expect(loadSource).not.toHaveBeenCalled();
  });

  it('expands a series given without instances from the source document', async () => {
    const request = await toCopyRequest(
      copy({ subset: { series: [{ seriesInstanceUid: SERIES }] } }),
      async () => sourceDocument,
    );
    const series = present(request.copiableAttributes!.Study!.Series![SERIES], 'the series');
    expect(series.Instances).toEqual({ '1.2.3.4.1': {}, '1.2.3.4.2': {} });
  });

  it('refuses a series the source does not hold', async () => {
    await expect(
      toCopyRequest(copy({ subset: { series: [{ seriesInstanceUid: '9.9' }] } }), async () => sourceDocument),
    ).rejects.toThrow(/subset\.series\[0\]\.seriesInstanceUid is not a series of the source/);
  });
});

describe('write payloads', () => {
  it('carry exactly what a copy answered for both sides and the created version', () => {
    const payload = copyPayload({
      datastoreId: DS,
      source: {
        imageSetId: SET,
        latestVersionId: '1',
        state: 'LOCKED',
        workflowStatus: 'COPYING_WITH_READ_ONLY_ACCESS',
      },
      destination: { imageSetId: 'c'.repeat(32), latestVersionId: '1', state: 'LOCKED', workflowStatus: 'COPYING' },
    });
    expect(payload.sourceImageSet.known).toEqual({
      latestVersionId: '1',
      state: 'LOCKED',
      workflowStatus: 'COPYING_WITH_READ_ONLY_ACCESS',
    });
    expect(payload.destinationImageSet.imageSetId).toBe('c'.repeat(32));
    expect(payload.destinationVersion.versionId).toBe('1');
    expect(payload.destinationVersion.known).toEqual({ state: 'LOCKED', workflowStatus: 'COPYING' });
  });

  it('describe the version an update created with the state the update answered', () => {
    const { imageSet, version } = updatedVersion({
      datastoreId: DS,
      imageSetId: SET,
      latestVersionId: '5',
      state: 'LOCKED',
      workflowStatus: 'UPDATING',
    });
    expect(imageSet.known).toEqual({ latestVersionId: '5', state: 'LOCKED', workflowStatus: 'UPDATING' });
    expect(version.versionId).toBe('5');
    expect(version.known).toEqual({ state: 'LOCKED', workflowStatus: 'UPDATING' });
  });

  it('describe a deletion as it started', () => {
    expect(
      deletePayload({ datastoreId: DS, imageSetId: SET, state: 'LOCKED', workflowStatus: 'DELETING' }).imageSet.known,
    ).toEqual({
      state: 'LOCKED',
      workflowStatus: 'DELETING',
    });
  });
});
