import { createHash } from 'node:crypto';
import type { SearchCriteriaInput } from '../../imaging/records';
import type { Connection } from '../../types/connection';
import type { ImageSetSearchArgs } from '../../types/image-set-search.args';
import { ImageSet } from '../../types/image-set.type';
import { phiAccessOr } from '../../phi/phi-access';
import { checkSearchFilter, guardSearchTags } from '../../phi/phi-search';
import { toSearchCriteria } from '../../types/search-filter.mapper';
import { toConnection } from '../paging/connection-builder';
import { upstreamCursorCodec } from '../paging/cursors';
import { pageSize } from '../paging/page-size';
import type { RequestScope } from './request-scope';
import { readUpstreamSlice } from '../paging/upstream-pager';

/**
 * The list a search cursor belongs to: the data store and the exact criteria. Criteria can hold
 * patient identifiers, so only their digest goes into the binding.
 */
export function searchCursorParent(datastoreId: string, criteria: SearchCriteriaInput): string {
  const digest = createHash('sha256').update(JSON.stringify(criteria)).digest('base64url');
  return `ImageSetSearch/${datastoreId}/${digest}`;
}

/** One page of SearchImageSets as an `ImageSetConnection`: one upstream call. */
export async function searchImageSets(
  scope: RequestScope,
  datastoreId: string,
  args: ImageSetSearchArgs,
): Promise<Connection<ImageSet>> {
  // The grant decides first: for another tenant's data store every input, valid or not, and any
  // cursor answer NOT_FOUND, exactly as for a data store that does not exist.
  scope.imaging.assertGranted(datastoreId);
  const phi = phiAccessOr(scope.phi);
  // Searching by patient identity is refused before anything is sent upstream.
  checkSearchFilter(phi, args.filter);
  const first = pageSize(args.first);
  const criteria = toSearchCriteria(args.filter, args.sort);
  const cursors = upstreamCursorCodec(scope, searchCursorParent(datastoreId, criteria));
  const slice = await readUpstreamSlice(
    (page) => scope.imaging.searchImageSets(datastoreId, criteria, page),
    first,
    cursors.decode(args.after),
  );
  return toConnection(slice, cursors.encode, (summary) =>
    ImageSet.fromSummary({ ...summary, dicomTags: guardSearchTags(phi, summary) }),
  );
}
