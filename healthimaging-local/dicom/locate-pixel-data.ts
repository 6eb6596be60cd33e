import { DicomReadError } from './dicom-read-error';
import type { FileWindow } from './file-window';
import { assertDicmPrefix } from './read-instance';
import {
  DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN,
  EXPLICIT_VR_BIG_ENDIAN,
  IMPLICIT_VR_LITTLE_ENDIAN,
} from './transfer-syntax';

/** A run of bytes in the file. */
export interface ByteRange {
  offset: number;
  length: number;
}

/**
 * Where a file's Pixel Data value lies, without reading it. A defined-length value is one range;
 * encapsulated pixel data is a list of pieces, each the fragments dcmjs would join into one
 * value: the fragments of one basic offset table entry, or a single fragment when the table is
 * empty (so the frame rules of pixel-frames apply unchanged).
 */
export type PixelDataLayout = { kind: 'value'; value: ByteRange } | { kind: 'fragments'; pieces: ByteRange[][] };

export interface LocatedDataset {
  /**
   * The file with its top-level Pixel Data element cut out: the bytes before it, then those after
   * it. Without a cut (no pixel data, or an empty one) this is the whole file.
   */
  dataset: Buffer;
  pixelData?: { vr: string; layout: PixelDataLayout };
}

/**
 * The most a file is read whole for when it cannot be streamed (a syntax or structure the walker
 * does not follow); a larger one fails as unreadable rather than taking its size in memory.
 */
export const WHOLE_READ_LIMIT_BYTES = 64 * 1024 * 1024;

/** Elements after the pixel data are rare and small (padding, signatures); more than this is not streamed. */
const MAX_TRAILER_BYTES = 4 * 1024 * 1024;
const MAX_DEPTH = 32;
const UNDEFINED_LENGTH = 0xffffffff;
const PIXEL_DATA = 0x7fe00010;
const ITEM = 0xfffee000;
const ITEM_DELIMITER = 0xfffee00d;
const SEQUENCE_DELIMITER = 0xfffee0dd;
const LONG_LENGTH_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);

/** The file cannot be walked here (a syntax or structure this walker does not follow): read it whole. */
class NotWalkable extends Error {}

/** The header buffer must grow to `end` bytes before the walk can go on. */
class NeedBytes extends Error {
  constructor(readonly end: number) {
    super('need more bytes');
  }
}

interface ElementHeader {
  tag: number;
  vr: string;
  length: number;
  /** Bytes of tag, VR and length. */
  size: number;
}

function fileTruncated(): DicomReadError {
  return new DicomReadError('TRUNCATED', 'the file is truncated: an element value runs past the end of the file');
}

function malformed(): DicomReadError {
  return new DicomReadError(
    'TRUNCATED',
    'the DICOM data set ends before its last element is complete, or is malformed',
  );
}

/**
 * Walks a file's elements, reading only the data set before and after the pixel data into
 * memory. The header grows as the walk needs it (doubling, so a large header costs a few reads).
 */
class DatasetWalker {
  private head: Buffer = Buffer.alloc(0);

  constructor(private readonly file: FileWindow) {}

  async locate(): Promise<LocatedDataset | undefined> {
    for (;;) {
      try {
        return await this.walk();
      } catch (error) {
        if (!(error instanceof NeedBytes)) throw error;
        // The file ends inside an element: dcmjs, given the whole file, says how (truncation).
        if (error.end > this.file.size) {
          if (this.file.size > WHOLE_READ_LIMIT_BYTES) throw fileTruncated();
          return { dataset: await this.file.bytes(0, this.file.size) };
        }
        await this.grow(error.end);
      }
    }
  }

  private async grow(end: number): Promise<void> {
    const target = Math.min(this.file.size, Math.max(end, this.head.length * 2, 64 * 1024));
    const more = await this.file.bytes(this.head.length, target - this.head.length);
    this.head = Buffer.concat([this.head, more]);
  }

  private need(end: number): void {
    if (end > this.head.length) throw new NeedBytes(end);
  }

