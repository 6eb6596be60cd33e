import { notFound } from '../shapes/errors';
import type { ImageSetRecord, VersionRecord } from '../shapes/image-set-state';
import { epochSeconds } from '../shapes/times';
import { storedDocument } from './image-set-content';
import { existingVersion, liveImageSet } from './image-set-rules';
import {
  beginCopy,
  beginDelete,
  beginUpdate,
  type CopyAccepted,
  type CopyRequest,
  type UpdateRequest,
} from './image-set-writes';
import type { ModelContext } from './model-context';
import { compareForSort, matchesCriteria, type SearchCandidate, type SearchCriteria } from './search-criteria';
import type { WriteScheduler } from './write-scheduler';

/**
 * Image sets of a data store: reads of any version, search over the latest versions, and the
 * three asynchronous writes, each accepted at once and completed later on the write scheduler
 * (docs/healthimaging-behaviour.md#asynchronous-writes).
 */
export class ImageSets {
  constructor(
    private readonly ctx: ModelContext,
    private readonly scheduler: WriteScheduler,
    private readonly writeDelayMs: number,
  ) {}

  /** A live image set: unknown and deleted ones are a 404. */
  live(datastoreId: string, imageSetId: string): ImageSetRecord {
    return liveImageSet(this.ctx, datastoreId, imageSetId);
  }

  version(imageSet: ImageSetRecord, version: number): VersionRecord {
    return existingVersion(this.ctx, imageSet.datastoreId, imageSet.imageSetId, version);
  }

  /** The version's metadata document as stored: gzip'd JSON, the bytes GetImageSetMetadata sends. */
  metadataGz(imageSet: ImageSetRecord, version: number): Buffer {
    return storedDocument(this.ctx, imageSet.datastoreId, imageSet.imageSetId, version);
  }

  /** A frame the image set references, as stored. */
  frame(imageSet: ImageSetRecord, frameId: string): { contentType: string; bytes: Buffer } {
    const frame = this.ctx.store.imageSets.getFrame(imageSet.datastoreId, imageSet.imageSetId, frameId);
    if (!frame) throw notFound(`Image frame ${frameId} does not exist in image set ${imageSet.imageSetId}`);
    return frame;
  }

  /** Versions newest first, from `fromVersion` (inclusive) down, at most `limit`. */
  versions(imageSet: ImageSetRecord, fromVersion: number, limit: number): VersionRecord[] {
    return this.ctx.store.imageSets.listVersions(imageSet.datastoreId, imageSet.imageSetId, fromVersion, limit);
  }

  /** The live image sets matching `criteria`, in its order (docs/healthimaging-behaviour.md#search). */
  search(datastoreId: string, criteria: SearchCriteria): SearchCandidate[] {
    const candidates: SearchCandidate[] = this.ctx.store.imageSets.listLive(datastoreId).map((row) => ({
      imageSetId: row.imageSetId,
      version: row.latestVersion,
      createdAt: epochSeconds(row.createdAt),
      updatedAt: epochSeconds(row.updatedAt),
      isPrimary: row.isPrimary,
      tags: JSON.parse(row.summary) as SearchCandidate['tags'],
      seriesInstanceUids: row.seriesInstanceUids,
    }));
    return candidates.filter((c) => matchesCriteria(c, criteria)).sort(compareForSort(criteria));
  }

  update(req: Omit<UpdateRequest, 'dueAt'>): { imageSet: ImageSetRecord; newVersion: number; at: number } {
    const accepted = beginUpdate(this.ctx, { ...req, dueAt: this.dueAt() });
    this.scheduler.schedule(accepted.pendingId, this.writeDelayMs);
    return accepted.result;
  }

  copy(req: Omit<CopyRequest, 'dueAt'>): CopyAccepted {
    const accepted = beginCopy(this.ctx, { ...req, dueAt: this.dueAt() });
    this.scheduler.schedule(accepted.pendingId, this.writeDelayMs);
    return accepted.result;
  }

  /** Repeating a delete while it runs is accepted again, not refused (it is idempotent). */
  delete(datastoreId: string, imageSetId: string): void {
    const accepted = beginDelete(this.ctx, { datastoreId, imageSetId, dueAt: this.dueAt() });
    if ('pendingId' in accepted) this.scheduler.schedule(accepted.pendingId, this.writeDelayMs);
  }

  private dueAt(): number {
    return this.ctx.now() + this.writeDelayMs;
  }
}
