import { echoSort, parseSearchCriteria } from '../model/search-criteria';
import { isOffset } from './page-tokens';
import { jsonResponse } from './wire';
import { datastoreFor } from './access';
import type { Handler } from './handler';
import { fingerprint } from './idempotency';
import { jsonBody, queryMaxResults, queryString } from './input';

/**
 * SearchImageSets over the latest version of every live image set in the data store. The token
 * carries an offset and is signed over a fingerprint of the criteria, so it is only valid for the
 * search that produced it.
 */
export const searchImageSets: Handler = (ctx, services) => {
  const ds = datastoreFor(ctx, services);
  const body = jsonBody(ctx);
  const criteria = parseSearchCriteria(body);
  const maxResults = queryMaxResults(ctx);
  const scope = `SearchImageSets/${ds.datastoreId}/${fingerprint(body)}`;
  const offset = services.pageTokens.open(scope, queryString(ctx, 'nextToken'), isOffset) ?? 0;

  const matches = services.model.imageSets.search(ds.datastoreId, criteria);
  const page = matches.slice(offset, offset + maxResults);
  return jsonResponse({
    imageSetsMetadataSummaries: page.map((c) => ({
      imageSetId: c.imageSetId,
      version: c.version,
      createdAt: c.createdAt,
      updatedAt: c.updatedAt,
      storageTier: 'FREQUENT_ACCESS',
      DICOMTags: c.tags,
      isPrimary: c.isPrimary,
    })),
    sort: echoSort(criteria),
    nextToken: offset + maxResults < matches.length ? services.pageTokens.issue(scope, offset + maxResults) : undefined,
  });
};
