import { readDicomInstance } from '../../../healthimaging-local/dicom/read-instance';
import { DicomReadError } from '../../../healthimaging-local/dicom/dicom-read-error';
import { encodeInstance } from '../../../scripts/synthetic-instance';
import {
  SYNTHETIC_PRIVATE_CREATOR,
  SYNTHETIC_PRIVATE_CREATOR_TAG,
  SYNTHETIC_PRIVATE_TAG,
  generateStudy,
  smallCtStudy,
  smallMrStudy,
} from '../../../scripts/synthetic-studies';
import { atLeast, present } from '../../support/present';

const ctFile = present(generateStudy(smallCtStudy)[0], 'a generated CT file').bytes;

function readError(bytes: Uint8Array): DicomReadError {
  try {
    readDicomInstance(bytes);
  } catch (error) {
    if (error instanceof DicomReadError) return error;
    throw error;
  }
  throw new Error('expected a DicomReadError');
}

const minimalDataset = (extra: Record<string, unknown>) => ({
  SOPClassUID: '1.2.840.10008.5.1.4.1.1.7',
  SOPInstanceUID: '2.25.11',
  StudyInstanceUID: '2.25.12',
  SeriesInstanceUID: '2.25.13',
  PatientID: 'P-1',
  Modality: 'OT',
  ...extra,
});

