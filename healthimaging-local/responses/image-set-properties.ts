import { imageSetArn } from './arns';
import type { ImageSetRecord, VersionRecord } from '../shapes/image-set-state';
import { epochSeconds } from '../shapes/times';

/**
 * The properties every image set response shares. `createdAt` is the image set's creation time
 * (the same on every version, as in the documented ListImageSetVersions example); `updatedAt` is
 * when that version was last written.
 */
export function versionProperties(imageSet: ImageSetRecord, version: VersionRecord) {
  return {
    imageSetId: imageSet.imageSetId,
    versionId: String(version.version),
    imageSetState: version.state,
    createdAt: epochSeconds(imageSet.createdAt),
    updatedAt: epochSeconds(version.updatedAt),
    deletedAt: version.deletedAt === null ? undefined : epochSeconds(version.deletedAt),
    message: version.message ?? undefined,
    overrides: version.forced ? { forced: true } : undefined,
    isPrimary: imageSet.isPrimary,
  };
}

export function arnOf(region: string, accountId: string, imageSet: ImageSetRecord): string {
  return imageSetArn(region, accountId, imageSet.datastoreId, imageSet.imageSetId);
}
