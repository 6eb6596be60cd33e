import type { MetadataDocument } from '../../../healthimaging-local/shapes/metadata-document';
import type { ImportTarget, PrimaryImageSet, StoredFrame } from '../../../healthimaging-local/dicom/import-target';
import { present, type AtLeast } from '../../support/present';

/**
 * An in-memory ImportTarget for unit tests of the import alone: it keeps every version of every
 * image set and every frame, so tests can inspect exactly what an import wrote. `locked` stands
 * for image sets an Update/Copy/Delete holds; `commit` is all-or-nothing like the real store's.
 */
export interface FakeImageSet {
  imageSetId: string;
  isPrimary: boolean;
  versions: AtLeast<MetadataDocument, 1>;
}

function latestVersion(set: FakeImageSet): MetadataDocument {
  return present(set.versions[set.versions.length - 1], `a version of image set ${set.imageSetId}`);
}

export class FakeImportTarget implements ImportTarget {
  readonly imageSets = new Map<string, FakeImageSet>();
  readonly frames = new Map<string, { bytes: Buffer; contentType: string }>();
  readonly locked = new Set<string>();
  putFramesCalls = 0;
  commits = 0;
  /** What the real store does ahead of a commit; tests replace it to act while a job waits on it. */
  prepareDocument = async (_document: MetadataDocument): Promise<void> => undefined;

  findPrimary(datastoreId: string, studyInstanceUid: string, seriesInstanceUid: string): PrimaryImageSet | undefined {
    for (const set of this.imageSets.values()) {
      const latest = latestVersion(set);
      if (
        set.isPrimary &&
        latest.DatastoreID === datastoreId &&
        latest.Study.DICOM.StudyInstanceUID === studyInstanceUid &&
        latest.Study.Series[seriesInstanceUid]
      ) {
        return {
          imageSetId: set.imageSetId,
          latestVersion: set.versions.length,
          locked: this.locked.has(set.imageSetId),
          document: latest,
        };
      }
    }
    return undefined;
  }

  putFrames(_datastoreId: string, frames: StoredFrame[]): void {
    this.putFramesCalls++;
    for (const frame of frames) this.frames.set(frame.id, { bytes: frame.bytes, contentType: frame.contentType });
  }

  discardFrames(_datastoreId: string, frameIds: string[]): void {
    const referenced = new Set(
      [...this.imageSets.values()].flatMap((set) =>
        set.versions.flatMap((doc) =>
          Object.values(doc.Study.Series).flatMap((s) =>
            Object.values(s.Instances).flatMap((i) => i.ImageFrames.map((f) => f.ID)),
          ),
        ),
      ),
    );
    for (const id of frameIds) if (!referenced.has(id)) this.frames.delete(id);
  }

  commit(write: () => void): void {
    const before = new Map(
      [...this.imageSets].map(([id, set]): [string, FakeImageSet] => [id, { ...set, versions: [...set.versions] }]),
    );
    try {
      write();
      this.commits++;
    } catch (error) {
      this.imageSets.clear();
      for (const [id, set] of before) this.imageSets.set(id, set);
      throw error;
    }
  }

  createImageSet(_datastoreId: string, imageSetId: string, document: MetadataDocument, isPrimary: boolean): void {
    if (this.imageSets.has(imageSetId)) throw new Error('duplicate image set id');
    this.imageSets.set(imageSetId, { imageSetId, isPrimary, versions: [document] });
  }

  appendImportedVersion(_datastoreId: string, imageSetId: string, document: MetadataDocument): { versionId: string } {
    const set = this.imageSets.get(imageSetId);
    if (!set) throw new Error('unknown image set');
    if (this.locked.has(imageSetId)) throw new Error('image set is locked');
    set.versions.push(document);
    return { versionId: String(set.versions.length) };
  }

  latest(imageSetId: string): MetadataDocument {
    const set = this.imageSets.get(imageSetId);
    if (!set) throw new Error('unknown image set');
    return latestVersion(set);
  }

  primaries(): FakeImageSet[] {
    return [...this.imageSets.values()].filter((s) => s.isPrimary);
  }

  nonPrimaries(): FakeImageSet[] {
    return [...this.imageSets.values()].filter((s) => !s.isPrimary);
  }
}
