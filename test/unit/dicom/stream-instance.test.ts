import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DicomReadError } from '../../../healthimaging-local/dicom/dicom-read-error';
import { READ_CHUNK_BYTES } from '../../../healthimaging-local/dicom/file-window';
import { runDicomImport } from '../../../healthimaging-local/dicom/run-dicom-import';
import {
  readWholeInstance,
  streamDicomInstance,
  type ReadInstance,
} from '../../../healthimaging-local/dicom/stream-instance';
import type { MetadataDocument } from '../../../healthimaging-local/shapes/metadata-document';
import { encodeInstance } from '../../../scripts/synthetic-instance';
import { generateStudy, smallMrStudy, type SyntheticStudySpec } from '../../../scripts/synthetic-studies';
import { FakeImportTarget } from './fake-import-target';

const JPEG_BASELINE = '1.2.840.10008.1.2.4.50';
const IMPLICIT_LE = '1.2.840.10008.1.2';
let tmp: string;

beforeEach(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'dicom-stream-'));
});
afterEach(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

const dataset = (extra: Record<string, unknown>) => ({
  SOPClassUID: '1.2.840.10008.5.1.4.1.1.7',
  SOPInstanceUID: '2.25.71',
  StudyInstanceUID: '2.25.72',
  SeriesInstanceUID: '2.25.73',
  PatientID: 'P-7',
  Modality: 'OT',
  SamplesPerPixel: 1,
  PixelRepresentation: 0,
  ...extra,
});

function le32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
}

const item = (bytes: Buffer) => Buffer.concat([Buffer.from([0xfe, 0xff, 0x00, 0xe0]), le32(bytes.length), bytes]);

/**
 * An encapsulated file built by hand, so the offset table and fragmentation are exactly as given:
 * `frames` lists each frame's fragments; with `offsetTable` the basic offset table points at the
 * first fragment of each frame, otherwise it is empty.
 */
function encapsulatedFile(
  frames: Buffer[][],
  offsetTable: boolean,
  trailer = Buffer.alloc(0),
  numberOfFrames = frames.length,
): Buffer {
  const head = encodeInstance(
    dataset({ Rows: 8, Columns: 8, BitsAllocated: 8, BitsStored: 8, NumberOfFrames: numberOfFrames }),
    [],
    JPEG_BASELINE,
  );
  const fragments: Buffer[] = [];
  const offsets: number[] = [];
  let at = 0;
  for (const frame of frames) {
    offsets.push(at);
    for (const fragment of frame) {
      fragments.push(item(fragment));
      at += 8 + fragment.length;
    }
  }
  const table = item(offsetTable ? Buffer.concat(offsets.map(le32)) : Buffer.alloc(0));
  const element = Buffer.concat([
    Buffer.from([0xe0, 0x7f, 0x10, 0x00]),
    Buffer.from('OB\0\0', 'latin1'),
    le32(0xffffffff),
    table,
    ...fragments,
    Buffer.from([0xfe, 0xff, 0xdd, 0xe0]),
    le32(0),
  ]);
  return Buffer.concat([head, element, trailer]);
}

/** A Data Set Trailing Padding element (FFFC,FFFC) after the pixel data. */
const padding = Buffer.concat([
  Buffer.from([0xfc, 0xff, 0xfc, 0xff]),
  Buffer.from('OB\0\0', 'latin1'),
  le32(4),
  Buffer.alloc(4),
]);

const bytesOf = (n: number, seed: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff));

/** What both readers give for one file: the header and frame facts, and the bytes each frame stored. */
async function bothWays(
  bytes: Buffer,
): Promise<{ whole: ReadInstance; streamed: ReadInstance; wholeFrames: Buffer[]; streamedFrames: Buffer[] }> {
  const file = path.join(tmp, 'instance.dcm');
  await fs.writeFile(file, bytes);
  const wholeFrames: Buffer[] = [];
  const streamedFrames: Buffer[] = [];
  const whole = readWholeInstance(bytes, (frame) => wholeFrames.push(frame));
  const streamed = await streamDicomInstance(file, (frame) => streamedFrames.push(frame));
  return { whole, streamed, wholeFrames, streamedFrames };
}

/** Jest's deep equality walks buffers byte by byte: compare them natively. */
function expectSameBytes(actual: Buffer[], expected: Buffer[]): void {
  expect(actual.map((b) => b.length)).toEqual(expected.map((b) => b.length));
  expect(actual.every((b, i) => expected[i] !== undefined && b.equals(expected[i]))).toBe(true);
}

