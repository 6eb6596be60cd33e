import type { ImageSetRecord } from '../../imaging/records';
import type { RequestScope } from './request-scope';

/**
 * GetImageSet of the latest version, through the request's loader. The answer also describes
 * that version by number, so it is primed under the versioned key too: a query that reaches the
 * same version both ways makes one upstream call.
 */
export async function loadLatestImageSet(scope: RequestScope, datastoreId: string, imageSetId: string): Promise<ImageSetRecord> {
  const record = await scope.loaders.imageSet.load({ datastoreId, imageSetId });
  scope.loaders.imageSet.prime({ datastoreId, imageSetId, versionId: record.versionId }, record);
  return record;
}

export function loadImageSetVersion(
  scope: RequestScope,
  datastoreId: string,
  imageSetId: string,
  versionId: string,
): Promise<ImageSetRecord> {
  return scope.loaders.imageSet.load({ datastoreId, imageSetId, versionId });
}
