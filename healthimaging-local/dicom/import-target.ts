import type { MetadataDocument } from '../shapes/metadata-document';

/** The primary image set of a series as an import finds it. */
export interface PrimaryImageSet {
  imageSetId: string;
  latestVersion: number;
  /** An Update/Copy/Delete is running on it: an import must not add a version until it ends. */
  locked: boolean;
  /** The latest version's document. */
  document: MetadataDocument;
}

export interface StoredFrame {
  id: string;
  bytes: Buffer;
  contentType: string;
}

/**
 * What a DICOM import needs from the image set store. HealthImaging Local's model implements it
 * (model/import-writes.ts); the import decides what goes where, the model applies the rules every
 * write obeys (a LOCKED image set takes no new version) and persists.
 */
export interface ImportTarget {
  findPrimary(datastoreId: string, studyInstanceUid: string, seriesInstanceUid: string): PrimaryImageSet | undefined;
  /** Frames are stored as files are read, before the image sets that will reference them exist. */
  putFrames(datastoreId: string, frames: StoredFrame[]): void;
  /** Deletes those of the given frames that no image set references (files that were not imported after all). */
  discardFrames(datastoreId: string, frameIds: string[]): void;
  /**
   * Does ahead of time, off the event loop where it can, the costly part of storing `document`
   * (which must not change afterwards), so the commit that writes it holds the loop for less.
   */
  prepareDocument?(document: MetadataDocument): Promise<void>;
  /**
   * Runs every image set write of a job (the createImageSet / appendImportedVersion calls `write`
   * makes) as one transaction, which also records the job as completed: after a crash the job has
   * either written everything or nothing, and runs again.
   */
  commit(write: () => void): void;
  /** Version 1, ACTIVE, IMPORTED. */
  createImageSet(datastoreId: string, imageSetId: string, document: MetadataDocument, isPrimary: boolean): void;
  /** Latest + 1, ACTIVE, IMPORTED; refused while the image set is LOCKED. */
  appendImportedVersion(datastoreId: string, imageSetId: string, document: MetadataDocument): { versionId: string };
}