describe('readDicomInstance', () => {
  it('reads the UIDs and transfer syntax of a generated CT file', () => {
    const parsed = readDicomInstance(ctFile);
    expect(parsed.studyInstanceUid).toMatch(/^2\.25\.\d+$/);
    expect(parsed.seriesInstanceUid).toMatch(/^2\.25\.\d+$/);
    expect(parsed.sopInstanceUid).toMatch(/^2\.25\.\d+$/);
    expect(parsed.transferSyntaxUid).toBe('1.2.840.10008.1.2.1');
    expect(parsed.instance.SOPInstanceUID).toBe(parsed.sopInstanceUid);
  });

  it('splits elements into the patient, study, series and instance levels', () => {
    const parsed = readDicomInstance(ctFile);
    expect(parsed.patient).toEqual({
      PatientName: 'Fixture^Carla',
      PatientID: 'FIX-CT-001',
      PatientBirthDate: '19700101',
      PatientSex: 'F',
    });
    expect(parsed.study).toMatchObject({
      StudyInstanceUID: parsed.studyInstanceUid,
      StudyDate: '20240102',
      StudyTime: '101500',
      AccessionNumber: 'FIXCT0001',
      StudyID: 'FIXCT1',
      StudyDescription: 'CT CHEST FIXTURE',
    });
    expect(parsed.series).toMatchObject({
      SeriesInstanceUID: parsed.seriesInstanceUid,
      Modality: 'CT',
      BodyPartExamined: 'CHEST',
      FrameOfReferenceUID: expect.stringMatching(/^2\.25\./),
      Manufacturer: 'HealthImaging Local',
    });
    expect(parsed.instance).toMatchObject({ Rows: 32, Columns: 32, BitsAllocated: 16, PixelRepresentation: 1 });
    for (const level of [parsed.patient, parsed.study, parsed.series]) {
      expect(level).not.toHaveProperty('SOPInstanceUID');
      expect(level).not.toHaveProperty('PixelData');
    }
    expect(parsed.instance).not.toHaveProperty('PatientName');
    expect(parsed.instance).not.toHaveProperty('StudyInstanceUID');
    expect(parsed.instance).not.toHaveProperty('SeriesInstanceUID');
  });

  it('keeps values in DICOM flavour: raw decimal strings, numbers for binary VRs, arrays for multi-valued, base64 and null', () => {
    const { instance, series } = readDicomInstance(ctFile);
    expect(series.SeriesNumber).toBe('1 ');
    expect(instance.InstanceNumber).toBe('1 ');
    expect(instance.RescaleIntercept).toBe('-1024 ');
    expect(instance.ImagePositionPatient).toEqual(['-80', '-80', '-50 ']);
    expect(instance.ImageType).toEqual(['ORIGINAL', 'PRIMARY', 'AXIAL']);
    expect(instance.Rows).toBe(32);
    expect(instance.FileMetaInformationVersion).toBe('AAE=');
    expect(typeof instance.FileMetaInformationGroupLength).toBe('number');
    expect(instance.TransferSyntaxUID).toBe('1.2.840.10008.1.2.1');
    expect(instance.PixelData).toBeNull();
    expect(series.PositionReferenceIndicator).toBeNull();
  });

  it('keys private elements by their hex tag and records their VR in DICOMVRs', () => {
    const parsed = readDicomInstance(ctFile);
    expect(parsed.instance[SYNTHETIC_PRIVATE_CREATOR_TAG]).toBe(SYNTHETIC_PRIVATE_CREATOR);
    expect(parsed.instance[SYNTHETIC_PRIVATE_TAG]).toBe('synthetic CT 1');
    expect(parsed.vrs).toEqual({ [SYNTHETIC_PRIVATE_CREATOR_TAG]: 'LO', [SYNTHETIC_PRIVATE_TAG]: 'LO' });
  });

  it('turns sequences into arrays of objects and empty elements into null', () => {
    const bytes = encodeInstance(
      minimalDataset({
        PatientName: '',
        OtherPatientIDsSequence: [{ PatientID: 'ALT-1', TypeOfPatientID: 'TEXT' }, { PatientID: 'ALT-2' }],
        ReferencedImageSequence: [],
        ContentDate: '',
      }),
    );
    const parsed = readDicomInstance(bytes);
    expect(parsed.patient.OtherPatientIDsSequence).toEqual([
      { PatientID: 'ALT-1', TypeOfPatientID: 'TEXT' },
      { PatientID: 'ALT-2' },
    ]);
    expect(parsed.patient.PatientName).toBeNull();
    expect(parsed.instance.ContentDate).toBeNull();
    expect(parsed.instance.ReferencedImageSequence).toBeNull();
    expect(parsed.frames).toEqual([]);
  });

  it('keeps the Specific Character Set the file declares', () => {
    const parsed = readDicomInstance(encodeInstance(minimalDataset({ SpecificCharacterSet: 'ISO_IR 100' })));
    expect(parsed.instance.SpecificCharacterSet).toEqual(['ISO_IR 100']);
  });

  it('still reads a file with several character sets, which dcmjs refuses by default', () => {
    const bytes = encodeInstance(minimalDataset({ SpecificCharacterSet: ['ISO 2022 IR 6', 'ISO 2022 IR 87'] }));
    const parsed = readDicomInstance(bytes);
    expect(parsed.instance.SpecificCharacterSet).toEqual(['ISO 2022 IR 6', 'ISO 2022 IR 87']);
    expect(parsed.patient.PatientID).toBe('P-1');
  });

  it('cuts multi-frame native pixel data into one frame per NumberOfFrames', () => {
    const mrMultiFrame = generateStudy(smallMrStudy).find((f) => f.relativePath.includes('series-002'))!;
    const parsed = readDicomInstance(mrMultiFrame.bytes);
    expect(parsed.instance.NumberOfFrames).toBe('2 ');
    expect(parsed.frames).toHaveLength(2);
    for (const frame of parsed.frames) {
      expect(frame).toMatchObject({ width: 16, height: 16 });
      expect(frame.bytes).toHaveLength(16 * 16 * 2);
    }
    const [first, second] = atLeast(parsed.frames, 2, 'frames');
    expect(first.bytes.equals(second.bytes)).toBe(false);
  });

  it('reports a file without the DICM prefix as NOT_DICOM', () => {
    const error = readError(Buffer.from('this is a text file, not an image\n'.repeat(10)));
    expect(error.problem).toBe('NOT_DICOM');
  });

  it('reports a file cut inside its pixel data as TRUNCATED', () => {
    expect(readError(ctFile.subarray(0, ctFile.length - 100)).problem).toBe('TRUNCATED');
  });

  it('reports a file cut exactly before its pixel data element as TRUNCATED', () => {
    const pixelDataTag = Buffer.from([0xe0, 0x7f, 0x10, 0x00]);
    const cut = ctFile.lastIndexOf(pixelDataTag);
    expect(cut).toBeGreaterThan(132);
    expect(readError(ctFile.subarray(0, cut)).problem).toBe('TRUNCATED');
  });

  it('reports a file cut inside its header as a read error, whatever the cut', () => {
    for (const length of [132, 140, 200, 300, 600, 900]) {
      const error = readError(ctFile.subarray(0, length));
      expect(['TRUNCATED', 'MALFORMED', 'MISSING_ATTRIBUTE']).toContain(error.problem);
    }
  });

  it('requires the study, series and SOP instance UIDs', () => {
    const bytes = encodeInstance(minimalDataset({ SeriesInstanceUID: '' }));
    const error = readError(bytes);
    expect(error.problem).toBe('MISSING_ATTRIBUTE');
    expect(error.message).toContain('SeriesInstanceUID');
  });

  it('never puts patient values into error messages', () => {
    const bytes = encodeInstance(minimalDataset({ PatientName: 'Secret^Person', StudyInstanceUID: 'not-a-uid' }));
    const error = readError(bytes);
    expect(error.message).not.toContain('Secret');
    expect(error.message).not.toContain('not-a-uid');
    expect(error.message).not.toContain('P-1');
  });
});
