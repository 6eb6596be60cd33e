import { BROWSER_PAGE_SIZE } from '../fixture/bench-studies';
import type { WorkloadName } from '../workloads/variants';

/**
 * The distinct upstream resources one operation of each workload needs: the floor of upstream
 * calls for any implementation that does not cache across requests.
 */
export const DISTINCT_RESOURCES: Record<WorkloadName, Record<string, number>> = {
  // The image set, and one page of its versions.
  'viewer-header': { GetImageSet: 1, ListImageSetVersions: 1 },
  // One search page; per result its image set (state) and its metadata document (series).
  'study-browser': { SearchImageSets: 1, GetImageSet: BROWSER_PAGE_SIZE, GetImageSetMetadata: BROWSER_PAGE_SIZE },
  // The image set (latest version id) and that version's document.
  'metadata-detail': { GetImageSet: 1, GetImageSetMetadata: 1 },
  // The write, and the image set read back.
  'write-mix': { UpdateImageSetMetadata: 1, GetImageSet: 1 },
};

/** Metadata documents (distinct versions) one operation reads. */
export const DISTINCT_DOCUMENTS: Partial<Record<WorkloadName, number>> = {
  'study-browser': BROWSER_PAGE_SIZE,
  'metadata-detail': 1,
};

export function totalOf(calls: Record<string, number>): number {
  return Object.values(calls).reduce((sum, count) => sum + count, 0);
}
