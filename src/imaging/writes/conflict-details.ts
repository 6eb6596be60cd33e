import type { ImageSetRecord } from '../records';

/** What a VERSION_CONFLICT tells the client about the image set that conflicted, as it is now. */
export interface ConflictDetails {
  imageSetId: string;
  latestVersionId: string;
  state: string;
  workflowStatus?: string;
}

/** One image set a write named, with the latest version id the caller expected it to have. */
export interface ConflictSide {
  imageSetId: string;
  expectedVersionId?: string;
}

/**
 * Which image set a conflict is about. HealthImaging's ConflictException does not say (and its
 * message is not passed on), and a copy names two. The answer is the first side whose latest
 * version moved away from the one the caller gave, else the first that is busy (not ACTIVE),
 * else the first side that could be read. `current` holds the sides read, in the same order.
 */
export function conflictDetails(
  sides: readonly ConflictSide[],
  current: ReadonlyArray<ImageSetRecord | undefined>,
): ConflictDetails | undefined {
  const read = sides.flatMap((side, index) => {
    const record = current[index];
    return record ? [{ side, record }] : [];
  });
  const chosen =
    read.find(
      ({ side, record }) => side.expectedVersionId !== undefined && record.versionId !== side.expectedVersionId,
    ) ??
    read.find(({ record }) => record.state !== 'ACTIVE') ??
    read[0];
  if (!chosen) return undefined;
  const { record } = chosen;
  return {
    imageSetId: record.imageSetId,
    latestVersionId: record.versionId,
    state: record.state,
    ...(record.workflowStatus !== undefined ? { workflowStatus: record.workflowStatus } : {}),
  };
}
