import { ServiceError, conflict, validation } from '../shapes/errors';
import { countFrames, parseCopiableAttributes, selectForCopy, type CopySelection } from './copy-image-set';
import { newResourceId } from '../shapes/ids';
import type { ImageSetRecord, PendingWrite } from '../shapes/image-set-state';
import { MAX_CONCURRENT_WRITES_PER_DATASTORE, MAX_FRAMES_PER_COPY } from '../shapes/quotas';
import type { ParsedUpdate } from './metadata-update';
import { insertImageSet, readDocument, storedDocument } from './image-set-content';
import { assertUnlocked, assertWritable, existingVersion, liveImageSet } from './image-set-rules';
import type { ModelContext } from './model-context';

/**
 * The synchronous half of Update / Copy / Delete: checks preconditions, then in one transaction
 * appends the LOCKED version row(s) and records the pending work, so an acknowledged write
 * survives a crash. The asynchronous half lives in write-completion.ts.
 */

export interface Accepted<T> {
  pendingId: number;
  result: T;
}

function assertWriteCapacity({ store }: ModelContext, datastoreId: string): void {
  const pending = store.pendingWrites.all().filter((p) => p.datastoreId === datastoreId).length;
  if (pending >= MAX_CONCURRENT_WRITES_PER_DATASTORE) {
    throw new ServiceError('ServiceQuotaExceededException', 'Too many concurrent image set writes in this data store');
  }
}

export interface UpdateRequest {
  datastoreId: string;
  imageSetId: string;
  latestVersion: number;
  force: boolean;
  update: { kind: 'dicom'; parsed: ParsedUpdate } | { kind: 'revert'; toVersion: number };
  dueAt: number;
}

export function beginUpdate(
  ctx: ModelContext,
  req: UpdateRequest,
): Accepted<{ imageSet: ImageSetRecord; newVersion: number; at: number }> {
  const { store } = ctx;
  return store.tx(() => {
    const row = liveImageSet(ctx, req.datastoreId, req.imageSetId);
    assertWritable(row, req.latestVersion, 'Image set');
    if (req.update.kind === 'revert') existingVersion(ctx, req.datastoreId, req.imageSetId, req.update.toVersion);
    assertWriteCapacity(ctx, req.datastoreId);
    const newVersion = row.latestVersion + 1;
    const at = ctx.now();
    const base = storedDocument(ctx, req.datastoreId, req.imageSetId, row.latestVersion);
    store.imageSets.insertVersion({
      datastoreId: req.datastoreId,
      imageSetId: req.imageSetId,
      version: newVersion,
      state: 'LOCKED',
      workflowStatus: 'UPDATING',
      forced: req.force,
      at,
      document: base,
    });
    store.imageSets.setHead(req.datastoreId, req.imageSetId, newVersion, 'LOCKED', at);
    const write: PendingWrite = {
      kind: 'update',
      imageSetId: req.imageSetId,
      baseVersion: row.latestVersion,
      newVersion,
      force: req.force,
      ...(req.update.kind === 'revert'
        ? { revertToVersion: req.update.toVersion }
        : { updatable: req.update.parsed.updatable, removable: req.update.parsed.removable }),
    };
    const pendingId = store.pendingWrites.insert(req.datastoreId, req.imageSetId, write, req.dueAt);
    return { pendingId, result: { imageSet: row, newVersion, at } };
  });
}

export interface CopyRequest {
  datastoreId: string;
  sourceImageSetId: string;
  sourceLatestVersion: number;
  copiableAttributes?: string | undefined;
  destination?: { imageSetId: string; latestVersion: number } | undefined;
  force: boolean;
  promoteToPrimary: boolean;
  dueAt: number;
}

export interface CopyAccepted {
  source: ImageSetRecord;
  destination: ImageSetRecord;
  destinationVersion: number;
  at: number;
}

export function parseSelection(copiableAttributes: string | undefined): CopySelection | undefined {
  return copiableAttributes === undefined ? undefined : parseCopiableAttributes(copiableAttributes);
}

