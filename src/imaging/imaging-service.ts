import type { TenantConfig } from '../tenants/tenant-config';
import { NotFoundError } from '../errors/gateway-errors';
import { ImageSetWrites } from './writes/image-set-writes';
import type { CopyImageSetRequest, ImageFrameRecord, ImagingPort, UpdateImageSetMetadataRequest } from './imaging-port';
import { DEFAULT_MAX_METADATA_BYTES } from './upstream/metadata-decode';
import type { MetadataCache } from './metadata-cache';
import { MetadataCacheReads } from './metadata-cache-reads';
import type {
  CopyResultRecord,
  DatastoreRecord,
  DeleteResultRecord,
  ImageSetRecord,
  ImageSetVersionRecord,
  MetadataDocument,
  SearchCriteriaInput,
  SearchSummaryRecord,
  UpdateResultRecord,
  UpstreamPage,
} from './records';
import { checkPageSize, checkResourceId } from './request-checks';
import { checkVersionId } from './version-ids';
import type { RetryRuntime } from './upstream/retry-policy';
import { toSearchCriteria } from './upstream/search-criteria';
import { UpstreamCaller, type UpstreamCallEvent } from './upstream/upstream-caller';
import type { UpstreamAdmission } from './upstream/upstream-admission';
import { FAILURE_MESSAGES } from './upstream/upstream-errors';
import { UpstreamFrames } from './upstream/upstream-frames';
import { UpstreamReads, type PageRequest } from './upstream/upstream-reads';
import { UpstreamWrites } from './upstream/upstream-writes';
import type { MedicalImagingClient } from './upstream/client-factory';
import { WriteReconciler } from './writes/write-reconciler';
import { AnsweredCopies } from './writes/answered-copies';
import { DEFAULT_CLOCK_SKEW_MS } from './writes/written-version-evidence';

export interface ImagingServiceOptions {
  tenant: TenantConfig;
  client: MedicalImagingClient;
  clock?: () => Date;
  onUpstreamCall?: (event: UpstreamCallEvent) => void;
  /** Overrides for tests: backoff, sleep and jitter source. */
  retry?: Partial<RetryRuntime>;
  /** The upstream accounts' write queue and read budgets, shared by every tenant's service. */
  admission?: UpstreamAdmission;
  maxMetadataBytes?: number;
  clockSkewMs?: number;
  /** The replica's decoded metadata, shared by every tenant's service; none: every read downloads. */
  metadataCache?: MetadataCache;
}

/**
 * HealthImaging for one tenant, behind the port: every method checks the data store against the
 * tenant's grant, then the shape of its ids, before anything goes upstream; then it hands over to
 * the reads (`UpstreamReads`) or the writes (`ImageSetWrites`), which share the tenant's one
 * `UpstreamCaller` (its bound on calls in flight). Only gateway errors leave (or a plain Error for
 * the unforeseen, masked later).
 */
export class ImagingService implements ImagingPort {
  readonly tenantId: string;
  private readonly datastoreIds: readonly string[];
  private readonly grant: ReadonlySet<string>;
  private readonly reads: UpstreamReads;
  private readonly writes: ImageSetWrites;
  private readonly frames: UpstreamFrames;
  private readonly metadata: MetadataCacheReads;

  constructor(options: ImagingServiceOptions) {
    const { tenant, client } = options;
    this.tenantId = tenant.id;
    this.datastoreIds = tenant.datastoreIds;
    this.grant = new Set(tenant.datastoreIds);
    const clock = options.clock ?? (() => new Date());
    const caller = new UpstreamCaller({
      tenant,
      ...(options.onUpstreamCall ? { onUpstreamCall: options.onUpstreamCall } : {}),
      ...(options.retry ? { retry: options.retry } : {}),
      ...(options.admission ? { admission: options.admission } : {}),
    });
    this.reads = new UpstreamReads(caller, client, options.maxMetadataBytes ?? DEFAULT_MAX_METADATA_BYTES);
    this.frames = new UpstreamFrames(caller, client);
    this.metadata = new MetadataCacheReads(options.metadataCache, (datastoreId, imageSetId, versionId) =>
      this.reads.metadata({ operation: 'GetImageSetMetadata' }, datastoreId, imageSetId, versionId),
    );
    const answeredCopies = new AnsweredCopies();
    this.writes = new ImageSetWrites({
      caller,
      writes: new UpstreamWrites(caller, client),
      reads: this.reads,
      reconciler: new WriteReconciler(this.reads, clock, answeredCopies),
      answeredCopies,
      clock,
      clockSkewMs: options.clockSkewMs ?? DEFAULT_CLOCK_SKEW_MS,
    });
  }

