import { encodeDocument } from './document-codec';
import { readDocument, writeVersionContent } from './image-set-content';
import { liveImageSet } from './image-set-rules';
import type { ModelContext } from './model-context';
import { mergeIntoDestination, selectForCopy, type CopySelection } from './copy-image-set';
import type { PendingWrite, PendingWriteRow } from '../shapes/image-set-state';
import { MAX_METADATA_BYTES } from '../shapes/quotas';
import type { MetadataDocument } from '../shapes/metadata-document';
import { applyDicomUpdates } from './metadata-update';

type Outcome = { ok: true; doc: MetadataDocument } | { ok: false; message: string };

/**
 * The asynchronous half of Update / Copy / Delete: turns a pending write into its final state
 * (ACTIVE + UPDATED/COPIED, ACTIVE + *_FAILED with a message, or DELETED) and drops the pending
 * row, all in one transaction. A failed version stays in the history with the previous content.
 */
export function completePendingWrite(ctx: ModelContext, pendingId: number): void {
  const { store } = ctx;
  store.tx(() => {
    const pending = store.pendingWrites.get(pendingId);
    if (!pending) return; // already completed (timer raced a start-up recovery)
    const at = ctx.now();
    const write = pending.write;
    switch (write.kind) {
      case 'update':
        completeUpdate(ctx, pending, write, at);
        break;
      case 'copy':
        completeCopy(ctx, pending, write, at);
        break;
      case 'delete':
        completeDelete(ctx, pending, write, at);
        break;
    }
    store.pendingWrites.remove(pendingId);
  });
}

function completeUpdate(
  ctx: ModelContext,
  p: PendingWriteRow,
  w: Extract<PendingWrite, { kind: 'update' }>,
  at: number,
): void {
  const { store } = ctx;
  const imageSet = liveImageSet(ctx, p.datastoreId, w.imageSetId);
  let outcome: Outcome;
  if (w.revertToVersion !== undefined) {
    outcome = { ok: true, doc: readDocument(ctx, p.datastoreId, w.imageSetId, w.revertToVersion) };
  } else {
    const base = readDocument(ctx, p.datastoreId, w.imageSetId, w.baseVersion);
    outcome = safely(() =>
      applyDicomUpdates(
        base,
        { updatable: w.updatable, removable: w.removable },
        { force: w.force, isPrimary: imageSet.isPrimary },
      ),
    );
  }
  outcome = withinSizeLimit(outcome);
  if (outcome.ok) {
    writeVersionContent(ctx, p.datastoreId, w.imageSetId, w.newVersion, outcome.doc);
    store.imageSets.finishVersion(p.datastoreId, w.imageSetId, w.newVersion, 'ACTIVE', 'UPDATED', null, at);
  } else {
    store.imageSets.finishVersion(
      p.datastoreId,
      w.imageSetId,
      w.newVersion,
      'ACTIVE',
      'UPDATE_FAILED',
      outcome.message,
      at,
    );
  }
  store.imageSets.setHead(p.datastoreId, w.imageSetId, w.newVersion, 'ACTIVE', at);
}

function completeCopy(
  ctx: ModelContext,
  p: PendingWriteRow,
  w: Extract<PendingWrite, { kind: 'copy' }>,
  at: number,
): void {
  const { store } = ctx;
  const ds = p.datastoreId;
  const destId = w.destinationImageSetId;
  let outcome: Outcome = safely(() => {
    const sourceDoc = readDocument(ctx, ds, w.sourceImageSetId, w.sourceVersion);
    const subset = selectForCopy(sourceDoc, w.selection as CopySelection | undefined);
    const destinationDoc =
      w.destinationIsNew || w.destinationBaseVersion === undefined
        ? undefined
        : readDocument(ctx, ds, destId, w.destinationBaseVersion);
    const merged = mergeIntoDestination(subset, destinationDoc, { force: w.force });
    if (!merged.ok) return merged;
    return { ok: true, doc: { ...merged.doc, DatastoreID: ds, ImageSetID: destId } };
  });
  outcome = withinSizeLimit(outcome);
  if (outcome.ok) {
    writeVersionContent(ctx, ds, destId, w.newVersion, outcome.doc);
    store.imageSets.finishVersion(ds, destId, w.newVersion, 'ACTIVE', 'COPIED', null, at);
    if (w.promoteToPrimary) store.imageSets.setPrimary(ds, destId, true);
  } else {
    store.imageSets.finishVersion(ds, destId, w.newVersion, 'ACTIVE', 'COPY_FAILED', outcome.message, at);
  }
  store.imageSets.setHead(ds, destId, w.newVersion, 'ACTIVE', at);

  const sourceStatus = outcome.ok ? 'COPIED' : w.sourcePreviousStatus;
  store.imageSets.finishVersion(ds, w.sourceImageSetId, w.sourceVersion, 'ACTIVE', sourceStatus, null, at);
  store.imageSets.setState(ds, w.sourceImageSetId, 'ACTIVE', at);
}

function completeDelete(
  ctx: ModelContext,
  p: PendingWriteRow,
  w: Extract<PendingWrite, { kind: 'delete' }>,
  at: number,
): void {
  const { store } = ctx;
  store.imageSets.finishVersion(p.datastoreId, w.imageSetId, w.version, 'DELETED', 'DELETED', null, at, at);
  store.imageSets.setState(p.datastoreId, w.imageSetId, 'DELETED', at, at);
  store.imageSets.dropFrameRefs(p.datastoreId, w.imageSetId);
  store.tags.removeAll(`${p.datastoreId}/${w.imageSetId}`);
}

/**
 * A rule that throws on unexpected content must not wedge the image set in LOCKED: the failure
 * becomes the version's message (a generic one, never the document's values).
 */
function safely(fn: () => Outcome): Outcome {
  try {
    return fn();
  } catch (err) {
    const name = err instanceof Error ? err.name : 'Error';
    const message =
      err instanceof Error && name === 'ValidationException' ? err.message : 'The request could not be applied';
    return { ok: false, message: `INVALID_REQUEST: ${message}` };
  }
}

function withinSizeLimit(outcome: Outcome): Outcome {
  if (!outcome.ok) return outcome;
  const bytes = encodeDocument(outcome.doc).jsonBytes;
  if (bytes > MAX_METADATA_BYTES) {
    return { ok: false, message: 'INVALID_REQUEST: Image set metadata would exceed the 50 MB limit' };
  }
  return outcome;
}

/**
 * Start-up recovery: completes every write that was acknowledged before the last stop, then
 * releases any image set left LOCKED without pending work (which a committed transaction never
 * leaves, but an older or hand-edited database might).
 */
export function recoverPendingWrites(ctx: ModelContext): number {
  const { store } = ctx;
  const pending = store.pendingWrites.all();
  for (const row of pending) completePendingWrite(ctx, row.id);
  store.tx(() => {
    const at = ctx.now();
    for (const s of store.imageSets.locked()) {
      store.imageSets.finishVersion(
        s.datastoreId,
        s.imageSetId,
        s.latestVersion,
        'ACTIVE',
        'UPDATE_FAILED',
        'INTERNAL_ERROR: The operation was interrupted',
        at,
      );
      store.imageSets.setState(s.datastoreId, s.imageSetId, 'ACTIVE', at);
    }
  });
  return pending.length;
}
