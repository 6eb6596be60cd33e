import type { Redis } from 'ioredis';
import type { IdempotencyRecord, IdempotencyStore, Reservation } from './idempotency-store';

/**
 * Records shared by every replica, in the Redis connection the rate limits opened. The reservation
 * is `SET NX PX`: of two replicas reserving one key at once, exactly one wins. A Redis command
 * that fails rejects (the connection never queues commands while down): the caller refuses the
 * write rather than run it unrecorded.
 */

/** Reserve retries when the record it lost to expired before it could be read. */
const RESERVE_ATTEMPTS = 3;

export class RedisIdempotencyStore implements IdempotencyStore {
  constructor(
    private readonly redis: Redis,
    /** Starts every key (`REDIS_KEY_PREFIX`). */
    private readonly keyPrefix = '',
  ) {}

  async reserve(id: string, record: IdempotencyRecord, ttlMs: number): Promise<Reservation> {
    const key = this.key(id);
    for (let attempt = 1; ; attempt += 1) {
      if ((await this.redis.set(key, JSON.stringify(record), 'PX', ttlMs, 'NX')) === 'OK') return { reserved: true };
      const existing = await this.redis.get(key);
      if (existing !== null) return { reserved: false, existing: parseRecord(existing) };
      if (attempt === RESERVE_ATTEMPTS) throw new Error('The idempotency record kept expiring while being reserved.');
    }
  }

  async put(id: string, record: IdempotencyRecord, ttlMs: number): Promise<void> {
    await this.redis.set(this.key(id), JSON.stringify(record), 'PX', ttlMs);
  }

  async delete(id: string): Promise<void> {
    await this.redis.del(this.key(id));
  }

  private key(id: string): string {
    return `${this.keyPrefix}idem:${id}`;
  }
}

function parseRecord(text: string): IdempotencyRecord {
  const record = JSON.parse(text) as Partial<IdempotencyRecord> | null;
  const valid =
    record !== null &&
    typeof record === 'object' &&
    typeof record.fingerprint === 'string' &&
    (record.state === 'running'
      ? typeof record.startedAt === 'number'
      : record.state === 'done' && typeof record.response === 'object');
  if (!valid) throw new Error('An idempotency record in Redis has an unknown shape.');
  return record as IdempotencyRecord;
}
