import { open } from 'node:fs/promises';
import { DicomReadError } from './dicom-read-error';
import { crc32 } from './frame-checksum';
import { FileWindow, READ_CHUNK_BYTES } from './file-window';
import { locatePixelData, WHOLE_READ_LIMIT_BYTES, type ByteRange, type PixelDataLayout } from './locate-pixel-data';
import {
  encapsulatedFrameParts,
  frameFacts,
  nativeFrameSize,
  nativePixelDataTooShort,
  ValueRange,
  type FrameFacts,
  type PixelModule,
} from './pixel-frames';
import { readDicomHeader, readDicomInstance, type InstanceHeader } from './read-instance';
import { isNativeSyntax } from './transfer-syntax';

/** A file's header and the facts of its frames; the frames' bytes went to the caller's sink. */
export interface ReadInstance extends InstanceHeader {
  frames: FrameFacts[];
}

/**
 * Receives each frame's bytes, in frame order, once the header has been read and checked (so a
 * file that fails on its header stores nothing). It may keep the buffer.
 */
export type FrameSink = (bytes: Buffer, header: InstanceHeader) => void;

/** A file already in memory (small files are read whole, ahead of the parser). */
export function readWholeInstance(bytes: Uint8Array, sink: FrameSink): ReadInstance {
  const { frames, ...header } = readDicomInstance(bytes);
  for (const frame of frames) sink(frame.bytes, header);
  return { ...header, frames: frames.map(frameFacts) };
}

/** Which byte ranges of the file make up each frame, by the rules readDicomInstance applies. */
function frameRanges(layout: PixelDataLayout, px: PixelModule, transferSyntaxUid: string): ByteRange[][] | undefined {
  if (isNativeSyntax(transferSyntaxUid)) {
    // Native pixel data in fragments is not DICOM; dcmjs joins them, and so does the whole-file path.
    if (layout.kind !== 'value') return undefined;
    const frameSize = nativeFrameSize(px);
    if (layout.value.length < frameSize * px.numberOfFrames) throw nativePixelDataTooShort();
    return Array.from({ length: px.numberOfFrames }, (_, f) => [
      { offset: layout.value.offset + f * frameSize, length: frameSize },
    ]);
  }
  const pieces = layout.kind === 'value' ? [[layout.value]] : layout.pieces;
  const size = (piece: ByteRange[]): number => piece.reduce((sum, r) => sum + r.length, 0);
  return encapsulatedFrameParts(pieces, size, px.numberOfFrames).map((parts) => parts.flat());
}

/**
 * One frame read from the file a chunk at a time (each chunk an asynchronous read, so the event
 * loop runs between them), its CRC32 and value range computed chunk by chunk as it arrives.
 */
async function readFrame(
  file: FileWindow,
  ranges: ByteRange[],
  px: PixelModule,
  native: boolean,
): Promise<{ bytes: Buffer; facts: FrameFacts }> {
  const bytes = Buffer.allocUnsafe(ranges.reduce((sum, r) => sum + r.length, 0));
  // Chunks start at multiples of READ_CHUNK_BYTES from the frame's start, so they hold whole samples.
  const values = native ? new ValueRange(px) : undefined;
  let checksum = 0;
  let at = 0;
  for (const range of ranges) {
    for (let done = 0; done < range.length;) {
      const n = Math.min(READ_CHUNK_BYTES, range.length - done);
      await file.readInto(bytes, at, range.offset + done, n);
      const chunk = bytes.subarray(at, at + n);
      checksum = crc32(chunk, checksum);
      values?.add(chunk);
      at += n;
      done += n;
    }
  }
  const span = values?.result();
  return {
    bytes,
    facts: {
      width: px.columns,
      height: px.rows,
      checksum,
      sizeInBytes: bytes.length,
      ...(span ? { minPixelValue: span.min, maxPixelValue: span.max } : {}),
    },
  };
}

/**
 * Reads one DICOM P10 file from disk without holding its pixel data: the data set before (and
 * after) the pixel data is parsed from a bounded read, then each frame is read in chunks and
 * handed to `sink`. At most one frame and one READ_CHUNK_BYTES window are held at a time. Gives
 * what readWholeInstance gives for the same bytes. A file the walker cannot follow (big endian,
 * deflated, a broken structure) is read whole up to WHOLE_READ_LIMIT_BYTES.
 */
export async function streamDicomInstance(filePath: string, sink: FrameSink): Promise<ReadInstance> {
  const handle = await open(filePath, 'r');
  try {
    const file = new FileWindow(handle, (await handle.stat()).size);
    const located = await locatePixelData(file);
    if (located && !located.pixelData) return readWholeInstance(located.dataset, sink);
    if (located?.pixelData) {
      const { header, pixels } = readDicomHeader(located.dataset, located.pixelData.vr);
      const frames = frameRanges(located.pixelData.layout, pixels, header.transferSyntaxUid);
      if (frames) {
        const native = isNativeSyntax(header.transferSyntaxUid);
        const facts: FrameFacts[] = [];
        for (const ranges of frames) {
          const frame = await readFrame(file, ranges, pixels, native);
          sink(frame.bytes, header);
          facts.push(frame.facts);
        }
        return { ...header, frames: facts };
      }
    }
    if (file.size > WHOLE_READ_LIMIT_BYTES) {
      throw new DicomReadError(
        'UNSUPPORTED_PIXEL_DATA',
        `the file is over ${WHOLE_READ_LIMIT_BYTES / 1024 / 1024} MB and its transfer syntax or structure cannot be read in pieces`,
      );
    }
    return readWholeInstance(await file.bytes(0, file.size), sink);
  } finally {
    await handle.close();
  }
}
