import { types } from 'node:util';
import type { RawDataset } from './dcmjs';
import { DicomReadError } from './dicom-read-error';
import { EXPLICIT_VR_BIG_ENDIAN, isNativeSyntax } from './transfer-syntax';

/** ArrayBuffers may come from another realm (dcmjs bundles, test sandboxes): no instanceof. */
const isAnyArrayBuffer = (value: unknown): value is ArrayBuffer => types.isAnyArrayBuffer(value);

/**
 * Splits an instance's pixel data into frames, the unit GetImageFrame serves:
 * native pixel data is cut into NumberOfFrames equal slices; encapsulated pixel data yields one
 * fragment set per frame (dcmjs already groups fragments by the basic offset table; without one,
 * a single-frame image takes all fragments and a multi-frame image needs one fragment per frame).
 */
export interface PixelFrame {
  bytes: Buffer;
  width: number;
  height: number;
  /** Smallest and largest stored value, for native single-sample pixels of 8, 16 or 32 bits. */
  minPixelValue?: number;
  maxPixelValue?: number;
}

interface PixelModule {
  rows: number;
  columns: number;
  samplesPerPixel: number;
  bitsAllocated: number;
  bitsStored: number;
  pixelRepresentation: number;
  numberOfFrames: number;
}

function first(dict: RawDataset, tag: string): unknown {
  const values = dict[tag]?.Value;
  return values && values.length > 0 ? values[0] : undefined;
}

function integer(dict: RawDataset, tag: string, fallback?: number): number | undefined {
  const value = first(dict, tag);
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim()) : NaN;
  return Number.isFinite(n) ? Math.trunc(n) : fallback;
}

function pixelModule(dict: RawDataset): PixelModule {
  const rows = integer(dict, '00280010');
  const columns = integer(dict, '00280011');
  const bitsAllocated = integer(dict, '00280100');
  if (!rows || !columns || !bitsAllocated) {
    throw new DicomReadError('MISSING_ATTRIBUTE', 'pixel data without Rows, Columns or BitsAllocated');
  }
  return {
    rows,
    columns,
    bitsAllocated,
    samplesPerPixel: integer(dict, '00280002', 1) ?? 1,
    bitsStored: integer(dict, '00280101', bitsAllocated) ?? bitsAllocated,
    pixelRepresentation: integer(dict, '00280103', 0) ?? 0,
    numberOfFrames: Math.max(1, integer(dict, '00280008', 1) ?? 1),
  };
}

function asBuffer(value: unknown): Buffer {
  if (isAnyArrayBuffer(value)) return Buffer.from(value);
  if (ArrayBuffer.isView(value)) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (Array.isArray(value)) return Buffer.concat(value.map(asBuffer));
  return Buffer.alloc(0);
}

function minMax(bytes: Buffer, px: PixelModule): { min: number; max: number } | undefined {
  if (px.samplesPerPixel !== 1 || ![8, 16, 32].includes(px.bitsAllocated)) return undefined;
  const stored = Math.min(px.bitsStored, px.bitsAllocated);
  const signed = px.pixelRepresentation === 1;
  const count = Math.floor(bytes.length / (px.bitsAllocated / 8));
  if (count === 0) return undefined;
  let min = Infinity;
  let max = -Infinity;
  // Values outside BitsStored (overlay bits in old files) are masked off before the sign is applied.
  const mask = stored >= 32 ? 0xffffffff : (1 << stored) - 1;
  const signBit = stored >= 32 ? 0x80000000 : 1 << (stored - 1);
  for (let i = 0; i < count; i++) {
    let v =
      px.bitsAllocated === 8 ? bytes[i] : px.bitsAllocated === 16 ? bytes.readUInt16LE(i * 2) : bytes.readUInt32LE(i * 4);
    v = stored >= 32 ? v >>> 0 : v & mask;
    if (signed && v & signBit) v = stored >= 32 ? v | 0 : v - (mask + 1);
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max };
}

function nativeFrames(value: unknown[], px: PixelModule, littleEndian: boolean): PixelFrame[] {
  const all = asBuffer(value);
  const frameBits = px.rows * px.columns * px.samplesPerPixel * px.bitsAllocated;
  if (frameBits % 8 !== 0 && px.numberOfFrames > 1) {
    throw new DicomReadError('UNSUPPORTED_PIXEL_DATA', 'multi-frame bit-packed pixel data is not supported');
  }
  const frameSize = Math.ceil(frameBits / 8);
  if (all.length < frameSize * px.numberOfFrames) {
    throw new DicomReadError('TRUNCATED', 'pixel data is shorter than Rows x Columns x frames requires');
  }
  const frames: PixelFrame[] = [];
  for (let f = 0; f < px.numberOfFrames; f++) {
    const bytes = Buffer.from(all.subarray(f * frameSize, (f + 1) * frameSize));
    const range = littleEndian ? minMax(bytes, px) : undefined;
    frames.push({
      bytes,
      width: px.columns,
      height: px.rows,
      ...(range ? { minPixelValue: range.min, maxPixelValue: range.max } : {}),
    });
  }
  return frames;
}

function encapsulatedFrames(value: unknown[], px: PixelModule): PixelFrame[] {
  const pieces = value.map(asBuffer).filter((b) => b.length > 0);
  if (pieces.length === 0) throw new DicomReadError('MALFORMED', 'encapsulated pixel data has no fragments');
  let frames: Buffer[];
  if (px.numberOfFrames === 1) frames = [Buffer.concat(pieces)];
  else if (pieces.length === px.numberOfFrames) frames = pieces;
  else {
    throw new DicomReadError(
      'UNSUPPORTED_PIXEL_DATA',
      'encapsulated multi-frame pixel data needs a basic offset table or one fragment per frame',
    );
  }
  return frames.map((bytes) => ({ bytes, width: px.columns, height: px.rows }));
}

/** The frames of a dataset; an instance without pixel data (e.g. a report) has none. */
export function extractFrames(dict: RawDataset, transferSyntaxUid: string): PixelFrame[] {
  const pixelData = dict['7FE00010'];
  if (!pixelData || !pixelData.Value || pixelData.Value.length === 0) return [];
  const px = pixelModule(dict);
  return isNativeSyntax(transferSyntaxUid)
    ? nativeFrames(pixelData.Value, px, transferSyntaxUid !== EXPLICIT_VR_BIG_ENDIAN)
    : encapsulatedFrames(pixelData.Value, px);
}