export function beginCopy(ctx: ModelContext, req: CopyRequest): Accepted<CopyAccepted> {
  const { store } = ctx;
  const selection = parseSelection(req.copiableAttributes);
  return store.tx(() => {
    const source = liveImageSet(ctx, req.datastoreId, req.sourceImageSetId);
    assertWritable(source, req.sourceLatestVersion, 'Source image set');
    let destination: ImageSetRecord | undefined;
    if (req.destination) {
      if (req.destination.imageSetId === req.sourceImageSetId) {
        throw validation('The source and destination image sets must differ');
      }
      destination = liveImageSet(ctx, req.datastoreId, req.destination.imageSetId);
      assertWritable(destination, req.destination.latestVersion, 'Destination image set');
    }
    assertWriteCapacity(ctx, req.datastoreId);

    const sourceDoc = readDocument(ctx, req.datastoreId, source.imageSetId, source.latestVersion);
    const subset = selectForCopy(sourceDoc, selection);
    if (countFrames(subset) > MAX_FRAMES_PER_COPY) {
      throw new ServiceError(
        'ServiceQuotaExceededException',
        `CopyImageSet copies at most ${MAX_FRAMES_PER_COPY} image frames per request`,
      );
    }

    const at = ctx.now();
    let destinationId: string;
    let destinationVersion: number;
    if (destination) {
      destinationId = destination.imageSetId;
      destinationVersion = destination.latestVersion + 1;
      store.imageSets.insertVersion({
        datastoreId: req.datastoreId,
        imageSetId: destinationId,
        version: destinationVersion,
        state: 'LOCKED',
        workflowStatus: 'COPYING',
        forced: req.force,
        at,
        document: storedDocument(ctx, req.datastoreId, destinationId, destination.latestVersion),
      });
      store.imageSets.setHead(req.datastoreId, destinationId, destinationVersion, 'LOCKED', at);
    } else {
      if (req.promoteToPrimary) assertNoOtherPrimary(ctx, req.datastoreId, source);
      destinationId = newResourceId();
      destinationVersion = 1;
      // Until the copy completes, version 1 shows the selected subset under its new identity.
      const placeholder = { ...subset, DatastoreID: req.datastoreId, ImageSetID: destinationId };
      insertImageSet(ctx, {
        datastoreId: req.datastoreId,
        imageSetId: destinationId,
        document: placeholder,
        isPrimary: false,
        state: 'LOCKED',
        workflowStatus: 'COPYING',
        forced: req.force,
      });
    }

    const previousStatus = existingVersion(
      ctx,
      req.datastoreId,
      source.imageSetId,
      source.latestVersion,
    ).workflowStatus;
    store.imageSets.finishVersion(
      req.datastoreId,
      source.imageSetId,
      source.latestVersion,
      'LOCKED',
      'COPYING_WITH_READ_ONLY_ACCESS',
      null,
      at,
    );
    store.imageSets.setState(req.datastoreId, source.imageSetId, 'LOCKED', at);

    const write: PendingWrite = {
      kind: 'copy',
      sourceImageSetId: source.imageSetId,
      sourceVersion: source.latestVersion,
      sourcePreviousStatus: previousStatus,
      selection,
      destinationImageSetId: destinationId,
      destinationIsNew: !destination,
      destinationBaseVersion: destination?.latestVersion,
      newVersion: destinationVersion,
      force: req.force,
      promoteToPrimary: req.promoteToPrimary,
    };
    const pendingId = store.pendingWrites.insert(req.datastoreId, destinationId, write, req.dueAt);
    return {
      pendingId,
      result: {
        source: liveImageSet(ctx, req.datastoreId, source.imageSetId),
        destination: liveImageSet(ctx, req.datastoreId, destinationId),
        destinationVersion,
        at,
      },
    };
  });
}

function assertNoOtherPrimary({ store }: ModelContext, datastoreId: string, source: ImageSetRecord): void {
  if (!source.studyInstanceUid || !source.seriesInstanceUid) return;
  const primary = store.imageSets.findPrimary(datastoreId, source.studyInstanceUid, source.seriesInstanceUid);
  if (primary) {
    throw conflict(`A primary image set already exists for this series (${primary.imageSetId})`);
  }
}

export function beginDelete(
  ctx: ModelContext,
  req: { datastoreId: string; imageSetId: string; dueAt: number },
): Accepted<{ imageSet: ImageSetRecord }> | { alreadyDeleting: ImageSetRecord } {
  const { store } = ctx;
  return store.tx(() => {
    const row = liveImageSet(ctx, req.datastoreId, req.imageSetId);
    if (row.state === 'LOCKED') {
      const latest = store.imageSets.getVersion(req.datastoreId, req.imageSetId, row.latestVersion);
      // DeleteImageSet is idempotent: repeating it while the first one runs is not a conflict.
      if (latest?.workflowStatus === 'DELETING') return { alreadyDeleting: row };
    }
    assertUnlocked(row, 'Image set');
    assertWriteCapacity(ctx, req.datastoreId);
    const at = ctx.now();
    store.imageSets.finishVersion(req.datastoreId, req.imageSetId, row.latestVersion, 'LOCKED', 'DELETING', null, at);
    store.imageSets.setState(req.datastoreId, req.imageSetId, 'LOCKED', at);
    const pendingId = store.pendingWrites.insert(
      req.datastoreId,
      req.imageSetId,
      { kind: 'delete', imageSetId: req.imageSetId, version: row.latestVersion },
      req.dueAt,
    );
    return { pendingId, result: { imageSet: liveImageSet(ctx, req.datastoreId, req.imageSetId) } };
  });
}
