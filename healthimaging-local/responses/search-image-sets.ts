import {
  compareForSort,
  echoSort,
  matchesCriteria,
  parseSearchCriteria,
  type SearchCandidate,
} from '../model/search-criteria';
import { isOffset } from '../pagination';
import { epochSeconds, jsonResponse } from '../wire';
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

  const candidates: SearchCandidate[] = services.store.imageSets.listLive(ds.datastoreId).map((row) => ({
    imageSetId: row.imageSetId,
    version: row.latestVersion,
    createdAt: epochSeconds(row.createdAt),
    updatedAt: epochSeconds(row.updatedAt),
    isPrimary: row.isPrimary,
    tags: JSON.parse(row.summary) as SearchCandidate['tags'],
    seriesInstanceUids: row.seriesInstanceUids,
  }));
  const matches = candidates.filter((c) => matchesCriteria(c, criteria)).sort(compareForSort(criteria));
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
