/**
 * Image set states and workflow statuses
 * (docs/healthimaging-behaviour.md#states-and-workflow-statuses) and the state machine of
 * docs/healthimaging-behaviour.md#asynchronous-writes: every write answers with the LOCKED + ...ING
 * form and a timer later moves the image set to its final form.
 */
export type ImageSetState = 'ACTIVE' | 'LOCKED' | 'DELETED';

export type WorkflowStatus =
  | 'CREATED'
  | 'COPIED'
  | 'COPYING'
  | 'COPYING_WITH_READ_ONLY_ACCESS'
  | 'COPY_FAILED'
  | 'UPDATING'
  | 'UPDATED'
  | 'UPDATE_FAILED'
  | 'DELETING'
  | 'DELETED'
  | 'IMPORTING'
  | 'IMPORTED'
  | 'IMPORT_FAILED';

export interface ImageSetRecord {
  datastoreId: string;
  imageSetId: string;
  isPrimary: boolean;
  studyInstanceUid: string | null;
  seriesInstanceUid: string | null;
  /** Every series the latest version holds, in document order (search matches any of them). */
  seriesInstanceUids: string[];
  latestVersion: number;
  state: ImageSetState;
  createdAt: number;
  updatedAt: number;
  deletedAt: number | null;
  summary: string;
}

export interface VersionRecord {
  datastoreId: string;
  imageSetId: string;
  version: number;
  state: ImageSetState;
  workflowStatus: WorkflowStatus;
  message: string | null;
  forced: boolean;
  createdAt: number;
  updatedAt: number;
  deletedAt: number | null;
}

/**
 * What a pending Update/Copy/Delete carries from the request to its completion. Stored as JSON,
 * so a member written as undefined reads back absent: both mean "not given".
 */
export type PendingWrite =
  | {
      kind: 'update';
      imageSetId: string;
      baseVersion: number;
      newVersion: number;
      force: boolean;
      revertToVersion?: number | undefined;
      updatable?: Record<string, unknown> | undefined;
      removable?: Record<string, unknown> | undefined;
    }
  | {
      kind: 'copy';
      sourceImageSetId: string;
      sourceVersion: number;
      sourcePreviousStatus: WorkflowStatus;
      selection?: unknown;
      destinationImageSetId: string;
      destinationIsNew: boolean;
      destinationBaseVersion?: number | undefined;
      newVersion: number;
      force: boolean;
      promoteToPrimary: boolean;
    }
  | { kind: 'delete'; imageSetId: string; version: number };

export interface PendingWriteRow {
  id: number;
  datastoreId: string;
  imageSetId: string;
  dueAt: number;
  write: PendingWrite;
}
