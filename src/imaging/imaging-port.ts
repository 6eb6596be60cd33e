import type { Readable } from 'node:stream';
import type {
  CopyResultRecord,
  DatastoreRecord,
  DeleteResultRecord,
  ImageSetRecord,
  ImageSetVersionRecord,
  MetadataChangeDocument,
  MetadataDocument,
  SearchCriteriaInput,
  SearchSummaryRecord,
  UpdateResultRecord,
  UpstreamPage,
} from './records';

export interface CopyImageSetRequest {
  datastoreId: string;
  sourceImageSetId: string;
  sourceLatestVersionId: string;
  /** Omitted: HealthImaging creates a new image set. */
  destination?: { imageSetId: string; latestVersionId: string };
  /** Already-built copiableAttributes document (the service JSON-stringifies it); omitted: everything. */
  copiableAttributes?: MetadataChangeDocument;
  force?: boolean;
  promoteToPrimary?: boolean;
}

/** One image frame as HealthImaging answered it: the body is still streaming, and its reader must consume or destroy it. */
export interface ImageFrameRecord {
  /** The content type HealthImaging reported (e.g. `application/octet-stream` for HTJ2K, `image/jph`). */
  contentType: string;
  /** Bytes in the body, when HealthImaging said. */
  contentLength?: number;
  body: Readable;
}

export interface UpdateImageSetMetadataRequest {
  datastoreId: string;
  imageSetId: string;
  latestVersionId: string;
  updates?: { updatableAttributes?: MetadataChangeDocument; removableAttributes?: MetadataChangeDocument };
  revertToVersionId?: string;
  force?: boolean;
}

/**
 * What the rest of the gateway may ask of HealthImaging, for one tenant. The implementation
 * (`ImagingService`) is bound to the tenant's SDK client and grant: every method first checks the
 * data store against the grant and reports an id outside it exactly like a missing one
 * (`NotFoundError`), before any upstream call. Errors thrown are the gateway's own (src/errors),
 * never SDK exceptions.
 */
export interface ImagingPort {
  readonly tenantId: string;

  /** The tenant's granted data store ids, in configuration order. */
  grantedDatastoreIds(): readonly string[];

  /**
   * The grant check every method runs first: NOT_FOUND, exactly as for a data store that does not
   * exist, when the id is outside the grant. Exposed so that a path that must refuse before doing
   * anything else (reading a cursor, checking a filter) uses this very check.
   */
  assertGranted(datastoreId: string): void;

  getDatastore(datastoreId: string): Promise<DatastoreRecord>;

  searchImageSets(
    datastoreId: string,
    criteria: SearchCriteriaInput,
    page: { maxResults: number; nextToken?: string },
  ): Promise<UpstreamPage<SearchSummaryRecord>>;

  /** `versionId` omitted: the latest version. */
  getImageSet(datastoreId: string, imageSetId: string, versionId?: string): Promise<ImageSetRecord>;

  /**
   * Fetches, gunzips (when the bytes are gzip) and parses the document. `evidence`: a record this
   * port returned from `getImageSet` or `listImageSetVersions` for the same version during this
   * request; when it shows the version settled, the replica's cached document may answer instead
   * of a download (src/imaging/metadata-cache-reads.ts). Without it the document is downloaded.
   */
  getImageSetMetadata(
    datastoreId: string,
    imageSetId: string,
    versionId?: string,
    evidence?: ImageSetVersionRecord,
  ): Promise<MetadataDocument>;

  /** Whether the replica holds this version's document (a reason to fetch evidence rather than the document). */
  isMetadataCached(datastoreId: string, imageSetId: string, versionId: string): boolean;

  listImageSetVersions(
    datastoreId: string,
    imageSetId: string,
    page: { maxResults: number; nextToken?: string },
  ): Promise<UpstreamPage<ImageSetVersionRecord>>;

  copyImageSet(input: CopyImageSetRequest): Promise<CopyResultRecord>;

  /** A metadata update (`updates`) or a revert (`revertToVersionId`), never both. */
  updateImageSetMetadata(input: UpdateImageSetMetadataRequest): Promise<UpdateResultRecord>;

  deleteImageSet(datastoreId: string, imageSetId: string): Promise<DeleteResultRecord>;

  /** Starts GetImageFrame and resolves once its headers arrived; the bytes stream from `body`. */
  getImageFrame(datastoreId: string, imageSetId: string, imageFrameId: string): Promise<ImageFrameRecord>;
}