  /** The walk restarts from the top on every NeedBytes; headers are small, so that is cheap. */
  private async walk(): Promise<LocatedDataset | undefined> {
    const size = this.file.size;
    this.need(Math.min(size, 132));
    assertDicmPrefix(this.head.subarray(0, 132));
    let pos = 132;
    let transferSyntaxUid = '';
    // File meta group: explicit VR little endian whatever the data set's syntax.
    while (pos < size) {
      this.need(pos + 2);
      if (this.head.readUInt16LE(pos) !== 0x0002) break;
      const element = this.header(pos, true, true);
      this.need(pos + element.size + element.length);
      if (element.tag === 0x00020010) {
        transferSyntaxUid = this.head
          .toString('latin1', pos + element.size, pos + element.size + element.length)
          .replace(/[\0 ]+$/, '');
      }
      pos += element.size + element.length;
    }
    if (transferSyntaxUid === EXPLICIT_VR_BIG_ENDIAN || transferSyntaxUid === DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN) {
      throw new NotWalkable('byte order or compression of the whole data set');
    }
    const explicit = transferSyntaxUid !== IMPLICIT_VR_LITTLE_ENDIAN;
    while (pos < size) {
      const element = this.header(pos, explicit, false);
      if (element.tag === PIXEL_DATA && element.length !== 0) return this.cutPixelData(pos, element);
      pos = this.skip(pos, element, explicit, 0);
    }
    return { dataset: this.head.subarray(0, size) };
  }

  private header(pos: number, explicit: boolean, inMeta: boolean): ElementHeader {
    this.need(pos + 8);
    const b = this.head;
    const tag = ((b.readUInt16LE(pos) << 16) | b.readUInt16LE(pos + 2)) >>> 0;
    if (tag === ITEM || tag === ITEM_DELIMITER || tag === SEQUENCE_DELIMITER) {
      return { tag, vr: '', length: b.readUInt32LE(pos + 4), size: 8 };
    }
    if (!explicit) return { tag, vr: '', length: b.readUInt32LE(pos + 4), size: 8 };
    const vr = b.toString('latin1', pos + 4, pos + 6);
    if (!/^[A-Z]{2}$/.test(vr)) {
      if (inMeta) throw new NotWalkable('file meta element without a VR');
      throw new NotWalkable('element without a VR in an explicit VR data set');
    }
    if (LONG_LENGTH_VRS.has(vr)) {
      this.need(pos + 12);
      return { tag, vr, length: b.readUInt32LE(pos + 8), size: 12 };
    }
    return { tag, vr, length: b.readUInt16LE(pos + 6), size: 8 };
  }

  /** The position after an element, its value (items included) now in the header buffer. */
  private skip(pos: number, element: ElementHeader, explicit: boolean, depth: number): number {
    const start = pos + element.size;
    if (element.length !== UNDEFINED_LENGTH) {
      this.need(start + element.length);
      return start + element.length;
    }
    if (depth >= MAX_DEPTH) throw new NotWalkable('nesting too deep');
    // A UN of undefined length holds an implicit VR little endian sequence (PS3.5 6.2.2).
    const nestedExplicit = explicit && element.vr !== 'UN';
    let at = start;
    for (;;) {
      const item = this.header(at, nestedExplicit, false);
      if (item.tag === SEQUENCE_DELIMITER) return at + 8;
      if (item.tag !== ITEM) throw new NotWalkable('sequence without items');
      if (item.length !== UNDEFINED_LENGTH) {
        this.need(at + 8 + item.length);
        at += 8 + item.length;
        continue;
      }
      at += 8;
      for (;;) {
        const nested = this.header(at, nestedExplicit, false);
        if (nested.tag === ITEM_DELIMITER) {
          at += 8;
          break;
        }
        if (nested.tag === ITEM || nested.tag === SEQUENCE_DELIMITER)
          throw new NotWalkable('item without its delimiter');
        at = this.skip(at, nested, nestedExplicit, depth + 1);
      }
    }
  }

