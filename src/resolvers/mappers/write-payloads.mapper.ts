import type { CopyResultRecord, CopySideRecord, DeleteResultRecord, UpdateResultRecord } from '../../imaging/records';
import { CopyImageSetPayload } from '../../types/copy-image-set-payload.type';
import { DeleteImageSetPayload } from '../../types/delete-image-set-payload.type';
import { ImageSetVersion } from '../../types/image-set-version.type';
import { ImageSet } from '../../types/image-set.type';

/**
 * Payload roots carry exactly what the write answered (LOCKED, …ING, the new latest version), so
 * the payload shows the write's own answer; anything the answer lacks is read on demand.
 */
function copySide(datastoreId: string, side: CopySideRecord): ImageSet {
  return ImageSet.withFacts(datastoreId, side.imageSetId, {
    latestVersionId: side.latestVersionId,
    state: side.state,
    workflowStatus: side.workflowStatus,
    createdAt: side.createdAt,
    updatedAt: side.updatedAt,
    arn: side.arn,
  });
}

export function copyPayload(result: CopyResultRecord): CopyImageSetPayload {
  const { datastoreId, source, destination } = result;
  return new CopyImageSetPayload(
    copySide(datastoreId, source),
    copySide(datastoreId, destination),
    ImageSetVersion.withFacts(datastoreId, destination.imageSetId, destination.latestVersionId, {
      state: destination.state,
      workflowStatus: destination.workflowStatus,
      createdAt: destination.createdAt,
      updatedAt: destination.updatedAt,
    }),
  );
}

/** The image set and the version an update or a revert created. */
export function updatedVersion(result: UpdateResultRecord): { imageSet: ImageSet; version: ImageSetVersion } {
  const written = {
    state: result.state,
    workflowStatus: result.workflowStatus,
    createdAt: result.createdAt,
    updatedAt: result.updatedAt,
    message: result.message,
  };
  return {
    imageSet: ImageSet.withFacts(result.datastoreId, result.imageSetId, {
      latestVersionId: result.latestVersionId,
      ...written,
    }),
    version: ImageSetVersion.withFacts(result.datastoreId, result.imageSetId, result.latestVersionId, written),
  };
}

export function deletePayload(result: DeleteResultRecord): DeleteImageSetPayload {
  return new DeleteImageSetPayload(
    ImageSet.withFacts(result.datastoreId, result.imageSetId, {
      state: result.state,
      workflowStatus: result.workflowStatus,
    }),
  );
}
