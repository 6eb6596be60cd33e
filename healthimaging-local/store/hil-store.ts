import type { Db } from './database';
import { openDatabase } from './database';
import { ClientTokenStore } from './client-token-store';
import { DatastoreStore } from './datastore-store';
import { decodeDocument, encodeDocument, encodeDocumentOffThread } from './document-codec';
import { ImageSetStore } from './image-set-store';
import { ImportJobStore } from './import-job-store';
import { PendingWriteStore } from './pending-write-store';
import { TagStore } from './tag-store';
import { WalCheckpointer } from './wal-checkpointer';
import { conflict, notFound } from '../shapes/errors';
import type { PrimaryImageSet, StoredFrame } from '../dicom/import-target';
import { frameIdsOf, type MetadataDocument } from '../shapes/metadata-document';
import { summarizeDicomTags } from '../model/search-criteria';
import type { ImageSetState, WorkflowStatus } from '../shapes/image-set-state';

/**
 * The whole persistent state of one HealthImaging Local: one SQLite database behind per-table
 * stores. Also the `ImportTarget` the DICOM importer writes through; each of those methods is one
 * transaction.
 */
export class HilStore {
  readonly datastores: DatastoreStore;
  readonly imageSets: ImageSetStore;
  readonly importJobs: ImportJobStore;
  readonly tags: TagStore;
  readonly clientTokens: ClientTokenStore;
  readonly pendingWrites: PendingWriteStore;
  private checkpointer?: WalCheckpointer;
  /** Documents prepareDocument encoded ahead of the transaction that stores them. */
  private readonly encoded = new WeakMap<MetadataDocument, Buffer>();

  constructor(
    readonly db: Db,
    private readonly clock: () => number = Date.now,
  ) {
    this.datastores = new DatastoreStore(db);
    this.imageSets = new ImageSetStore(db);
    this.importJobs = new ImportJobStore(db);
    this.tags = new TagStore(db);
    this.clientTokens = new ClientTokenStore(db);
    this.pendingWrites = new PendingWriteStore(db);
  }

  static open(location: { dataDir?: string; inMemory?: boolean }, clock?: () => number): HilStore {
    const store = new HilStore(openDatabase(location), clock);
    store.backfillSeriesLists();
    // Frames an import stored before a crash, for image sets it never committed. No import runs yet.
    store.imageSets.dropUnreferencedFrames();
    if (!store.db.memory) store.checkpointer = new WalCheckpointer(store.db);
    return store;
  }

  /** Schema 1 databases lack the per-image-set series list: derive it from each latest document. */
  private backfillSeriesLists(): void {
    const missing = this.imageSets.withoutSeriesList();
    if (missing.length === 0) return;
    this.tx(() => {
      for (const row of missing) {
        this.refreshIdentity(
          row.datastoreId,
          row.imageSetId,
          this.readDocument(row.datastoreId, row.imageSetId, row.latestVersion),
        );
      }
    });
  }

  /** Runs `fn` in one transaction (nested calls join the outer one). */
  tx<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  close(): void {
    this.checkpointer?.stop();
    if (this.db.open) this.db.close();
  }

  now(): number {
    return this.clock();
  }

  readDocument(datastoreId: string, imageSetId: string, version: number): MetadataDocument {
    const gz = this.imageSets.getDocumentGz(datastoreId, imageSetId, version);
    if (!gz) throw notFound(`Image set version ${version} does not exist`);
    return decodeDocument(gz);
  }

  /**
   * Makes `doc` the content of a version: stores the gzip'd document, records the frames it
   * references, and refreshes the image set's identity and search summary.
   */
  writeVersionContent(datastoreId: string, imageSetId: string, version: number, doc: MetadataDocument): void {
    const { gz } = encodeDocument(doc);
    this.imageSets.setVersionDocument(datastoreId, imageSetId, version, gz);
    this.refreshIdentity(datastoreId, imageSetId, doc);
  }

