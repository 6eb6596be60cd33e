import type { ImagingPort } from '../../imaging/imaging-port';
import type { CopyResultRecord, DeleteResultRecord, UpdateResultRecord } from '../../imaging/records';
import type { RequestScope } from './request-scope';

type WriteResult = CopyResultRecord | UpdateResultRecord | DeleteResultRecord;

/** The image sets a write touched: both sides of a copy, else the one it named. */
export function writtenImageSets(result: WriteResult): { datastoreId: string; imageSetIds: string[] } {
  const imageSetIds =
    'source' in result ? [result.source.imageSetId, result.destination.imageSetId] : [result.imageSetId];
  return { datastoreId: result.datastoreId, imageSetIds };
}

/**
 * Every mutation sends its write through here, so what follows a write happens in one place:
 * this request's loaders forget the image sets it touched (a payload read afterwards sees the
 * write), whichever mutation it was. Anything else a write must trigger belongs here too.
 */
export async function sendWrite<R extends WriteResult>(
  scope: RequestScope,
  send: (imaging: ImagingPort) => Promise<R>,
): Promise<R> {
  const result = await send(scope.imaging);
  const { datastoreId, imageSetIds } = writtenImageSets(result);
  scope.loaders.afterWrite(datastoreId, ...imageSetIds);
  return result;
}
