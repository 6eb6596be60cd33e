import type { MetadataDocument } from '../../../healthimaging-local/model/metadata-document';
import type { ImportTarget } from '../../../healthimaging-local/dicom/import-target';

/**
 * An in-memory ImportTarget for unit tests of the import alone: it keeps every version of every
 * image set and every frame, so tests can inspect exactly what an import wrote.
 */
export interface FakeImageSet {
  imageSetId: string;
  isPrimary: boolean;
  versions: MetadataDocument[];
}

export class FakeImportTarget implements ImportTarget {
  readonly imageSets = new Map<string, FakeImageSet>();
  readonly frames = new Map<string, { bytes: Buffer; contentType: string }>();
  putFramesCalls = 0;

  findPrimary(datastoreId: string, studyInstanceUid: string, seriesInstanceUid: string) {
    for (const set of this.imageSets.values()) {
      const latest = set.versions[set.versions.length - 1];
      if (
        set.isPrimary &&
        latest.DatastoreID === datastoreId &&
        latest.Study.DICOM.StudyInstanceUID === studyInstanceUid &&
        latest.Study.Series[seriesInstanceUid]
      ) {
        return { imageSetId: set.imageSetId, document: latest };
      }
    }
    return undefined;
  }

  putFrames(_datastoreId: string, frames: Array<{ id: string; bytes: Buffer; contentType: string }>): void {
    this.putFramesCalls++;
    for (const frame of frames) this.frames.set(frame.id, { bytes: frame.bytes, contentType: frame.contentType });
  }

  createImageSet(_datastoreId: string, imageSetId: string, document: MetadataDocument, isPrimary: boolean): void {
    if (this.imageSets.has(imageSetId)) throw new Error('duplicate image set id');
    this.imageSets.set(imageSetId, { imageSetId, isPrimary, versions: [document] });
  }

  appendImportedVersion(_datastoreId: string, imageSetId: string, document: MetadataDocument): { versionId: string } {
    const set = this.imageSets.get(imageSetId);
    if (!set) throw new Error('unknown image set');
    set.versions.push(document);
    return { versionId: String(set.versions.length) };
  }

  latest(imageSetId: string): MetadataDocument {
    const set = this.imageSets.get(imageSetId);
    if (!set) throw new Error('unknown image set');
    return set.versions[set.versions.length - 1];
  }

  primaries(): FakeImageSet[] {
    return [...this.imageSets.values()].filter((s) => s.isPrimary);
  }

  nonPrimaries(): FakeImageSet[] {
    return [...this.imageSets.values()].filter((s) => !s.isPrimary);
  }
}