  refreshIdentity(datastoreId: string, imageSetId: string, doc: MetadataDocument): void {
    this.imageSets.addFrameRefs(datastoreId, imageSetId, frameIdsOf(doc));
    const study = stringOrNull(doc.Study?.DICOM?.StudyInstanceUID);
    const series = Object.keys(doc.Study?.Series ?? {});
    this.imageSets.setIdentity(datastoreId, imageSetId, study, series, JSON.stringify(summarizeDicomTags(doc)));
  }

  /** Inserts a new image set whose version 1 holds `doc`. */
  insertImageSet(args: {
    datastoreId: string;
    imageSetId: string;
    document: MetadataDocument;
    isPrimary: boolean;
    state: ImageSetState;
    workflowStatus: WorkflowStatus;
    forced?: boolean;
  }): number {
    const at = this.now();
    this.imageSets.insert({
      datastoreId: args.datastoreId,
      imageSetId: args.imageSetId,
      isPrimary: args.isPrimary,
      studyInstanceUid: null,
      seriesInstanceUid: null,
      state: args.state,
      createdAt: at,
      summary: '{}',
    });
    this.imageSets.insertVersion({
      datastoreId: args.datastoreId,
      imageSetId: args.imageSetId,
      version: 1,
      state: args.state,
      workflowStatus: args.workflowStatus,
      forced: args.forced,
      at,
      document: this.storedBytes(args.document),
    });
    this.imageSets.setHead(args.datastoreId, args.imageSetId, 1, args.state, at);
    this.refreshIdentity(args.datastoreId, args.imageSetId, args.document);
    return at;
  }

  /** The stored (gzip'd) form of a document an import is about to write, computed now if not prepared. */
  private storedBytes(doc: MetadataDocument): Buffer {
    return this.encoded.get(doc) ?? encodeDocument(doc).gz;
  }

  // ---- ImportTarget (healthimaging-local/dicom/import-target.ts) ----

  async prepareDocument(document: MetadataDocument): Promise<void> {
    this.encoded.set(document, await encodeDocumentOffThread(document));
  }

  findPrimary(datastoreId: string, studyInstanceUid: string, seriesInstanceUid: string): PrimaryImageSet | undefined {
    const row = this.imageSets.findPrimary(datastoreId, studyInstanceUid, seriesInstanceUid);
    if (!row) return undefined;
    return {
      imageSetId: row.imageSetId,
      latestVersion: row.latestVersion,
      locked: row.state === 'LOCKED',
      document: this.readDocument(datastoreId, row.imageSetId, row.latestVersion),
    };
  }

  putFrames(datastoreId: string, frames: StoredFrame[]): void {
    this.tx(() => {
      for (const f of frames) this.imageSets.putFrame(datastoreId, f.id, f.contentType, f.bytes);
    });
  }

  discardFrames(datastoreId: string, frameIds: string[]): void {
    this.tx(() => this.imageSets.discardUnreferencedFrames(datastoreId, frameIds));
  }

  createImageSet(datastoreId: string, imageSetId: string, document: MetadataDocument, isPrimary: boolean): void {
    this.tx(() => {
      this.insertImageSet({
        datastoreId,
        imageSetId,
        document,
        isPrimary,
        state: 'ACTIVE',
        workflowStatus: 'IMPORTED',
      });
    });
  }

  appendImportedVersion(datastoreId: string, imageSetId: string, document: MetadataDocument): { versionId: string } {
    return this.tx(() => {
      const row = this.imageSets.get(datastoreId, imageSetId);
      if (!row || row.state === 'DELETED') throw notFound('Image set does not exist');
      // A pending Update/Copy/Delete owns the next version number; an import must not slip under it.
      if (row.state === 'LOCKED') throw conflict('Image set is locked by another operation');
      const version = row.latestVersion + 1;
      const at = this.now();
      this.imageSets.insertVersion({
        datastoreId,
        imageSetId,
        version,
        state: 'ACTIVE',
        workflowStatus: 'IMPORTED',
        at,
        document: this.storedBytes(document),
      });
      this.imageSets.setHead(datastoreId, imageSetId, version, 'ACTIVE', at);
      this.refreshIdentity(datastoreId, imageSetId, document);
      return { versionId: String(version) };
    });
  }
}

function stringOrNull(v: unknown): string | null {
  return typeof v === 'string' ? v.trim() : null;
}
