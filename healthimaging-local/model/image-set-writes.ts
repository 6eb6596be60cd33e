import { ServiceError, conflict, notFound, validation } from '../shapes/errors';
import type { HilStore } from '../store/hil-store';
import { countFrames, parseCopiableAttributes, selectForCopy, type CopySelection } from './copy-image-set';
import { newResourceId } from '../shapes/ids';
import type { ImageSetRecord, PendingWrite } from '../shapes/image-set-state';
import { MAX_CONCURRENT_WRITES_PER_DATASTORE, MAX_FRAMES_PER_COPY } from '../shapes/quotas';
import type { ParsedUpdate } from './metadata-update';

/**
 * The synchronous half of Update / Copy / Delete: checks preconditions, then in one transaction
 * appends the LOCKED version row(s) and records the pending work, so an acknowledged write
 * survives a crash. The asynchronous half lives in write-completion.ts.
 */

export interface Accepted<T> {
  pendingId: number;
  result: T;
}

export function liveImageSet(store: HilStore, datastoreId: string, imageSetId: string): ImageSetRecord {
  const row = store.imageSets.get(datastoreId, imageSetId);
  if (!row || row.state === 'DELETED') throw notFound(`Image set ${imageSetId} does not exist`);
  return row;
}

function assertWritable(row: ImageSetRecord, claimedLatest: number, what: string): void {
  if (row.state === 'LOCKED') {
    throw conflict(`${what} ${row.imageSetId} is locked by another operation`);
  }
  if (claimedLatest !== row.latestVersion) {
    throw conflict(
      `The latest version of ${what.toLowerCase()} ${row.imageSetId} is ${row.latestVersion}, not ${claimedLatest}`,
    );
  }
}

function assertWriteCapacity(store: HilStore, datastoreId: string): void {
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
  store: HilStore,
  req: UpdateRequest,
): Accepted<{ imageSet: ImageSetRecord; newVersion: number; at: number }> {
  return store.tx(() => {
    const row = liveImageSet(store, req.datastoreId, req.imageSetId);
    assertWritable(row, req.latestVersion, 'Image set');
    if (
      req.update.kind === 'revert' &&
      !store.imageSets.getVersion(req.datastoreId, req.imageSetId, req.update.toVersion)
    ) {
      throw notFound(`Image set version ${req.update.toVersion} does not exist`);
    }
    assertWriteCapacity(store, req.datastoreId);
    const newVersion = row.latestVersion + 1;
    const at = store.now();
    const base = store.imageSets.getDocumentGz(req.datastoreId, req.imageSetId, row.latestVersion)!;
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
  copiableAttributes?: string;
  destination?: { imageSetId: string; latestVersion: number };
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

export function beginCopy(store: HilStore, req: CopyRequest): Accepted<CopyAccepted> {
  const selection = parseSelection(req.copiableAttributes);
  return store.tx(() => {
    const source = liveImageSet(store, req.datastoreId, req.sourceImageSetId);
    assertWritable(source, req.sourceLatestVersion, 'Source image set');
    let destination: ImageSetRecord | undefined;
    if (req.destination) {
      if (req.destination.imageSetId === req.sourceImageSetId) {
        throw validation('The source and destination image sets must differ');
      }
      destination = liveImageSet(store, req.datastoreId, req.destination.imageSetId);
      assertWritable(destination, req.destination.latestVersion, 'Destination image set');
    }
    assertWriteCapacity(store, req.datastoreId);

    const sourceDoc = store.readDocument(req.datastoreId, source.imageSetId, source.latestVersion);
    const subset = selectForCopy(sourceDoc, selection);
    if (countFrames(subset) > MAX_FRAMES_PER_COPY) {
      throw new ServiceError(
        'ServiceQuotaExceededException',
        `CopyImageSet copies at most ${MAX_FRAMES_PER_COPY} image frames per request`,
      );
    }

    const at = store.now();
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
        document: store.imageSets.getDocumentGz(req.datastoreId, destinationId, destination.latestVersion)!,
      });
      store.imageSets.setHead(req.datastoreId, destinationId, destinationVersion, 'LOCKED', at);
    } else {
      if (req.promoteToPrimary) assertNoOtherPrimary(store, req.datastoreId, source);
      destinationId = newResourceId();
      destinationVersion = 1;
      // Until the copy completes, version 1 shows the selected subset under its new identity.
      const placeholder = { ...subset, DatastoreID: req.datastoreId, ImageSetID: destinationId };
      store.insertImageSet({
        datastoreId: req.datastoreId,
        imageSetId: destinationId,
        document: placeholder,
        isPrimary: false,
        state: 'LOCKED',
        workflowStatus: 'COPYING',
        forced: req.force,
      });
    }

    const previousStatus = store.imageSets.getVersion(
      req.datastoreId,
      source.imageSetId,
      source.latestVersion,
    )!.workflowStatus;
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
        source: store.imageSets.get(req.datastoreId, source.imageSetId)!,
        destination: store.imageSets.get(req.datastoreId, destinationId)!,
        destinationVersion,
        at,
      },
    };
  });
}

function assertNoOtherPrimary(store: HilStore, datastoreId: string, source: ImageSetRecord): void {
  if (!source.studyInstanceUid || !source.seriesInstanceUid) return;
  const primary = store.imageSets.findPrimary(datastoreId, source.studyInstanceUid, source.seriesInstanceUid);
  if (primary) {
    throw conflict(`A primary image set already exists for this series (${primary.imageSetId})`);
  }
}

export function beginDelete(
  store: HilStore,
  req: { datastoreId: string; imageSetId: string; dueAt: number },
): Accepted<{ imageSet: ImageSetRecord }> | { alreadyDeleting: ImageSetRecord } {
  return store.tx(() => {
    const row = liveImageSet(store, req.datastoreId, req.imageSetId);
    if (row.state === 'LOCKED') {
      const latest = store.imageSets.getVersion(req.datastoreId, req.imageSetId, row.latestVersion);
      // DeleteImageSet is idempotent: repeating it while the first one runs is not a conflict.
      if (latest?.workflowStatus === 'DELETING') return { alreadyDeleting: row };
      throw conflict(`Image set ${req.imageSetId} is locked by another operation`);
    }
    assertWriteCapacity(store, req.datastoreId);
    const at = store.now();
    store.imageSets.finishVersion(req.datastoreId, req.imageSetId, row.latestVersion, 'LOCKED', 'DELETING', null, at);
    store.imageSets.setState(req.datastoreId, req.imageSetId, 'LOCKED', at);
    const pendingId = store.pendingWrites.insert(
      req.datastoreId,
      req.imageSetId,
      { kind: 'delete', imageSetId: req.imageSetId, version: row.latestVersion },
      req.dueAt,
    );
    return { pendingId, result: { imageSet: store.imageSets.get(req.datastoreId, req.imageSetId)! } };
  });
}