  private async cutPixelData(pos: number, element: ElementHeader): Promise<LocatedDataset> {
    const vr = element.vr || 'OW';
    const valueStart = pos + element.size;
    let end: number;
    let layout: PixelDataLayout;
    if (element.length !== UNDEFINED_LENGTH) {
      end = valueStart + element.length;
      if (end > this.file.size) throw fileTruncated();
      layout = { kind: 'value', value: { offset: valueStart, length: element.length } };
    } else {
      const fragments = await readFragments(this.file, valueStart);
      end = fragments.end;
      layout = { kind: 'fragments', pieces: fragments.pieces };
    }
    const trailerBytes = this.file.size - end;
    if (trailerBytes > MAX_TRAILER_BYTES) throw new NotWalkable('large elements after the pixel data');
    const trailer = trailerBytes > 0 ? await this.file.bytes(end, trailerBytes) : Buffer.alloc(0);
    return { dataset: Buffer.concat([this.head.subarray(0, pos), trailer]), pixelData: { vr, layout } };
  }
}

/**
 * The items of encapsulated pixel data, grouped as dcmjs groups them: with a basic offset table,
 * the fragments from each entry up to the next (the last up to the sequence delimiter); without
 * one, one piece per fragment. A missing delimiter at the end of the file is accepted, as dcmjs does.
 */
async function readFragments(file: FileWindow, start: number): Promise<{ pieces: ByteRange[][]; end: number }> {
  const itemHeader = async (at: number): Promise<{ tag: number; length: number }> => {
    if (at + 8 > file.size) throw malformed();
    const b = await file.bytes(at, 8);
    return { tag: ((b.readUInt16LE(0) << 16) | b.readUInt16LE(2)) >>> 0, length: b.readUInt32LE(4) };
  };
  const table = await itemHeader(start);
  if (table.tag !== ITEM || table.length % 4 !== 0 || table.length === UNDEFINED_LENGTH) throw malformed();
  if (start + 8 + table.length > file.size) throw fileTruncated();
  const tableBytes = await file.bytes(start + 8, table.length);
  const firstItem = start + 8 + table.length;
  const offsets = Array.from({ length: table.length / 4 }, (_, i) => firstItem + tableBytes.readUInt32LE(i * 4));

  const fragments: Array<ByteRange & { item: number }> = [];
  let at = firstItem;
  while (at < file.size) {
    const item = await itemHeader(at);
    if (item.tag === SEQUENCE_DELIMITER) {
      at += 8;
      break;
    }
    if (item.tag !== ITEM || item.length === UNDEFINED_LENGTH) throw malformed();
    if (at + 8 + item.length > file.size) throw fileTruncated();
    fragments.push({ item: at, offset: at + 8, length: item.length });
    at += 8 + item.length;
  }
  if (offsets.length === 0) return { pieces: fragments.map(({ offset, length }) => [{ offset, length }]), end: at };

  const starts = new Map(fragments.map((fragment, i) => [fragment.item, i]));
  const pieces = offsets.map((offset, k) => {
    const from = starts.get(offset);
    const following = offsets[k + 1];
    const next = following === undefined ? fragments.length : starts.get(following);
    // A table entry that is not the start of a fragment: dcmjs would read garbage; leave it to dcmjs.
    if (from === undefined || next === undefined || next < from)
      throw new NotWalkable('basic offset table off the fragments');
    return fragments.slice(from, next).map(({ offset: o, length }) => ({ offset: o, length }));
  });
  return { pieces, end: at };
}

/**
 * The data set of a file without its pixel data, and where the pixel data lies. `undefined` when
 * the file has a syntax or structure this walker does not follow (big endian, deflated, a broken
 * sequence, native pixel data in fragments): the caller then reads the file whole. Throws
 * TRUNCATED when the pixel data runs past the end of the file.
 */
export async function locatePixelData(file: FileWindow): Promise<LocatedDataset | undefined> {
  try {
    return await new DatasetWalker(file).locate();
  } catch (error) {
    if (error instanceof NotWalkable) return undefined;
    throw error;
  }
}
