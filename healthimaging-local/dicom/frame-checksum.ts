import * as zlib from 'node:zlib';

/**
 * CRC32 (IEEE, the zlib polynomial) of a frame's bytes: the `Checksum` of its
 * PixelDataChecksumFromBaseToFullResolution entry. Node 20.15+ ships it in zlib; the table
 * fallback keeps older 20.x runtimes working. Both continue from a previous value, so a frame read
 * in chunks is checksummed chunk by chunk: crc32(b, crc32(a)) === crc32(a + b).
 */
const nativeCrc32 = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

let table: Uint32Array | undefined;

function crcTable(): Uint32Array {
  if (table) return table;
  table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

export function tableCrc32(bytes: Uint8Array, previous = 0): number {
  const t = crcTable();
  let crc = (previous ^ 0xffffffff) >>> 0;
  // The index is masked to 0..255, inside the table: `?? 0` is never taken.
  for (const byte of bytes) crc = (t[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

export function crc32(bytes: Uint8Array, previous = 0): number {
  return nativeCrc32 ? nativeCrc32(bytes, previous) >>> 0 : tableCrc32(bytes, previous);
}
