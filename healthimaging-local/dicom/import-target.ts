import type { MetadataDocument } from '../model/metadata-document';

/**
 * What a DICOM import needs from the image set store. HealthImaging Local's SQLite store
 * implements it; the import decides what goes where, the store only persists.
 */
export interface ImportTarget {
  /** The primary image set of a series, with the document of its latest version. */
  findPrimary(
    datastoreId: string,
    studyInstanceUid: string,
    seriesInstanceUid: string,
  ): { imageSetId: string; document: MetadataDocument } | undefined;
  putFrames(datastoreId: string, frames: Array<{ id: string; bytes: Buffer; contentType: string }>): void;
  /** Version 1, ACTIVE, IMPORTED. */
  createImageSet(datastoreId: string, imageSetId: string, document: MetadataDocument, isPrimary: boolean): void;
  /** Latest + 1, ACTIVE, IMPORTED. */
  appendImportedVersion(datastoreId: string, imageSetId: string, document: MetadataDocument): { versionId: string };
}
