/** Service quotas (docs/healthimaging-behaviour.md#quotas-and-throttling) that the model enforces. */
export const MAX_METADATA_BYTES = 50 * 1024 * 1024;
export const MAX_FRAMES_PER_COPY = 1000;
export const MAX_TAGS_PER_RESOURCE = 50;
export const MAX_CONCURRENT_WRITES_PER_DATASTORE = 100;
export const MAX_CONCURRENT_IMPORTS_PER_DATASTORE = 100;
export const MAX_DATASTORES = 100;
