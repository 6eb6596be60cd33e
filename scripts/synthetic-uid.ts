import { createHash } from 'node:crypto';

/**
 * A DICOM UID derived from a seed and a path, under the 2.25 root (PS3.5 B.2: a UUID-sized
 * integer written in decimal). The same inputs always give the same UID, so generated studies are
 * reproducible; different paths give different UIDs with UUID-level collision odds.
 */
export function syntheticUid(seed: string, ...path: Array<string | number>): string {
  const digest = createHash('sha256')
    .update([seed, ...path].join('\u0000'))
    .digest();
  const value = BigInt(`0x${digest.subarray(0, 16).toString('hex')}`);
  return `2.25.${value.toString(10)}`;
}
