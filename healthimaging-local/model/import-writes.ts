import type { ImportTarget, PrimaryImageSet, StoredFrame } from '../dicom/import-target';
import type { MetadataDocument } from '../shapes/metadata-document';
import { encodeDocument, encodeDocumentOffThread } from './document-codec';
import { insertImageSet, readDocument, refreshIdentity } from './image-set-content';
import { assertUnlocked, liveImageSet } from './image-set-rules';
import type { ModelContext } from './model-context';

/** The writes of an import, except the job's own commit (the import runner adds that). */
export type ImportWriteTarget = Omit<ImportTarget, 'commit'>;

/**
 * What the DICOM importer writes through (dicom/import-target.ts), each method one transaction.
 * The importer decides what goes where; this applies the same rules as every other write.
 */
export class ImportWrites implements ImportWriteTarget {
  /** Documents prepareDocument encoded ahead of the transaction that stores them. */
  private readonly encoded = new WeakMap<MetadataDocument, Buffer>();

  constructor(private readonly ctx: ModelContext) {}

  async prepareDocument(document: MetadataDocument): Promise<void> {
    this.encoded.set(document, await encodeDocumentOffThread(document));
  }

  findPrimary(datastoreId: string, studyInstanceUid: string, seriesInstanceUid: string): PrimaryImageSet | undefined {
    const row = this.ctx.store.imageSets.findPrimary(datastoreId, studyInstanceUid, seriesInstanceUid);
    if (!row) return undefined;
    return {
      imageSetId: row.imageSetId,
      latestVersion: row.latestVersion,
      locked: row.state === 'LOCKED',
      document: readDocument(this.ctx, datastoreId, row.imageSetId, row.latestVersion),
    };
  }

  putFrames(datastoreId: string, frames: StoredFrame[]): void {
    const { store } = this.ctx;
    store.tx(() => {
      for (const f of frames) store.imageSets.putFrame(datastoreId, f.id, f.contentType, f.bytes);
    });
  }

  discardFrames(datastoreId: string, frameIds: string[]): void {
    const { store } = this.ctx;
    store.tx(() => store.imageSets.discardUnreferencedFrames(datastoreId, frameIds));
  }

  createImageSet(datastoreId: string, imageSetId: string, document: MetadataDocument, isPrimary: boolean): void {
    this.ctx.store.tx(() => {
      insertImageSet(this.ctx, {
        datastoreId,
        imageSetId,
        document,
        documentGz: this.encoded.get(document),
        isPrimary,
        state: 'ACTIVE',
        workflowStatus: 'IMPORTED',
      });
    });
  }

  appendImportedVersion(datastoreId: string, imageSetId: string, document: MetadataDocument): { versionId: string } {
    const { store } = this.ctx;
    return store.tx(() => {
      const row = liveImageSet(this.ctx, datastoreId, imageSetId);
      // A pending Update/Copy/Delete owns the next version number; an import must not slip under it.
      assertUnlocked(row, 'Image set');
      const version = row.latestVersion + 1;
      const at = this.ctx.now();
      store.imageSets.insertVersion({
        datastoreId,
        imageSetId,
        version,
        state: 'ACTIVE',
        workflowStatus: 'IMPORTED',
        at,
        document: this.encoded.get(document) ?? encodeDocument(document).gz,
      });
      store.imageSets.setHead(datastoreId, imageSetId, version, 'ACTIVE', at);
      refreshIdentity(this.ctx, datastoreId, imageSetId, document);
      return { versionId: String(version) };
    });
  }
}
