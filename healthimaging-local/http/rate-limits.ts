import { ServiceError } from '../shapes/errors';
import { OPERATION_NAMES } from './routes';
import type { OperationName } from '../shapes/operation-names';

export interface RateLimit {
  /** Tokens per second. */
  rate: number;
  burst: number;
}

/**
 * `'quota'` = the default throttle rates (docs/healthimaging-behaviour.md#quotas-and-throttling),
 * or explicit per-operation limits.
 */
export type RateLimitSpec = 'quota' | Partial<Record<OperationName, RateLimit>>;

export const QUOTA_RATE_LIMITS: Record<OperationName, RateLimit> = {
  CreateDatastore: { rate: 0.085, burst: 1 },
  DeleteDatastore: { rate: 0.085, burst: 1 },
  GetDatastore: { rate: 10, burst: 20 },
  ListDatastores: { rate: 5, burst: 10 },
  StartDICOMImportJob: { rate: 1, burst: 2 },
  GetDICOMImportJob: { rate: 25, burst: 50 },
  ListDICOMImportJobs: { rate: 10, burst: 20 },
  SearchImageSets: { rate: 25, burst: 50 },
  GetImageSet: { rate: 25, burst: 50 },
  GetImageSetMetadata: { rate: 50, burst: 100 },
  GetImageFrame: { rate: 1000, burst: 2000 },
  ListImageSetVersions: { rate: 25, burst: 50 },
  UpdateImageSetMetadata: { rate: 0.25, burst: 1 },
  CopyImageSet: { rate: 0.25, burst: 1 },
  DeleteImageSet: { rate: 0.25, burst: 1 },
  TagResource: { rate: 10, burst: 20 },
  UntagResource: { rate: 10, burst: 20 },
  ListTagsForResource: { rate: 10, burst: 20 },
};

/** `quota` or `GetImageSet=25/50,CopyImageSet=0.25/1`. */
export function parseRateLimits(text: string): RateLimitSpec {
  if (text.trim() === 'quota') return 'quota';
  const out: Partial<Record<OperationName, RateLimit>> = {};
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^([A-Za-z]+)=(\d+(?:\.\d+)?)\/(\d+)$/.exec(part);
    if (!m || !OPERATION_NAMES.includes(m[1] as OperationName)) {
      throw new Error(`invalid rate limit "${part}": expected Operation=RATE/BURST or "quota"`);
    }
    out[m[1] as OperationName] = { rate: Number(m[2]), burst: Number(m[3]) };
  }
  return out;
}

interface Bucket {
  tokens: number;
  refilledAt: number;
}

/** Token buckets per (operation, access key): quotas are per account, a key stands for one here. */
export class RateLimiter {
  private limits: Partial<Record<OperationName, RateLimit>> = {};
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    spec?: RateLimitSpec,
    private readonly clock: () => number = Date.now,
  ) {
    if (spec) this.set(spec);
  }

  set(spec: RateLimitSpec): void {
    this.limits = spec === 'quota' ? { ...QUOTA_RATE_LIMITS } : { ...spec };
    this.buckets.clear();
  }

  clear(): void {
    this.limits = {};
    this.buckets.clear();
  }

  current(): Partial<Record<OperationName, RateLimit>> {
    return { ...this.limits };
  }

  take(operation: OperationName, accessKeyId: string): void {
    const limit = this.limits[operation];
    if (!limit) return;
    const key = `${operation}\u0000${accessKeyId}`;
    const now = this.clock();
    const bucket = this.buckets.get(key) ?? { tokens: limit.burst, refilledAt: now };
    bucket.tokens = Math.min(limit.burst, bucket.tokens + ((now - bucket.refilledAt) / 1000) * limit.rate);
    bucket.refilledAt = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) throw new ServiceError('ThrottlingException', 'Rate exceeded');
    bucket.tokens -= 1;
  }
}
