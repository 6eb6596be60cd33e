/** Identifies one version's metadata document; always an explicit version, so caching is exact. */
export interface MetadataKey {
  datastoreId: string;
  imageSetId: string;
  versionId: string;
}
