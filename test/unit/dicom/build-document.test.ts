import { mergeInstances, newDocument, prepareInstance } from '../../../healthimaging-local/dicom/build-document';
import { crc32 } from '../../../healthimaging-local/dicom/frame-checksum';
import { readDicomInstance } from '../../../healthimaging-local/dicom/read-instance';
import { generateStudy, smallCtStudy } from '../../../scripts/synthetic-studies';
import { atLeast, present } from '../../support/present';

const DATASTORE = 'a'.repeat(32);
const IMAGE_SET = 'b'.repeat(32);
const files = atLeast(
  generateStudy(smallCtStudy).filter((f) => f.relativePath.includes('series-001')),
  2,
  'files of series 1',
);
const prepare = (bytes: Buffer, tag: string) => {
  const parsed = readDicomInstance(bytes);
  return {
    parsed,
    prepared: prepareInstance(
      parsed,
      parsed.frames.map((_, i) => `${tag}${i}`.padEnd(32, '0')),
    ),
  };
};

describe('newDocument', () => {
  it('builds the section 4.6 document: ids, levels, one series keyed by UID, instances keyed by SOP UID', () => {
    const instances = files.map((f, i) => prepare(f.bytes, `f${i}`));
    const doc = newDocument(
      DATASTORE,
      IMAGE_SET,
      instances.map((i) => i.prepared),
    );
    const [{ parsed: firstParsed }] = atLeast(instances, 1, 'instances');
    const seriesUid = firstParsed.seriesInstanceUid;
    expect(doc.SchemaVersion).toBe('1.1');
    expect(doc.DatastoreID).toBe(DATASTORE);
    expect(doc.ImageSetID).toBe(IMAGE_SET);
    expect(doc.Patient.DICOM.PatientID).toBe('FIX-CT-001');
    expect(doc.Study.DICOM.StudyInstanceUID).toBe(firstParsed.studyInstanceUid);
    expect(Object.keys(doc.Study.Series)).toEqual([seriesUid]);
    expect(Object.keys(present(doc.Study.Series[seriesUid], 'the series').Instances).sort()).toEqual(
      instances.map((i) => i.parsed.sopInstanceUid).sort(),
    );
  });

  it('describes every frame with its id, full-resolution CRC32, value range and size', () => {
    const { parsed, prepared } = prepare(files[0].bytes, 'x');
    const node = prepared.node;
    const [frame] = atLeast(parsed.frames, 1, 'frames');
    expect(node.StoredTransferSyntaxUID).toBe('1.2.840.10008.1.2.1');
    expect(node.ChecksumType).toBe('DECOMPRESSED');
    expect(node.DICOMVRs).toEqual(parsed.vrs);
    expect(node.ImageFrames).toEqual([
      {
        ID: 'x0'.padEnd(32, '0'),
        PixelDataChecksumFromBaseToFullResolution: [{ Width: 32, Height: 32, Checksum: crc32(frame.bytes) }],
        MinPixelValue: frame.minPixelValue,
        MaxPixelValue: frame.maxPixelValue,
        FrameSizeInBytes: 32 * 32 * 2,
      },
    ]);
    expect(typeof present(node.ImageFrames[0], 'a frame').MinPixelValue).toBe('number');
  });
});

describe('mergeInstances', () => {
  it('adds new instances, overwrites re-imported ones and leaves the base document untouched', () => {
    const first = prepare(files[0].bytes, 'a');
    const second = prepare(files[1].bytes, 'b');
    const base = newDocument(DATASTORE, IMAGE_SET, [first.prepared]);
    const snapshot = JSON.stringify(base);
    const again = prepare(files[0].bytes, 'c');
    const merged = mergeInstances(base, [second.prepared, again.prepared]);
    const series = present(merged.Study.Series[first.parsed.seriesInstanceUid], 'the merged series');
    expect(Object.keys(series.Instances)).toHaveLength(2);
    const reimported = present(series.Instances[first.parsed.sopInstanceUid], 'the re-imported instance');
    expect(present(reimported.ImageFrames[0], 'its frame').ID).toBe('c0'.padEnd(32, '0'));
    expect(merged.ImageSetID).toBe(IMAGE_SET);
    expect(JSON.stringify(base)).toBe(snapshot);
  });
});