async function streamError(bytes: Buffer): Promise<DicomReadError> {
  const file = path.join(tmp, 'broken.dcm');
  await fs.writeFile(file, bytes);
  const stored: Buffer[] = [];
  const error = await streamDicomInstance(file, (frame) => stored.push(frame)).catch((e: unknown) => e);
  expect(stored).toEqual([]);
  if (error instanceof DicomReadError) return error;
  throw new Error(`expected a DicomReadError, got ${String(error)}`);
}

describe('streamDicomInstance gives what the whole-file read gives', () => {
  it('for native multi-frame pixel data, frames larger than one read chunk included', async () => {
    const rows = 600;
    const columns = 640; // 768,000 bytes a frame: frames straddle the 1 MB read window
    const pixels = new Uint16Array(rows * columns * 3);
    for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 7) % 4096;
    const bytes = encodeInstance(
      dataset({
        Rows: rows,
        Columns: columns,
        BitsAllocated: 16,
        BitsStored: 12,
        NumberOfFrames: 3,
        PixelData: [pixels.buffer],
      }),
    );
    expect(bytes.length).toBeGreaterThan(2 * READ_CHUNK_BYTES);
    const { whole, streamed, wholeFrames, streamedFrames } = await bothWays(bytes);
    expect(streamed).toEqual(whole);
    expect(streamed.frames).toHaveLength(3);
    expect(streamed.frames[0]).toMatchObject({ width: columns, height: rows, minPixelValue: 0, maxPixelValue: 4095 });
    expect(streamed.instance.PixelData).toBeNull();
    expectSameBytes(streamedFrames, wholeFrames);
  });

  it('for the generated multi-frame MR instance and for implicit VR little endian', async () => {
    const mr = generateStudy(smallMrStudy).find((f) => f.relativePath.includes('series-002'))!;
    const first = await bothWays(mr.bytes);
    expect(first.streamed.frames).toHaveLength(2);
    expect(first.streamed).toEqual(first.whole);
    expectSameBytes(first.streamedFrames, first.wholeFrames);

    const pixels = new Int16Array(4 * 4 * 2).map((_, i) => i * 100 - 1500);
    const implicit = encodeInstance(
      dataset({
        Rows: 4,
        Columns: 4,
        BitsAllocated: 16,
        BitsStored: 16,
        PixelRepresentation: 1,
        NumberOfFrames: 2,
        PixelData: [pixels.buffer],
      }),
      [],
      IMPLICIT_LE,
    );
    const second = await bothWays(implicit);
    expect(second.streamed.frames.map((f) => [f.minPixelValue, f.maxPixelValue])).toEqual([
      [-1500, 0],
      [100, 1600],
    ]);
    expect(second.streamed).toEqual(second.whole);
    expectSameBytes(second.streamedFrames, second.wholeFrames);
  });

  it('for encapsulated frames grouped by a basic offset table, fragments joined, with elements after the pixel data', async () => {
    const frames = [[bytesOf(10, 1), bytesOf(7, 2)], [bytesOf(301, 3)], [bytesOf(4, 4), bytesOf(4, 5), bytesOf(9, 6)]];
    const { whole, streamed, wholeFrames, streamedFrames } = await bothWays(encapsulatedFile(frames, true, padding));
    expect(streamed).toEqual(whole);
    expectSameBytes(
      streamedFrames,
      frames.map((fragments) => Buffer.concat(fragments)),
    );
    expectSameBytes(streamedFrames, wholeFrames);
    expect(streamed.instance).toHaveProperty('DataSetTrailingPadding');
  });

  it('for encapsulated frames without an offset table: one fragment per frame, or all fragments of a single frame', async () => {
    const perFrame = await bothWays(encapsulatedFile([[bytesOf(12, 1)], [bytesOf(13, 2)]], false));
    expect(perFrame.streamed).toEqual(perFrame.whole);
    expectSameBytes(perFrame.streamedFrames, perFrame.wholeFrames);
    expect(perFrame.streamed.frames.map((f) => f.sizeInBytes)).toEqual([12, 13]);

    const single = await bothWays(encapsulatedFile([[bytesOf(5, 1), bytesOf(6, 2), bytesOf(7, 3)]], false));
    expect(single.streamed).toEqual(single.whole);
    expectSameBytes(single.streamedFrames, [Buffer.concat([bytesOf(5, 1), bytesOf(6, 2), bytesOf(7, 3)])]);
  });

  it('for a file without pixel data', async () => {
    const { whole, streamed, streamedFrames } = await bothWays(encodeInstance(dataset({ ContentDate: '' })));
    expect(streamed).toEqual(whole);
    expectSameBytes(streamedFrames, []);
  });
});

