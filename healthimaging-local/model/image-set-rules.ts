import { conflict, notFound } from '../shapes/errors';
import type { ImageSetRecord, VersionRecord } from '../shapes/image-set-state';
import type { ModelContext } from './model-context';

/**
 * Which image sets a request may read or write (docs/healthimaging-behaviour.md#asynchronous-writes):
 * a deleted one is gone (404); a LOCKED one takes no other write (409), imports included; a write
 * must name the current latest version (409).
 */

export function liveImageSet({ store }: ModelContext, datastoreId: string, imageSetId: string): ImageSetRecord {
  const row = store.imageSets.get(datastoreId, imageSetId);
  if (!row || row.state === 'DELETED') throw notFound(`Image set ${imageSetId} does not exist`);
  return row;
}

export function existingVersion(
  { store }: ModelContext,
  datastoreId: string,
  imageSetId: string,
  version: number,
): VersionRecord {
  const found = store.imageSets.getVersion(datastoreId, imageSetId, version);
  if (!found) throw notFound(`Image set version ${version} does not exist`);
  return found;
}

/** `what` names the image set's role in the message ("Image set", "Source image set", ...). */
export function assertUnlocked(row: ImageSetRecord, what: string): void {
  if (row.state === 'LOCKED') throw conflict(`${what} ${row.imageSetId} is locked by another operation`);
}

export function assertWritable(row: ImageSetRecord, claimedLatest: number, what: string): void {
  assertUnlocked(row, what);
  if (claimedLatest !== row.latestVersion) {
    throw conflict(
      `The latest version of ${what.toLowerCase()} ${row.imageSetId} is ${row.latestVersion}, not ${claimedLatest}`,
    );
  }
}
