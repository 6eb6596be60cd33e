import { types } from 'node:util';
import type { RawDataset } from './dcmjs';
import { DicomReadError } from './dicom-read-error';
import { crc32 } from './frame-checksum';
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

/** What the metadata document records of a frame once its bytes are stored. */
export interface FrameFacts {
  width: number;
  height: number;
  /** CRC32 of the frame's bytes as stored (see build-document's checksumType). */
  checksum: number;
  sizeInBytes: number;
  minPixelValue?: number;
  maxPixelValue?: number;
}

export function frameFacts(frame: PixelFrame): FrameFacts {
  return {
    width: frame.width,
    height: frame.height,
    checksum: crc32(frame.bytes),
    sizeInBytes: frame.bytes.length,
    ...(frame.minPixelValue !== undefined
      ? { minPixelValue: frame.minPixelValue, maxPixelValue: frame.maxPixelValue }
      : {}),
  };
}

export interface PixelModule {
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

export function pixelModule(dict: RawDataset): PixelModule {
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

/**
 * Smallest and largest stored value of a native frame, fed in pieces (a frame streamed from a
 * file arrives in chunks). Each piece must hold whole samples; `undefined` where the pixel format
 * has no single value per pixel (colour, or a sample size other than 8, 16 or 32 bits).
 */
export class ValueRange {
  private min = Infinity;
  private max = -Infinity;
  private readonly applies: boolean;
  private readonly mask: number;
  private readonly signBit: number;

  constructor(private readonly px: PixelModule) {
    this.applies = px.samplesPerPixel === 1 && [8, 16, 32].includes(px.bitsAllocated);
    const stored = Math.min(px.bitsStored, px.bitsAllocated);
    // Values outside BitsStored (overlay bits in old files) are masked off before the sign is applied.
    this.mask = stored >= 32 ? 0xffffffff : (1 << stored) - 1;
    this.signBit = stored >= 32 ? 0x80000000 : 1 << (stored - 1);
  }

  add(bytes: Buffer): void {
    if (!this.applies) return;
    const { bitsAllocated } = this.px;
    const stored = Math.min(this.px.bitsStored, bitsAllocated);
    const signed = this.px.pixelRepresentation === 1;
    const count = Math.floor(bytes.length / (bitsAllocated / 8));
    let { min, max } = this;
    for (let i = 0; i < count; i++) {
      let v =
        bitsAllocated === 8
          ? bytes.readUInt8(i)
          : bitsAllocated === 16
            ? bytes.readUInt16LE(i * 2)
            : bytes.readUInt32LE(i * 4);
      v = stored >= 32 ? v >>> 0 : v & this.mask;
      if (signed && v & this.signBit) v = stored >= 32 ? v | 0 : v - (this.mask + 1);
      if (v < min) min = v;
      if (v > max) max = v;
    }
    this.min = min;
    this.max = max;
  }

  result(): { min: number; max: number } | undefined {
    return this.applies && this.min <= this.max ? { min: this.min, max: this.max } : undefined;
  }
}

function minMax(bytes: Buffer, px: PixelModule): { min: number; max: number } | undefined {
  const range = new ValueRange(px);
  range.add(bytes);
  return range.result();
}

/** Bytes of one native frame; refuses what cannot be cut into frames on byte boundaries. */
export function nativeFrameSize(px: PixelModule): number {
  const frameBits = px.rows * px.columns * px.samplesPerPixel * px.bitsAllocated;
  if (frameBits % 8 !== 0 && px.numberOfFrames > 1) {
    throw new DicomReadError('UNSUPPORTED_PIXEL_DATA', 'multi-frame bit-packed pixel data is not supported');
  }
  return Math.ceil(frameBits / 8);
}

export function nativePixelDataTooShort(): DicomReadError {
  return new DicomReadError('TRUNCATED', 'pixel data is shorter than Rows x Columns x frames requires');
}

function nativeFrames(value: unknown[], px: PixelModule, littleEndian: boolean): PixelFrame[] {
  const all = asBuffer(value);
  const frameSize = nativeFrameSize(px);
  if (all.length < frameSize * px.numberOfFrames) throw nativePixelDataTooShort();
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

/**
 * Which pieces of encapsulated pixel data make up each frame. A piece is what dcmjs yields per
 * basic offset table entry (the fragments of one frame), or one fragment when there is no table;
 * empty pieces are dropped. One frame takes every piece; several need exactly one piece each.
 */
export function encapsulatedFrameParts<P>(pieces: P[], sizeOf: (piece: P) => number, numberOfFrames: number): P[][] {
  const present = pieces.filter((piece) => sizeOf(piece) > 0);
  if (present.length === 0) throw new DicomReadError('MALFORMED', 'encapsulated pixel data has no fragments');
  if (numberOfFrames === 1) return [present];
  if (present.length === numberOfFrames) return present.map((piece) => [piece]);
  throw new DicomReadError(
    'UNSUPPORTED_PIXEL_DATA',
    'encapsulated multi-frame pixel data needs a basic offset table or one fragment per frame',
  );
}

function encapsulatedFrames(value: unknown[], px: PixelModule): PixelFrame[] {
  const parts = encapsulatedFrameParts(value.map(asBuffer), (b) => b.length, px.numberOfFrames);
  return parts.map((frame) => {
    const [only] = frame;
    // One fragment is the frame itself: no copy.
    return { bytes: frame.length === 1 && only ? only : Buffer.concat(frame), width: px.columns, height: px.rows };
  });
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
