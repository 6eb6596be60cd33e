import { BadUserInputError } from '../../../src/errors/gateway-errors';
import type { CopyImageSetRequest } from '../../../src/imaging/imaging-port';
import { toCopyCommandInput, toUpdateCommandInput } from '../../../src/imaging/upstream/write-requests';

const ds = 'a'.repeat(32);
const ctSet = 'b'.repeat(32);
const mrSet = 'c'.repeat(32);
const subset = { SchemaVersion: '1.1', Study: { Series: { '1.2.3': { Instances: { '1.2.3.4': {} } } } } };

function badInput(build: () => unknown): BadUserInputError {
  try {
    build();
  } catch (error) {
    expect(error).toBeInstanceOf(BadUserInputError);
    return error as BadUserInputError;
  }
  throw new Error('expected BAD_USER_INPUT');
}

describe('toCopyCommandInput', () => {
  it('copies the whole latest version into a new image set', () => {
    expect(toCopyCommandInput({ datastoreId: ds, sourceImageSetId: ctSet, sourceLatestVersionId: '3' })).toEqual({
      datastoreId: ds,
      sourceImageSetId: ctSet,
      copyImageSetInformation: { sourceImageSet: { latestVersionId: '3' } },
    });
  });

  it('names the destination and its version, sends the subset as a JSON string and the flags as given', () => {
    const input: CopyImageSetRequest = {
      datastoreId: ds,
      sourceImageSetId: ctSet,
      sourceLatestVersionId: '3',
      destination: { imageSetId: mrSet, latestVersionId: '7' },
      copiableAttributes: subset,
      force: true,
      promoteToPrimary: false,
    };
    expect(toCopyCommandInput(input)).toEqual({
      datastoreId: ds,
      sourceImageSetId: ctSet,
      copyImageSetInformation: {
        sourceImageSet: { latestVersionId: '3', DICOMCopies: { copiableAttributes: JSON.stringify(subset) } },
        destinationImageSet: { imageSetId: mrSet, latestVersionId: '7' },
      },
      force: true,
      promoteToPrimary: false,
    });
  });

  it('leaves flags GraphQL handed over as null off the wire', () => {
    const input = {
      datastoreId: ds,
      sourceImageSetId: ctSet,
      sourceLatestVersionId: '1',
      force: null,
      promoteToPrimary: null,
    };
    const request = toCopyCommandInput(input as unknown as CopyImageSetRequest);
    expect(request).not.toHaveProperty('force');
    expect(request).not.toHaveProperty('promoteToPrimary');
  });

  it('refuses a copy of an image set onto itself, and malformed ids, naming the field only', () => {
    const self = badInput(() =>
      toCopyCommandInput({
        datastoreId: ds,
        sourceImageSetId: ctSet,
        sourceLatestVersionId: '1',
        destination: { imageSetId: ctSet, latestVersionId: '1' },
      }),
    );
    expect(self.extensions.invalidFields).toEqual(['destination.imageSetId']);
    const version = badInput(() =>
      toCopyCommandInput({ datastoreId: ds, sourceImageSetId: ctSet, sourceLatestVersionId: 'Doe^John' }),
    );
    expect(version.message).toBe('sourceLatestVersionId must be a version id: a positive decimal number such as "1".');
    expect(
      badInput(() => toCopyCommandInput({ datastoreId: ds, sourceImageSetId: 'nope', sourceLatestVersionId: '1' }))
        .extensions.invalidFields,
    ).toEqual(['sourceImageSetId']);
  });
});

describe('toUpdateCommandInput', () => {
  it('encodes updatable and removable attributes as UTF-8 JSON bytes', () => {
    const updatableAttributes = { SchemaVersion: '1.1', Study: { DICOM: { StudyDescription: 'CT THORAX – révisé' } } };
    const removableAttributes = { SchemaVersion: '1.1', Patient: { DICOM: { PatientComments: 'x' } } };
    const request = toUpdateCommandInput({
      datastoreId: ds,
      imageSetId: ctSet,
      latestVersionId: '2',
      updates: { updatableAttributes, removableAttributes },
      force: false,
    });
    const updates = request.updateImageSetMetadataUpdates as {
      DICOMUpdates: { updatableAttributes: Uint8Array; removableAttributes: Uint8Array };
    };
    expect(JSON.parse(new TextDecoder().decode(updates.DICOMUpdates.updatableAttributes))).toEqual(updatableAttributes);
    expect(JSON.parse(new TextDecoder().decode(updates.DICOMUpdates.removableAttributes))).toEqual(removableAttributes);
    expect(request).toMatchObject({ datastoreId: ds, imageSetId: ctSet, latestVersionId: '2', force: false });
  });

  it('sends a revert as revertToVersionId alone', () => {
    expect(
      toUpdateCommandInput({ datastoreId: ds, imageSetId: ctSet, latestVersionId: '4', revertToVersionId: '1' }),
    ).toEqual({
      datastoreId: ds,
      imageSetId: ctSet,
      latestVersionId: '4',
      updateImageSetMetadataUpdates: { revertToVersionId: '1' },
    });
  });

  it('refuses both an update and a revert, and neither', () => {
    const updates = { updatableAttributes: { SchemaVersion: '1.1' } };
    expect(
      badInput(() =>
        toUpdateCommandInput({
          datastoreId: ds,
          imageSetId: ctSet,
          latestVersionId: '4',
          revertToVersionId: '1',
          updates,
        }),
      ).message,
    ).toBe('Give either metadata updates or a version to revert to, not both.');
    expect(
      badInput(() => toUpdateCommandInput({ datastoreId: ds, imageSetId: ctSet, latestVersionId: '4', updates: {} }))
        .message,
    ).toBe('Give metadata updates or a version to revert to.');
  });

  it('refuses a malformed revert target before anything is sent', () => {
    const error = badInput(() =>
      toUpdateCommandInput({ datastoreId: ds, imageSetId: ctSet, latestVersionId: '4', revertToVersionId: 'latest' }),
    );
    expect(error.extensions.invalidFields).toEqual(['revertToVersionId']);
  });
});
