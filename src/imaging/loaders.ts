import DataLoader from 'dataloader';
import type { ImagingPort } from './imaging-port';
import type { DatastoreRecord, ImageSetRecord, ImageSetVersionRecord, MetadataDocument, UpstreamPage } from './records';

export interface ImageSetKey {
  datastoreId: string;
  imageSetId: string;
  /** Omitted or undefined: the latest version. */
  versionId?: string | undefined;
}

export interface VersionKey {
  datastoreId: string;
  imageSetId: string;
  versionId: string;
}

export interface VersionsPageKey {
  datastoreId: string;
  imageSetId: string;
  maxResults: number;
  nextToken?: string;
}

/**
 * One request's loaders. Built per request over the caller's tenant-bound port, so a cache never
 * outlives the request nor crosses tenants; identity is in the keys, authority in the port.
 */
export interface ImagingLoaders {
  datastore: DataLoader<string, DatastoreRecord>;
  imageSet: DataLoader<ImageSetKey, ImageSetRecord, string>;
  metadata: DataLoader<VersionKey, MetadataDocument, string>;
  versionsPage: DataLoader<VersionsPageKey, UpstreamPage<ImageSetVersionRecord>, string>;
  /**
   * The one place a write reaches this request's caches: forget everything the request read about
   * the image sets the write touched (their latest and versioned records, their version pages), so
   * that what the request reads next comes from upstream. Every mutation reaches it through
   * `src/resolvers/request/image-set-write.ts`.
   */
  afterWrite(datastoreId: string, ...imageSetIds: string[]): void;
}

// Ids never contain the separator (`[0-9a-z]{32}`, `\d+`), so joined keys cannot collide;
// the page token is JSON-quoted because it is opaque.
const LATEST = 'latest';
const imageSetPrefix = (datastoreId: string, imageSetId: string): string => `${datastoreId}/${imageSetId}/`;
const imageSetCacheKey = (key: ImageSetKey): string =>
  `${imageSetPrefix(key.datastoreId, key.imageSetId)}${key.versionId ?? LATEST}`;
const versionCacheKey = (key: VersionKey): string =>
  `${imageSetPrefix(key.datastoreId, key.imageSetId)}${key.versionId}`;
const versionsPageCacheKey = (key: VersionsPageKey): string =>
  `${imageSetPrefix(key.datastoreId, key.imageSetId)}${key.maxResults}/${JSON.stringify(key.nextToken ?? null)}`;

/**
 * Runs one port call per key and settles each key on its own: the batch keeps the keys' length
 * and order and holds an Error for each failed key, so one missing image set does not fail its
 * neighbours. The port bounds the calls in flight.
 */
function perKey<K, V>(load: (key: K) => Promise<V>): DataLoader.BatchLoadFn<K, V> {
  return async (keys) => {
    const settled = await Promise.allSettled(keys.map((key) => load(key)));
    return settled.map((result) => (result.status === 'fulfilled' ? result.value : asError(result.reason)));
  };
}

function asError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error('An upstream call failed.');
}

function deleteByPrefix(cache: Map<string, unknown>, prefix: string): void {
  for (const key of [...cache.keys()]) {
    if (key.startsWith(prefix)) cache.delete(key);
  }
}

/**
 * GetImageSet through the per-request cache. A latest-version answer also describes that version
 * by number, so any path that asks for the same version by id (`version(versionId:)`, a version
 * node, a `latestVersion` known from a search summary) shares it instead of calling again:
 * - a latest load that has finished primes the `{versionId}` key;
 * - a versioned key that meets a latest load of the same image set still in flight (in its own
 *   batch or an earlier one) waits for it, and calls upstream only if it names another version.
 * A versioned answer never stands in for the latest: it cannot say whether it still is.
 */
