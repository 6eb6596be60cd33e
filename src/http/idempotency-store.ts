import { LRUCache } from 'lru-cache';

/**
 * Where idempotency records live. A record is created "running" by an atomic reservation (only one
 * request may hold a key), then replaced by the response it answered, or deleted when the request
 * turned out to run nothing. Records expire `ttlMs` after they were last written.
 */

/** A response as it is replayed: status, Apollo's headers and the body's text. */
export interface StoredResponse {
  status: number;
  headers: Array<[string, string]>;
  body: string;
}

export type IdempotencyRecord =
  | { state: 'running'; fingerprint: string; startedAt: number }
  | { state: 'done'; fingerprint: string; response: StoredResponse };

export type Reservation = { reserved: true } | { reserved: false; existing: IdempotencyRecord };

export interface IdempotencyStore {
  /** Creates `record` under `id` unless one exists (atomically); answers the existing one if so. */
  reserve(id: string, record: IdempotencyRecord, ttlMs: number): Promise<Reservation>;
  /** Replaces the record (the reservation's holder, with the outcome). */
  put(id: string, record: IdempotencyRecord, ttlMs: number): Promise<void>;
  delete(id: string): Promise<void>;
}

/** Bytes of records one replica keeps in memory; the oldest go first past it. */
export const DEFAULT_MEMORY_STORE_BYTES = 64 * 1024 * 1024;

/**
 * One process's records (no `REDIS_URL`): replays work against the same replica only. Bounded by
 * size: a record evicted early lets a late repeat run again, which is why shared deployments use
 * Redis.
 */
export class MemoryIdempotencyStore implements IdempotencyStore {
  private readonly records: LRUCache<string, IdempotencyRecord>;

  constructor(options: { maxBytes?: number; now?: () => number } = {}) {
    this.records = new LRUCache<string, IdempotencyRecord>({
      maxSize: options.maxBytes ?? DEFAULT_MEMORY_STORE_BYTES,
      ...(options.now ? { perf: { now: options.now } } : {}),
      // Read the clock on every check: a cached reading would let an expired record answer.
      ttlResolution: 0,
      sizeCalculation: (record) => 256 + (record.state === 'done' ? record.response.body.length * 2 : 0),
      ttlAutopurge: false,
    });
  }

  reserve(id: string, record: IdempotencyRecord, ttlMs: number): Promise<Reservation> {
    const existing = this.records.get(id);
    if (existing) return Promise.resolve({ reserved: false, existing });
    this.records.set(id, record, { ttl: ttlMs });
    return Promise.resolve({ reserved: true });
  }

  put(id: string, record: IdempotencyRecord, ttlMs: number): Promise<void> {
    this.records.set(id, record, { ttl: ttlMs });
    return Promise.resolve();
  }

  delete(id: string): Promise<void> {
    this.records.delete(id);
    return Promise.resolve();
  }
}
