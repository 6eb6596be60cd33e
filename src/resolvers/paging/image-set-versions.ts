import type { Connection } from '../../types/connection';
import { ImageSetVersion } from '../../types/image-set-version.type';
import { toConnection } from './connection-builder';
import { upstreamCursorCodec } from './cursors';
import { pageSize } from './page-size';
import type { RequestScope } from '../request/request-scope';
import { readUpstreamSlice } from './upstream-pager';

export function versionsCursorParent(datastoreId: string, imageSetId: string): string {
  return `ImageSetVersions/${datastoreId}/${imageSetId}`;
}

/** One page of ListImageSetVersions (newest first) through the per-request page loader. */
export async function listImageSetVersions(
  scope: RequestScope,
  datastoreId: string,
  imageSetId: string,
  args: { first?: number | null; after?: string | null },
): Promise<Connection<ImageSetVersion>> {
  const first = pageSize(args.first);
  const cursors = upstreamCursorCodec(scope, versionsCursorParent(datastoreId, imageSetId));
  const slice = await readUpstreamSlice(
    (page) => scope.loaders.versionsPage.load({ datastoreId, imageSetId, ...page }),
    first,
    cursors.decode(args.after),
  );
  return toConnection(slice, cursors.encode, (record) => ImageSetVersion.fromRecord(record));
}
