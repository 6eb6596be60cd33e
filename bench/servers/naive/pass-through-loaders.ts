import DataLoader from 'dataloader';
import type { ImagingPort } from '../../../src/imaging/imaging-port';
import type { ImageSetKey, ImagingLoaders, VersionKey, VersionsPageKey } from '../../../src/imaging/loaders';

/**
 * Loaders that are not loaders: no batching and no cache, so every `load` a resolver makes is one
 * upstream call, exactly as if the resolver called the SDK itself. This is the "naive GraphQL"
 * baseline: the gateway's schema and resolvers, minus what DataLoader buys.
 */
const passThrough = { batch: false, cache: false } as const;

function single<K, V>(load: (key: K) => Promise<V>): DataLoader.BatchLoadFn<K, V> {
  // With batch: false every batch holds one key.
  return async ([key]) =>
    key === undefined
      ? []
      : [await load(key).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))))];
}

export function passThroughLoaders(port: ImagingPort): ImagingLoaders {
  return {
    datastore: new DataLoader<string, never>(
      single((id) => port.getDatastore(id) as Promise<never>),
      passThrough,
    ),
    imageSet: new DataLoader(
      single((key: ImageSetKey) => port.getImageSet(key.datastoreId, key.imageSetId, key.versionId)),
      passThrough,
    ),
    metadata: new DataLoader(
      single((key: VersionKey) => port.getImageSetMetadata(key.datastoreId, key.imageSetId, key.versionId)),
      passThrough,
    ),
    versionsPage: new DataLoader(
      single((key: VersionsPageKey) =>
        port.listImageSetVersions(key.datastoreId, key.imageSetId, {
          maxResults: key.maxResults,
          ...(key.nextToken !== undefined ? { nextToken: key.nextToken } : {}),
        }),
      ),
      passThrough,
    ),
    // Nothing is cached, so a write has nothing to forget.
    afterWrite: () => undefined,
  };
}
