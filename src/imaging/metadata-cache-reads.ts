import { MetadataCache } from './metadata-cache';
import type { ImageSetVersionRecord, MetadataDocument } from './records';
import { metadataBytesOf } from './upstream/metadata-decode';
import { SingleFlight } from './upstream/single-flight';

/**
 * Workflow statuses after which a version's document no longer changes. While a write runs, the
 * version it appends shows the previous content and takes the new content only when the write
 * completes (docs/healthimaging-behaviour.md#version-documents-while-a-write-runs), so a version
 * in any other status (`UPDATING`, `COPYING`, `IMPORTING`, `DELETING`, or one this gateway does not
 * know) is neither cached nor answered from the cache. A copy source keeps its content while it is
 * `COPYING_WITH_READ_ONLY_ACCESS`.
 */
const SETTLED_STATUSES: ReadonlySet<string> = new Set([
  'CREATED',
  'IMPORTED',
  'UPDATED',
  'UPDATE_FAILED',
  'COPIED',
  'COPY_FAILED',
  'COPYING_WITH_READ_ONLY_ACCESS',
]);

type Fetch = (datastoreId: string, imageSetId: string, versionId?: string) => Promise<MetadataDocument>;

/**
 * One tenant's metadata reads over the replica's shared cache. A cached document answers only a
 * request that shows evidence the version exists now and is settled: a record this very service
 * returned from GetImageSet or ListImageSetVersions (`vouch`), i.e. an upstream answer to this
 * tenant's credentials, after its grant check. A record from another tenant's service, a forged
 * one, or none at all is ignored, so a deleted image set, a revoked grant or another tenant goes
 * upstream and gets upstream's answer. Documents are read-only for every consumer.
 */
export class MetadataCacheReads {
  private readonly vouched = new WeakSet<object>();
  private readonly inFlight = new SingleFlight<MetadataDocument>();

  constructor(
    private readonly cache: MetadataCache | undefined,
    private readonly fetch: Fetch,
  ) {}

  /** Marks an upstream answer of this service as evidence for `read`; returns it unchanged. */
  vouch<T extends ImageSetVersionRecord>(record: T): T {
    this.vouched.add(record);
    return record;
  }

  /** Whether a read with evidence would be answered without a download. */
  isCached(datastoreId: string, imageSetId: string, versionId: string): boolean {
    return this.cache?.has(MetadataCache.key(datastoreId, imageSetId, versionId)) ?? false;
  }

  /**
   * A given version's document never changes once settled, so concurrent requests of this tenant
   * share one download and one decoded document, and a settled version's document is kept. The
   * latest version (no id) is neither coalesced nor cached: "latest" may move between two calls.
   */
  read(
    datastoreId: string,
    imageSetId: string,
    versionId: string | undefined,
    evidence: ImageSetVersionRecord | undefined,
  ): Promise<MetadataDocument> {
    if (versionId === undefined) {
      this.cache?.bypassed();
      return this.fetch(datastoreId, imageSetId);
    }
    const key = MetadataCache.key(datastoreId, imageSetId, versionId);
    if (!this.cache || !this.settles(evidence, datastoreId, imageSetId, versionId)) {
      this.cache?.bypassed();
      return this.inFlight.run(key, () => this.fetch(datastoreId, imageSetId, versionId));
    }
    const { cache } = this;
    const cached = cache.get(key);
    if (cached) return Promise.resolve(cached);
    // Its own flight: a download that started before the version was seen settled may hold the
    // content a running write is about to replace, and must not be kept.
    return this.inFlight.run(`${key}/settled`, async () => {
      const document = await this.fetch(datastoreId, imageSetId, versionId);
      cache.set(key, document, metadataBytesOf(document));
      return document;
    });
  }

  private settles(
    evidence: ImageSetVersionRecord | undefined,
    datastoreId: string,
    imageSetId: string,
    versionId: string,
  ): boolean {
    return (
      evidence !== undefined &&
      this.vouched.has(evidence) &&
      evidence.datastoreId === datastoreId &&
      evidence.imageSetId === imageSetId &&
      evidence.versionId === versionId &&
      evidence.state !== 'DELETED' &&
      evidence.workflowStatus !== undefined &&
      SETTLED_STATUSES.has(evidence.workflowStatus)
    );
  }
}
