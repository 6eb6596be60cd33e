import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** A caller's API key checked against the SHA-256 hashes of the tenants file, in constant time. */
export interface KeyOwner<T> {
  sha256: string;
  owner: T;
}

export class ApiKeyAuth<T> {
  private readonly keys: Array<{ hash: Buffer; owner: T }>;

  constructor(keys: Array<KeyOwner<T>>) {
    this.keys = keys.map((key) => ({ hash: Buffer.from(key.sha256, 'hex'), owner: key.owner }));
  }

  owner(headers: IncomingHttpHeaders): T | undefined {
    const presented = headers['x-api-key'];
    if (typeof presented !== 'string' || presented === '') return undefined;
    const hash = createHash('sha256').update(presented).digest();
    let found: T | undefined;
    // Compare against every key so the time taken does not tell which one almost matched.
    for (const key of this.keys) if (timingSafeEqual(hash, key.hash) && found === undefined) found = key.owner;
    return found;
  }
}