describe('streamDicomInstance refuses what the whole-file read refuses, storing nothing', () => {
  const native = encodeInstance(
    dataset({
      Rows: 16,
      Columns: 16,
      BitsAllocated: 16,
      BitsStored: 16,
      NumberOfFrames: 2,
      PixelData: [new Uint16Array(512).buffer],
    }),
  );

  it('a file cut inside native pixel data is TRUNCATED', async () => {
    expect((await streamError(native.subarray(0, native.length - 100))).problem).toBe('TRUNCATED');
  });

  it('a file cut inside encapsulated pixel data is TRUNCATED', async () => {
    const file = encapsulatedFile([[bytesOf(100, 1)], [bytesOf(100, 2)]], true);
    expect((await streamError(file.subarray(0, file.length - 50))).problem).toBe('TRUNCATED');
  });

  it('encapsulated multi-frame data whose fragments cannot be assigned to frames is UNSUPPORTED_PIXEL_DATA', async () => {
    // Declares two frames, but holds three fragments and no offset table.
    const file = encapsulatedFile([[bytesOf(3, 1), bytesOf(3, 2), bytesOf(3, 3)]], false, undefined, 2);
    expect((await streamError(file)).problem).toBe('UNSUPPORTED_PIXEL_DATA');
    expect(() => readWholeInstance(file, () => undefined)).toThrow(DicomReadError);
  });

  it('a file without the DICM prefix is NOT_DICOM', async () => {
    expect((await streamError(Buffer.from('not an image\n'.repeat(40)))).problem).toBe('NOT_DICOM');
  });
});

describe('an import job streams large files into the same image sets as whole-file reads', () => {
  const spec: SyntheticStudySpec = {
    patient: { name: 'Stream^Test', id: 'STREAM-1', birthDate: '19800101', sex: 'O' },
    accessionNumber: 'STREAM1',
    studyId: 'STREAM1',
    studyDate: '20240301',
    studyDescription: 'STREAMED',
    series: [
      {
        modality: 'MR',
        seriesNumber: 1,
        description: 'multi-frame',
        bodyPart: 'HEAD',
        instances: 2,
        rows: 24,
        columns: 20,
        frames: 5,
      },
    ],
    seed: 'stream-test',
  };

  /** The documents with every frame id replaced by the bytes stored under it (ids are random). */
  function resolved(target: FakeImportTarget): unknown[] {
    return [...target.imageSets.values()].map(
      (set) =>
        JSON.parse(
          JSON.stringify(set.versions[0], (key, value: unknown) => {
            if (key === 'ImageSetID') return 'image-set';
            if (key === 'ID' && typeof value === 'string') return target.frames.get(value)!.bytes.toString('base64');
            return value;
          }),
        ) as MetadataDocument,
    );
  }

  it('native and encapsulated, with the same frames and checksums', async () => {
    const input = path.join(tmp, 'in');
    await fs.mkdir(input, { recursive: true });
    for (const file of generateStudy(spec))
      await fs.writeFile(path.join(input, path.basename(file.relativePath)), file.bytes);
    await fs.writeFile(
      path.join(input, 'jpeg.dcm'),
      encapsulatedFile([[bytesOf(10, 1), bytesOf(7, 2)], [bytesOf(30, 3)]], true),
    );

    const run = async (streamFilesOverBytes: number, name: string) => {
      const target = new FakeImportTarget();
      const result = await runDicomImport({
        datastoreId: '0123456789abcdef0123456789abcdef',
        jobId: name.padEnd(32, '0'),
        inputDir: input,
        outputDir: path.join(tmp, 'out'),
        inputS3Uri: 's3://bucket/in/',
        outputS3Uri: 's3://bucket/out/',
        target,
        streamFilesOverBytes,
      });
      return { result, target };
    };
    const whole = await run(Number.MAX_SAFE_INTEGER, 'whole');
    const streamed = await run(0, 'streamed');
    expect(streamed.result).toEqual(whole.result);
    expect(streamed.result).toMatchObject({ numberOfImportedFiles: 3, numberOfFilesWithCustomerError: 0 });
    expect(streamed.target.frames.size).toBe(2 * 5 + 2);
    expect(resolved(streamed.target)).toEqual(resolved(whole.target));
  });
});
