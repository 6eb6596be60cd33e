import type { CopySideRecord, ImageSetRecord, ImageSetVersionRecord } from '../records';
import { nextVersionId } from '../version-ids';

/**
 * Deciding, after an ambiguous write failure (5xx, timeout, reset), whether the write was applied.
 * Only what the version history proves is accepted; everything else stays "unknown" and the caller
 * reports that the write may or may not have happened. Nothing here resends a write.
 */

export const UPDATE_WORKFLOW_STATUSES: readonly string[] = ['UPDATING', 'UPDATED', 'UPDATE_FAILED'];
export const COPY_WORKFLOW_STATUSES: readonly string[] = ['COPYING', 'COPIED', 'COPY_FAILED'];
export const DELETE_WORKFLOW_STATUSES: readonly string[] = ['DELETING', 'DELETED'];

/**
 * Upstream timestamps come from another clock; versions written up to this long before our call
 * started still count as "after" it. A version older than that cannot be ours.
 */
export const DEFAULT_CLOCK_SKEW_MS = 5000;

export interface WriteWindow {
  /** Local time just before the write was sent. */
  startedAt: Date;
  clockSkewMs: number;
}

export const AMBIGUOUS_WRITE_MESSAGE = (operation: string): string =>
  `HealthImaging failed while processing ${operation}; the write may or may not have been applied. ` +
  'Check the image set version history before retrying.';

function writtenWithin(version: ImageSetVersionRecord, window: WriteWindow): boolean {
  const when = version.updatedAt ?? version.createdAt;
  return when !== undefined && when.getTime() >= window.startedAt.getTime() - window.clockSkewMs;
}

/**
 * The version our write would have created: `previousVersionId + 1`, with a workflow status of
 * that write kind, written after the call started. It is looked for in the latest record first,
 * then in the first page of the version history (another write may have followed).
 */
export function findWrittenVersion(
  evidence: { latest: ImageSetRecord; versions: readonly ImageSetVersionRecord[] },
  expected: { previousVersionId: string; statuses: readonly string[] },
  window: WriteWindow,
): ImageSetVersionRecord | undefined {
  const target = nextVersionId(expected.previousVersionId);
  const candidates: ImageSetVersionRecord[] = [evidence.latest, ...evidence.versions];
  return candidates.find(
    (version) =>
      version.versionId === target &&
      version.workflowStatus !== undefined &&
      expected.statuses.includes(version.workflowStatus) &&
      writtenWithin(version, window),
  );
}

/**
 * Among image sets found by a search after a copy into a new image set, the one that copy made:
 * version 1, a copy workflow status, created after the call started, primary only when promotion
 * was asked, not the source, and not the destination of a copy already answered. Proven only when
 * exactly one matches; two concurrent copies of the same series cannot be told apart.
 */
export function pickNewCopyDestination(
  candidates: readonly ImageSetRecord[],
  expected: { sourceImageSetId: string; promoteToPrimary: boolean; answered?: (imageSetId: string) => boolean },
  window: WriteWindow,
): ImageSetRecord | undefined {
  const matches = candidates.filter(
    (candidate) =>
      candidate.imageSetId !== expected.sourceImageSetId &&
      expected.answered?.(candidate.imageSetId) !== true &&
      candidate.versionId === '1' &&
      candidate.workflowStatus !== undefined &&
      COPY_WORKFLOW_STATUSES.includes(candidate.workflowStatus) &&
      (candidate.isPrimary === undefined || candidate.isPrimary === expected.promoteToPrimary) &&
      candidate.createdAt !== undefined &&
      candidate.createdAt.getTime() >= window.startedAt.getTime() - window.clockSkewMs,
  );
  return matches.length === 1 ? matches[0] : undefined;
}

export function copySideFrom(record: ImageSetVersionRecord & { arn?: string | undefined }): CopySideRecord {
  const side: CopySideRecord = {
    imageSetId: record.imageSetId,
    latestVersionId: record.versionId,
    state: record.state,
  };
  if (record.workflowStatus !== undefined) side.workflowStatus = record.workflowStatus;
  if (record.createdAt !== undefined) side.createdAt = record.createdAt;
  if (record.updatedAt !== undefined) side.updatedAt = record.updatedAt;
  if (record.arn !== undefined) side.arn = record.arn;
  return side;
}
