import { validation } from '../shapes/errors';
import { parseDicomUpdates } from '../model/metadata-update';
import { jsonResponse } from './wire';
import { epochSeconds } from '../shapes/times';
import { datastoreFor } from './access';
import type { Handler } from './handler';
import { arnOf } from './image-set-properties';
import { jsonBody, objectMember, queryBoolean, queryVersion, resourceId, stringMember, versionNumber } from './input';

/**
 * UpdateImageSetMetadata, CopyImageSet and DeleteImageSet answer at once with the LOCKED form;
 * their completion runs later on the write scheduler
 * (docs/healthimaging-behaviour.md#asynchronous-writes).
 */

export const updateImageSetMetadata: Handler = (ctx, services) => {
  const ds = datastoreFor(ctx, services);
  const imageSetId = resourceId('imageSetId', ctx.params.imageSetId);
  const latestVersion = queryVersion(ctx, 'latestVersion', true);
  const force = queryBoolean(ctx, 'force');
  if (queryBoolean(ctx, 'includeStudyImageSets')) {
    throw validation('includeStudyImageSets is not supported by HealthImaging Local');
  }
  const body = jsonBody(ctx);
  const hasUpdates = body.DICOMUpdates !== undefined && body.DICOMUpdates !== null;
  const hasRevert = body.revertToVersionId !== undefined && body.revertToVersionId !== null;
  if (hasUpdates === hasRevert) {
    throw validation('updateImageSetMetadataUpdates must hold exactly one of DICOMUpdates and revertToVersionId');
  }
  const update = hasRevert
    ? { kind: 'revert' as const, toVersion: versionNumber('revertToVersionId', body.revertToVersionId) }
    : { kind: 'dicom' as const, parsed: parseDicomUpdates(objectMember(body, 'DICOMUpdates', true)) };

  const { imageSet, newVersion, at } = services.model.imageSets.update({
    datastoreId: ds.datastoreId,
    imageSetId,
    latestVersion,
    force,
    update,
  });
  return jsonResponse({
    datastoreId: ds.datastoreId,
    imageSetId,
    latestVersionId: String(newVersion),
    imageSetState: 'LOCKED',
    imageSetWorkflowStatus: 'UPDATING',
    createdAt: epochSeconds(imageSet.createdAt),
    updatedAt: epochSeconds(at),
  });
};

const COPIABLE = { min: 1, max: 260000 };

export const copyImageSet: Handler = (ctx, services) => {
  const ds = datastoreFor(ctx, services);
  const sourceImageSetId = resourceId('sourceImageSetId', ctx.params.imageSetId);
  const force = queryBoolean(ctx, 'force');
  const promoteToPrimary = queryBoolean(ctx, 'promoteToPrimary');
  const body = jsonBody(ctx);
  const source = objectMember(body, 'sourceImageSet', true);
  const sourceLatestVersion = versionNumber('sourceImageSet.latestVersionId', source.latestVersionId);
  const copies = objectMember(source, 'DICOMCopies');
  const copiableAttributes = copies ? stringMember(copies, 'copiableAttributes', true, COPIABLE) : undefined;
  const dest = objectMember(body, 'destinationImageSet');
  const destination = dest
    ? {
        imageSetId: resourceId('destinationImageSet.imageSetId', stringMember(dest, 'imageSetId', true)),
        latestVersion: versionNumber('destinationImageSet.latestVersionId', dest.latestVersionId),
      }
    : undefined;

  const r = services.model.imageSets.copy({
    datastoreId: ds.datastoreId,
    sourceImageSetId,
    sourceLatestVersion,
    copiableAttributes,
    destination,
    force,
    promoteToPrimary,
  });
  const arn = (set: typeof r.source) => arnOf(ctx.region, services.accountId, set);
  return jsonResponse({
    datastoreId: ds.datastoreId,
    sourceImageSetProperties: {
      imageSetId: r.source.imageSetId,
      latestVersionId: String(r.source.latestVersion),
      imageSetState: 'LOCKED',
      imageSetWorkflowStatus: 'COPYING_WITH_READ_ONLY_ACCESS',
      createdAt: epochSeconds(r.source.createdAt),
      updatedAt: epochSeconds(r.at),
      imageSetArn: arn(r.source),
    },
    destinationImageSetProperties: {
      imageSetId: r.destination.imageSetId,
      latestVersionId: String(r.destinationVersion),
      imageSetState: 'LOCKED',
      imageSetWorkflowStatus: 'COPYING',
      createdAt: epochSeconds(r.destination.createdAt),
      updatedAt: epochSeconds(r.at),
      imageSetArn: arn(r.destination),
    },
  });
};

export const deleteImageSet: Handler = (ctx, services) => {
  const ds = datastoreFor(ctx, services);
  const imageSetId = resourceId('imageSetId', ctx.params.imageSetId);
  services.model.imageSets.delete(ds.datastoreId, imageSetId);
  return jsonResponse({
    datastoreId: ds.datastoreId,
    imageSetId,
    imageSetState: 'LOCKED',
    imageSetWorkflowStatus: 'DELETING',
  });
};