  grantedDatastoreIds(): readonly string[] {
    return this.datastoreIds;
  }

  /**
   * The grant decides first, with the same error and message as an upstream
   * ResourceNotFoundException: a foreign data store must be indistinguishable from a missing one,
   * and it never costs an upstream call.
   */
  assertGranted(datastoreId: string): void {
    if (!this.grant.has(datastoreId)) throw new NotFoundError(FAILURE_MESSAGES.notFound);
  }

  getDatastore(datastoreId: string): Promise<DatastoreRecord> {
    return this.checked(datastoreId, () => this.reads.datastore({ operation: 'GetDatastore' }, datastoreId));
  }

  searchImageSets(
    datastoreId: string,
    criteria: SearchCriteriaInput,
    page: PageRequest,
  ): Promise<UpstreamPage<SearchSummaryRecord>> {
    return this.checked(datastoreId, () => {
      checkPageSize(page.maxResults);
      return this.reads.search({ operation: 'SearchImageSets' }, datastoreId, toSearchCriteria(criteria), page);
    });
  }

  getImageSet(datastoreId: string, imageSetId: string, versionId?: string): Promise<ImageSetRecord> {
    return this.checked(datastoreId, () => {
      checkImageSetVersion(imageSetId, versionId);
      return this.reads
        .imageSet({ operation: 'GetImageSet' }, datastoreId, imageSetId, versionId)
        .then((record) => this.metadata.vouch(record));
    });
  }

  /** Shared downloads, and the replica's cache for versions `evidence` shows settled (metadata-cache-reads.ts). */
  getImageSetMetadata(
    datastoreId: string,
    imageSetId: string,
    versionId?: string,
    evidence?: ImageSetVersionRecord,
  ): Promise<MetadataDocument> {
    return this.checked(datastoreId, () => {
      checkImageSetVersion(imageSetId, versionId);
      return this.metadata.read(datastoreId, imageSetId, versionId, evidence);
    });
  }

  isMetadataCached(datastoreId: string, imageSetId: string, versionId: string): boolean {
    return this.grant.has(datastoreId) && this.metadata.isCached(datastoreId, imageSetId, versionId);
  }

  listImageSetVersions(
    datastoreId: string,
    imageSetId: string,
    page: PageRequest,
  ): Promise<UpstreamPage<ImageSetVersionRecord>> {
    return this.checked(datastoreId, async () => {
      checkResourceId(imageSetId, 'imageSetId');
      checkPageSize(page.maxResults);
      const versions = await this.reads.versions({ operation: 'ListImageSetVersions' }, datastoreId, imageSetId, page);
      for (const item of versions.items) this.metadata.vouch(item);
      return versions;
    });
  }

  copyImageSet(input: CopyImageSetRequest): Promise<CopyResultRecord> {
    return this.checked(input.datastoreId, () => this.writes.copy(input));
  }

  updateImageSetMetadata(input: UpdateImageSetMetadataRequest): Promise<UpdateResultRecord> {
    return this.checked(input.datastoreId, () => this.writes.update(input));
  }

  deleteImageSet(datastoreId: string, imageSetId: string): Promise<DeleteResultRecord> {
    return this.checked(datastoreId, () => {
      checkResourceId(imageSetId, 'imageSetId');
      return this.writes.delete(datastoreId, imageSetId);
    });
  }

  getImageFrame(datastoreId: string, imageSetId: string, imageFrameId: string): Promise<ImageFrameRecord> {
    return this.checked(datastoreId, () => {
      checkResourceId(imageSetId, 'imageSetId');
      checkResourceId(imageFrameId, 'imageFrameId');
      return this.frames.frame({ operation: 'GetImageFrame' }, datastoreId, imageSetId, imageFrameId);
    });
  }

  /** Every method's gate: the grant, then the work (a refusal is a rejected promise, never a throw). */
  private async checked<T>(datastoreId: string, run: () => Promise<T>): Promise<T> {
    this.assertGranted(datastoreId);
    return run();
  }
}

function checkImageSetVersion(imageSetId: string, versionId: string | undefined): void {
  checkResourceId(imageSetId, 'imageSetId');
  if (versionId !== undefined) checkVersionId(versionId, 'versionId');
}
