import type { CopyImageSetCommandInput, UpdateImageSetMetadataCommandInput } from '@aws-sdk/client-medical-imaging';
import { BadUserInputError } from '../../errors/gateway-errors';
import type { CopyImageSetRequest, UpdateImageSetMetadataRequest } from '../imaging-port';
import { checkResourceId } from '../request-checks';
import { checkVersionId } from '../version-ids';

/**
 * The wire requests of the two versioned writes, checked and built before anything is sent.
 * GraphQL hands explicit nulls through; only real booleans and documents go on the wire.
 */

export function toCopyCommandInput(input: CopyImageSetRequest): CopyImageSetCommandInput {
  const { datastoreId, sourceImageSetId, destination } = input;
  checkResourceId(sourceImageSetId, 'sourceImageSetId');
  checkVersionId(input.sourceLatestVersionId, 'sourceLatestVersionId');
  if (destination) {
    checkResourceId(destination.imageSetId, 'destination.imageSetId');
    checkVersionId(destination.latestVersionId, 'destination.latestVersionId');
    if (destination.imageSetId === sourceImageSetId) {
      throw new BadUserInputError('The destination image set must differ from the source.', {
        invalidFields: ['destination.imageSetId'],
      });
    }
  }
  return {
    datastoreId,
    sourceImageSetId,
    copyImageSetInformation: {
      sourceImageSet: {
        latestVersionId: input.sourceLatestVersionId,
        ...(input.copiableAttributes
          ? { DICOMCopies: { copiableAttributes: JSON.stringify(input.copiableAttributes) } }
          : {}),
      },
      ...(destination
        ? { destinationImageSet: { imageSetId: destination.imageSetId, latestVersionId: destination.latestVersionId } }
        : {}),
    },
    ...(typeof input.force === 'boolean' ? { force: input.force } : {}),
    ...(typeof input.promoteToPrimary === 'boolean' ? { promoteToPrimary: input.promoteToPrimary } : {}),
  };
}

export function toUpdateCommandInput(input: UpdateImageSetMetadataRequest): UpdateImageSetMetadataCommandInput {
  checkResourceId(input.imageSetId, 'imageSetId');
  checkVersionId(input.latestVersionId, 'latestVersionId');
  return {
    datastoreId: input.datastoreId,
    imageSetId: input.imageSetId,
    latestVersionId: input.latestVersionId,
    updateImageSetMetadataUpdates: updatesOf(input),
    ...(typeof input.force === 'boolean' ? { force: input.force } : {}),
  };
}

function updatesOf(
  input: UpdateImageSetMetadataRequest,
): UpdateImageSetMetadataCommandInput['updateImageSetMetadataUpdates'] {
  if (input.revertToVersionId != null) {
    if (input.updates != null) {
      throw new BadUserInputError('Give either metadata updates or a version to revert to, not both.', {
        invalidFields: ['updates', 'revertToVersionId'],
      });
    }
    checkVersionId(input.revertToVersionId, 'revertToVersionId');
    return { revertToVersionId: input.revertToVersionId };
  }
  const { updatableAttributes, removableAttributes } = input.updates ?? {};
  if (!updatableAttributes && !removableAttributes) {
    throw new BadUserInputError('Give metadata updates or a version to revert to.', {
      invalidFields: ['updates', 'revertToVersionId'],
    });
  }
  const encoder = new TextEncoder();
  return {
    DICOMUpdates: {
      ...(updatableAttributes ? { updatableAttributes: encoder.encode(JSON.stringify(updatableAttributes)) } : {}),
      ...(removableAttributes ? { removableAttributes: encoder.encode(JSON.stringify(removableAttributes)) } : {}),
    },
  };
}
