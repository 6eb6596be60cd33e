import { notFound } from '../shapes/errors';
import type { ImageSetState, WorkflowStatus } from '../shapes/image-set-state';
import { frameIdsOf, type MetadataDocument } from '../shapes/metadata-document';
import { decodeDocument, encodeDocument } from './document-codec';
import type { ModelContext } from './model-context';
import { summarizeDicomTags } from './search-criteria';

/**
 * The content of image set versions: the stored document, the frames it references, and what an
 * image set is filed and found under (its study, its series, its search summary), all derived
 * from the latest document.
 */

/** A version's document as stored: gzip'd JSON, the bytes GetImageSetMetadata sends. */
export function storedDocument(
  { store }: ModelContext,
  datastoreId: string,
  imageSetId: string,
  version: number,
): Buffer {
  const gz = store.imageSets.getDocumentGz(datastoreId, imageSetId, version);
  if (!gz) throw notFound(`Image set version ${version} does not exist`);
  return gz;
}

export function readDocument(
  ctx: ModelContext,
  datastoreId: string,
  imageSetId: string,
  version: number,
): MetadataDocument {
  return decodeDocument(storedDocument(ctx, datastoreId, imageSetId, version));
}

/**
 * Makes `doc` the content of a version: stores the gzip'd document, records the frames it
 * references, and refreshes the image set's identity and search summary.
 */
export function writeVersionContent(
  ctx: ModelContext,
  datastoreId: string,
  imageSetId: string,
  version: number,
  doc: MetadataDocument,
): void {
  ctx.store.imageSets.setVersionDocument(datastoreId, imageSetId, version, encodeDocument(doc).gz);
  refreshIdentity(ctx, datastoreId, imageSetId, doc);
}

/** The series listed first is the one the image set is filed under for primary look-ups. */
export function refreshIdentity(
  { store }: ModelContext,
  datastoreId: string,
  imageSetId: string,
  doc: MetadataDocument,
): void {
  store.imageSets.addFrameRefs(datastoreId, imageSetId, frameIdsOf(doc));
  const study = doc.Study.DICOM.StudyInstanceUID;
  const series = Object.keys(doc.Study.Series);
  store.imageSets.setIdentity(
    datastoreId,
    imageSetId,
    typeof study === 'string' ? study.trim() : null,
    series,
    JSON.stringify(summarizeDicomTags(doc)),
  );
}

export interface NewImageSet {
  datastoreId: string;
  imageSetId: string;
  document: MetadataDocument;
  /** The document's stored bytes when encoded ahead of time (an import prepares them off the loop). */
  documentGz?: Buffer | undefined;
  isPrimary: boolean;
  state: ImageSetState;
  workflowStatus: WorkflowStatus;
  forced?: boolean;
}

/** Inserts a new image set whose version 1 holds `document`; returns its creation time. */
export function insertImageSet(ctx: ModelContext, args: NewImageSet): number {
  const { store } = ctx;
  const at = ctx.now();
  store.imageSets.insert({
    datastoreId: args.datastoreId,
    imageSetId: args.imageSetId,
    isPrimary: args.isPrimary,
    studyInstanceUid: null,
    seriesInstanceUid: null,
    state: args.state,
    createdAt: at,
    summary: '{}',
  });
  store.imageSets.insertVersion({
    datastoreId: args.datastoreId,
    imageSetId: args.imageSetId,
    version: 1,
    state: args.state,
    workflowStatus: args.workflowStatus,
    forced: args.forced ?? false,
    at,
    document: args.documentGz ?? encodeDocument(args.document).gz,
  });
  store.imageSets.setHead(args.datastoreId, args.imageSetId, 1, args.state, at);
  refreshIdentity(ctx, args.datastoreId, args.imageSetId, args.document);
  return at;
}

/** Schema 1 databases lack the per-image-set series list: derives it from each latest document. */
export function backfillSeriesLists(ctx: ModelContext): void {
  const missing = ctx.store.imageSets.withoutSeriesList();
  if (missing.length === 0) return;
  ctx.store.tx(() => {
    for (const row of missing) {
      const doc = readDocument(ctx, row.datastoreId, row.imageSetId, row.latestVersion);
      refreshIdentity(ctx, row.datastoreId, row.imageSetId, doc);
    }
  });
}
