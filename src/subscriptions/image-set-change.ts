import type { CopyResultRecord, DeleteResultRecord, ImageSetRecord, UpdateResultRecord } from '../imaging/records';
import { isVersionId } from '../imaging/version-ids';
import { imageSetFacts, type ImageSetFacts } from '../types/image-set.type';
import type { KnownFacts } from '../types/known-facts';

/**
 * One observed state of an image set, as subscribers receive it. `facts` follows `KnownFacts`: a
 * key that is present is authoritative (even when undefined), an absent one is read on demand.
 * A GetImageSet answer knows every fact; a write's answer knows the lock, the status and the
 * version it created.
 */
export interface ImageSetChange {
  tenantId: string;
  datastoreId: string;
  imageSetId: string;
  facts: KnownFacts<ImageSetFacts>;
}

/** The states a write holds an image set in; anything else is settled (docs/healthimaging-behaviour.md#asynchronous-writes). */
const RUNNING_STATUSES: ReadonlySet<string> = new Set([
  'UPDATING',
  'UPDATING_FOR_STUDY_CONSISTENCY',
  'COPYING',
  'COPYING_WITH_READ_ONLY_ACCESS',
  'DELETING',
  'IMPORTING',
]);

export function changeKey(change: Pick<ImageSetChange, 'tenantId' | 'datastoreId' | 'imageSetId'>): string {
  return `${change.tenantId}\u0000${change.datastoreId}\u0000${change.imageSetId}`;
}

/** Nothing more can happen to it: deleted. */
export function isDeleted(change: ImageSetChange): boolean {
  return change.facts.state === 'DELETED' || change.facts.workflowStatus === 'DELETED';
}

/** No write is running: unlocked, and no `…ING` status. */
export function isSettled(change: ImageSetChange): boolean {
  if (isDeleted(change)) return true;
  const { state, workflowStatus } = change.facts;
  return (
    state !== undefined && state !== 'LOCKED' && !(workflowStatus !== undefined && RUNNING_STATUSES.has(workflowStatus))
  );
}

/** What subscribers see change: the lock, the status, the latest version and the failure message. */
export function signatureOf(change: ImageSetChange): string {
  const { state, workflowStatus, latestVersionId, message } = change.facts;
  return JSON.stringify([state ?? null, workflowStatus ?? null, latestVersionId ?? null, message ?? null]);
}

/** -1, 0 or 1 as version `a` is older, the same as or newer than `b`; 0 when either is unknown. */
export function compareVersions(a: string | undefined, b: string | undefined): number {
  if (a === undefined || b === undefined || !isVersionId(a) || !isVersionId(b)) return 0;
  const difference = BigInt(a) - BigInt(b);
  return difference < 0n ? -1 : difference > 0n ? 1 : 0;
}

export function changeOfRecord(tenantId: string, record: ImageSetRecord): ImageSetChange {
  return { tenantId, datastoreId: record.datastoreId, imageSetId: record.imageSetId, facts: imageSetFacts(record) };
}

/** An image set that was being deleted and now answers NOT_FOUND: deleted. */
export function deletedChange(last: ImageSetChange): ImageSetChange {
  return {
    ...last,
    facts: {
      state: 'DELETED',
      workflowStatus: 'DELETED',
      message: undefined,
      ...(last.facts.latestVersionId !== undefined ? { latestVersionId: last.facts.latestVersionId } : {}),
    },
  };
}

export function changeOfUpdate(tenantId: string, result: UpdateResultRecord): ImageSetChange {
  return {
    tenantId,
    datastoreId: result.datastoreId,
    imageSetId: result.imageSetId,
    facts: {
      latestVersionId: result.latestVersionId,
      state: result.state,
      workflowStatus: result.workflowStatus,
      message: result.message,
      ...(result.createdAt ? { createdAt: result.createdAt } : {}),
      ...(result.updatedAt ? { updatedAt: result.updatedAt } : {}),
    },
  };
}

/** Both sides of a copy; a side whose answer carries no state is left to the pollers. */
export function changesOfCopy(tenantId: string, result: CopyResultRecord): ImageSetChange[] {
  const changes: ImageSetChange[] = [];
  for (const side of [result.source, result.destination]) {
    if (side.state === undefined) continue;
    changes.push({
      tenantId,
      datastoreId: result.datastoreId,
      imageSetId: side.imageSetId,
      facts: {
        latestVersionId: side.latestVersionId,
        state: side.state,
        workflowStatus: side.workflowStatus,
        message: undefined,
        ...(side.createdAt ? { createdAt: side.createdAt } : {}),
        ...(side.updatedAt ? { updatedAt: side.updatedAt } : {}),
        ...(side.arn ? { arn: side.arn } : {}),
      },
    });
  }
  return changes;
}

export function changeOfDelete(tenantId: string, result: DeleteResultRecord): ImageSetChange {
  return {
    tenantId,
    datastoreId: result.datastoreId,
    imageSetId: result.imageSetId,
    facts: { state: result.state, workflowStatus: result.workflowStatus, message: undefined },
  };
}