function imageSetLoader(
  port: ImagingPort,
  cache: Map<string, Promise<ImageSetRecord>>,
): DataLoader<ImageSetKey, ImageSetRecord, string> {
  const loader: DataLoader<ImageSetKey, ImageSetRecord, string> = new DataLoader(
    async (keys) => {
      const latestInBatch = new Map<string, Promise<ImageSetRecord>>();
      for (const key of keys) {
        if (key.versionId !== undefined) continue;
        const loading = port.getImageSet(key.datastoreId, key.imageSetId);
        latestInBatch.set(imageSetCacheKey(key), loading);
        loading.then(
          (record) =>
            loader.prime(
              { datastoreId: key.datastoreId, imageSetId: key.imageSetId, versionId: record.versionId },
              record,
            ),
          () => undefined,
        );
      }
      const loadVersion = async (key: ImageSetKey & { versionId: string }): Promise<ImageSetRecord> => {
        const latestKey = imageSetCacheKey({ datastoreId: key.datastoreId, imageSetId: key.imageSetId });
        // Only this batch's own promise or an earlier batch's cache entry: this batch's cache
        // entries settle when the batch returns, so waiting on them here would never end.
        const latest = latestInBatch.get(latestKey) ?? cache.get(latestKey);
        if (latest) {
          const record = await latest.catch(() => undefined);
          if (record?.versionId === key.versionId) return record;
        }
        return port.getImageSet(key.datastoreId, key.imageSetId, key.versionId);
      };
      const settled = await Promise.allSettled(
        keys.map((key) =>
          key.versionId === undefined
            ? latestInBatch.get(imageSetCacheKey(key))!
            : loadVersion({ ...key, versionId: key.versionId }),
        ),
      );
      return settled.map((result) => (result.status === 'fulfilled' ? result.value : asError(result.reason)));
    },
    { cacheKeyFn: imageSetCacheKey, cacheMap: cache },
  );
  return loader;
}

export function createLoaders(port: ImagingPort): ImagingLoaders {
  const imageSetCache = new Map<string, Promise<ImageSetRecord>>();
  const versionsPageCache = new Map<string, Promise<UpstreamPage<ImageSetVersionRecord>>>();

  const datastore = new DataLoader<string, DatastoreRecord>(perKey((datastoreId) => port.getDatastore(datastoreId)));

  const imageSet = imageSetLoader(port, imageSetCache);

  /**
   * What this request has read upstream about a version, the evidence that lets the replica's
   * metadata cache answer (src/imaging/metadata-cache-reads.ts): its GetImageSet record, by
   * version or as the latest, or its versions-page entry (primed under the version's key). A read
   * still on its way is waited for; one that failed is no evidence. With nothing read yet, a
   * GetImageSet is made only when it replaces a download; its failure is the read's answer.
   */
  const evidenceOf = async (key: VersionKey): Promise<ImageSetVersionRecord | undefined> => {
    const byVersion = imageSetCache.get(imageSetCacheKey(key));
    if (byVersion) return byVersion.catch(() => undefined);
    const latest = imageSetCache.get(imageSetCacheKey({ datastoreId: key.datastoreId, imageSetId: key.imageSetId }));
    if (latest) {
      const record = await latest.catch(() => undefined);
      if (record?.versionId === key.versionId) return record;
    }
    if (!port.isMetadataCached(key.datastoreId, key.imageSetId, key.versionId)) return undefined;
    return imageSet.load(key);
  };

  // The document is fetched and decoded at most once per request and version however many
  // fields read it.
  const metadata = new DataLoader<VersionKey, MetadataDocument, string>(
    perKey(async (key) =>
      port.getImageSetMetadata(key.datastoreId, key.imageSetId, key.versionId, await evidenceOf(key)),
    ),
    { cacheKeyFn: versionCacheKey },
  );

  const versionsPage = new DataLoader<VersionsPageKey, UpstreamPage<ImageSetVersionRecord>, string>(
    perKey(async (key) => {
      const { datastoreId, imageSetId } = key;
      const page = await port.listImageSetVersions(datastoreId, imageSetId, {
        maxResults: key.maxResults,
        ...(key.nextToken !== undefined ? { nextToken: key.nextToken } : {}),
      });
      // Each entry says what GetImageSet of its version would, so later reads of those versions
      // cost no call (docs/healthimaging-behaviour.md#the-latest-version-in-two-answers).
      for (const item of page.items) imageSet.prime({ datastoreId, imageSetId, versionId: item.versionId }, item);
      return page;
    }),
    { cacheKeyFn: versionsPageCacheKey, cacheMap: versionsPageCache },
  );

  const afterWrite = (datastoreId: string, ...imageSetIds: string[]): void => {
    for (const imageSetId of imageSetIds) {
      const prefix = imageSetPrefix(datastoreId, imageSetId);
      // A write changes the latest version and the state of the version it started from (a copy
      // source turns COPYING_WITH_READ_ONLY_ACCESS), so versioned records go too.
      deleteByPrefix(imageSetCache, prefix);
      deleteByPrefix(versionsPageCache, prefix);
    }
  };

  return { datastore, imageSet, metadata, versionsPage, afterWrite };
}
