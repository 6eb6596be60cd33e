import { gzipSync } from 'node:zlib';
import { decodeMetadata, isGzip, MetadataDecodeError } from '../../../src/imaging/upstream/metadata-decode';
import { present } from '../../support/present';

const ctDocument = {
  SchemaVersion: '1.1',
  DatastoreID: 'd'.repeat(32),
  ImageSetID: 'i'.repeat(32),
  Patient: { DICOM: { PatientName: 'DOE^JANE' } },
  Study: {
    DICOM: { StudyInstanceUID: '1.2.3' },
    Series: { '1.2.3.4': { DICOM: { Modality: 'CT' }, Instances: { '1.2.3.4.5': { DICOM: { Rows: 512 } } } } },
  },
};
const bytesOf = (value: unknown) => new Uint8Array(Buffer.from(JSON.stringify(value)));

describe('decodeMetadata', () => {
  it('gunzips a gzip document and parses it', async () => {
    const gz = new Uint8Array(gzipSync(Buffer.from(JSON.stringify(ctDocument))));
    expect(isGzip(gz)).toBe(true);
    await expect(decodeMetadata(gz)).resolves.toEqual(ctDocument);
  });

  it('parses plain JSON bytes without gunzipping (already inflated by a transport)', async () => {
    const plain = bytesOf(ctDocument);
    expect(isGzip(plain)).toBe(false);
    await expect(decodeMetadata(plain)).resolves.toEqual(ctDocument);
  });

  it('fills absent levels so callers can navigate every document the same way', async () => {
    const doc = await decodeMetadata(
      bytesOf({ SchemaVersion: '1.1', Study: { Series: { '1.2': { Instances: { '1.2.3': {} } } } } }),
    );
    expect(doc.Patient.DICOM).toEqual({});
    expect(doc.Study.DICOM).toEqual({});
    const series = present(doc.Study.Series['1.2'], 'series 1.2');
    expect(series.DICOM).toEqual({});
    expect(present(series.Instances['1.2.3'], 'instance 1.2.3').DICOM).toEqual({});
  });

  it('refuses raw bytes over the size guard', async () => {
    await expect(decodeMetadata(bytesOf(ctDocument), 10)).rejects.toThrow(/exceeds 10 bytes/);
  });

  it('refuses a small gzip that inflates beyond the size guard', async () => {
    const bomb = new Uint8Array(gzipSync(Buffer.from(JSON.stringify({ pad: ' '.repeat(200_000) }))));
    expect(bomb.length).toBeLessThan(2000);
    await expect(decodeMetadata(bomb, 100_000)).rejects.toThrow(/once inflated/);
  });

  it('reports invalid JSON without quoting the document', async () => {
    const error = await decodeMetadata(new Uint8Array(Buffer.from('{"PatientName": "DOE^JANE"'))).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MetadataDecodeError);
    expect((error as Error).message).not.toContain('DOE');
  });

  it('reports corrupt gzip', async () => {
    await expect(decodeMetadata(new Uint8Array([0x1f, 0x8b, 1, 2, 3]))).rejects.toThrow(/not valid gzip/);
  });

  it('refuses JSON that is not a metadata document', async () => {
    await expect(decodeMetadata(bytesOf([1, 2]))).rejects.toThrow(/not a JSON object/);
    await expect(decodeMetadata(bytesOf({ Study: { Series: [] } }))).rejects.toThrow(/Series map/);
  });
});
