import type { RawDataset } from '../../../healthimaging-local/dicom/dcmjs';
import { DicomReadError } from '../../../healthimaging-local/dicom/dicom-read-error';
import { extractFrames } from '../../../healthimaging-local/dicom/pixel-frames';
import { present } from '../../support/present';

const EXPLICIT_LE = '1.2.840.10008.1.2.1';
const JPEG_BASELINE = '1.2.840.10008.1.2.4.50';

function image(
  pixels: ArrayBuffer | ArrayBuffer[],
  geometry: Record<string, number>,
  numberOfFrames?: number,
): RawDataset {
  const dict: RawDataset = {
    '00280002': { vr: 'US', Value: [geometry.samples ?? 1] },
    '00280010': { vr: 'US', Value: [geometry.rows] },
    '00280011': { vr: 'US', Value: [geometry.columns] },
    '00280100': { vr: 'US', Value: [geometry.bitsAllocated ?? 16] },
    '00280101': { vr: 'US', Value: [geometry.bitsStored ?? geometry.bitsAllocated ?? 16] },
    '00280103': { vr: 'US', Value: [geometry.pixelRepresentation ?? 0] },
    '7FE00010': { vr: 'OW', Value: Array.isArray(pixels) ? pixels : [pixels] },
  };
  if (numberOfFrames !== undefined) dict['00280008'] = { vr: 'IS', Value: [numberOfFrames] };
  return dict;
}

const u16 = (values: number[]): ArrayBuffer => new Uint16Array(values).buffer;
const i16 = (values: number[]): ArrayBuffer => new Int16Array(values).buffer;

describe('extractFrames', () => {
  it('splits native pixel data into equal frames with their geometry and value range', () => {
    const frames = extractFrames(image(u16([1, 2, 3, 4, 10, 20, 30, 40]), { rows: 2, columns: 2 }, 2), EXPLICIT_LE);
    expect(frames).toHaveLength(2);
    expect(frames[0]).toMatchObject({ width: 2, height: 2, minPixelValue: 1, maxPixelValue: 4 });
    expect(frames[1]).toMatchObject({ minPixelValue: 10, maxPixelValue: 40 });
    expect(present(frames[1], 'frame 2').bytes.equals(Buffer.from(u16([10, 20, 30, 40])))).toBe(true);
  });

  it('reads signed values with PixelRepresentation 1 and only the stored bits', () => {
    const signed = extractFrames(
      image(i16([-1000, 5, 1200, -3]), { rows: 2, columns: 2, pixelRepresentation: 1 }),
      EXPLICIT_LE,
    );
    expect(signed[0]).toMatchObject({ minPixelValue: -1000, maxPixelValue: 1200 });
    // 12 bits stored, signed: 0x0fff is -1 once the sign bit (bit 11) is applied; bit 12+ are ignored.
    const twelveBit = extractFrames(
      image(u16([0x0fff, 0xf001, 0x07ff, 0]), { rows: 2, columns: 2, bitsStored: 12, pixelRepresentation: 1 }),
      EXPLICIT_LE,
    );
    expect(twelveBit[0]).toMatchObject({ minPixelValue: -1, maxPixelValue: 2047 });
  });

  it('rejects native pixel data shorter than the frames it declares', () => {
    expect(() => extractFrames(image(u16([1, 2, 3]), { rows: 2, columns: 2 }), EXPLICIT_LE)).toThrow(DicomReadError);
  });

  it('takes one fragment per frame from encapsulated pixel data, without a value range', () => {
    const fragments = [Buffer.from([0xff, 0xd8, 1]), Buffer.from([0xff, 0xd8, 2, 3])].map((b) =>
      b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength),
    );
    const frames = extractFrames(image(fragments, { rows: 8, columns: 8, bitsAllocated: 8 }, 2), JPEG_BASELINE);
    expect(frames.map((f) => [...f.bytes])).toEqual([
      [0xff, 0xd8, 1],
      [0xff, 0xd8, 2, 3],
    ]);
    expect(present(frames[0], 'frame 1').minPixelValue).toBeUndefined();
  });

  it('joins all fragments of a single-frame encapsulated image', () => {
    const fragments = [new Uint8Array([1, 2]).buffer, new Uint8Array([3]).buffer];
    const frames = extractFrames(image(fragments, { rows: 8, columns: 8, bitsAllocated: 8 }), JPEG_BASELINE);
    expect(frames).toHaveLength(1);
    expect([...present(frames[0], 'the frame').bytes]).toEqual([1, 2, 3]);
  });

  it('refuses encapsulated multi-frame data whose fragments cannot be assigned to frames', () => {
    const fragments = [1, 2, 3].map((n) => new Uint8Array([n]).buffer);
    expect(() => extractFrames(image(fragments, { rows: 8, columns: 8, bitsAllocated: 8 }, 2), JPEG_BASELINE)).toThrow(
      DicomReadError,
    );
  });

  it('returns no frames for an instance without pixel data', () => {
    expect(extractFrames({ '00080016': { vr: 'UI', Value: ['1.2.840.10008.5.1.4.1.1.88.11'] } }, EXPLICIT_LE)).toEqual(
      [],
    );
  });
});
