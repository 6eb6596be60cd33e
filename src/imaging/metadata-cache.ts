import { LRUCache } from 'lru-cache';
import type { MetadataDocument } from './records';

/** 64 MiB of metadata JSON per replica: twenty 3 MB documents, or hundreds of small ones. */
export const DEFAULT_METADATA_CACHE_BYTES = 64 * 1024 * 1024;

/** What the cache reports, for the metrics (all counts since the cache was built). */
export interface MetadataCacheStats {
  hits: number;
  misses: number;
  evictions: number;
  /** JSON bytes of the documents held now. */
  bytes: number;
  entries: number;
}

interface Entry {
  document: MetadataDocument;
  bytes: number;
}

/**
 * Decoded metadata documents of image set versions, shared by every request and tenant of a
 * replica and bounded by the JSON size of what it holds (least recently used leaves first).
 *
 * It is only a store: it does not decide who may read from it. `ImagingService` does, and asks
 * it only for a version the request has just seen, settled, in an upstream answer to the tenant's
 * own credentials (docs/healthimaging-behaviour.md#version-documents-while-a-write-runs); the key is the
 * upstream identity of the version, never a tenant.
 */
export class MetadataCache {
  private readonly entries: LRUCache<string, Entry>;
  private counts = { hits: 0, misses: 0, evictions: 0 };

  constructor(readonly maxBytes: number = DEFAULT_METADATA_CACHE_BYTES) {
    this.entries = new LRUCache<string, Entry>({
      maxSize: Math.max(1, maxBytes),
      // A document larger than the whole cache is simply not kept.
      sizeCalculation: (entry) => Math.max(1, entry.bytes),
      dispose: (_entry, _key, reason) => {
        if (reason === 'evict') this.counts.evictions += 1;
      },
    });
  }

  static key(datastoreId: string, imageSetId: string, versionId: string): string {
    return `${datastoreId}/${imageSetId}/${versionId}`;
  }

  /** Counts a hit or a miss. */
  get(key: string): MetadataDocument | undefined {
    const entry = this.entries.get(key);
    if (entry) this.counts.hits += 1;
    else this.counts.misses += 1;
    return entry?.document;
  }

  /** Whether a document is held, without counting or refreshing it. */
  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** A read that went upstream without asking the cache (nothing settled to key it by). */
  bypassed(): void {
    this.counts.misses += 1;
  }

  set(key: string, document: MetadataDocument, bytes: number): void {
    if (this.maxBytes <= 0) return;
    this.entries.set(key, { document, bytes });
  }

  stats(): MetadataCacheStats {
    return { ...this.counts, bytes: this.entries.calculatedSize, entries: this.entries.size };
  }
}
