import { DicomMetaDictionary } from '../../../healthimaging-local/dicom/dcmjs';
import { levelOf, levelTableKeywords } from '../../../healthimaging-local/dicom/level-assignment';
import { SERIES_GROUPING_KEYS, STUDY_GROUPING_KEYS } from '../../../healthimaging-local/dicom/grouping-keys';

describe('levelOf', () => {
  it('only lists keywords that exist in the PS3.6 dictionary', () => {
    const unknown = [...levelTableKeywords().keys()].filter((keyword) => !DicomMetaDictionary.nameMap[keyword]);
    expect(unknown).toEqual([]);
  });

  it('places the identifying elements of each level where the information model puts them', () => {
    expect(levelOf('PatientName')).toBe('Patient');
    expect(levelOf('PatientID')).toBe('Patient');
    expect(levelOf('StudyInstanceUID')).toBe('Study');
    expect(levelOf('PatientAge')).toBe('Study');
    expect(levelOf('SeriesInstanceUID')).toBe('Series');
    expect(levelOf('FrameOfReferenceUID')).toBe('Series');
    expect(levelOf('Manufacturer')).toBe('Series');
  });

  it('puts the grouping keys at study, patient or series level, never at instance level', () => {
    for (const key of [...STUDY_GROUPING_KEYS, ...SERIES_GROUPING_KEYS]) expect(levelOf(key)).not.toBe('Instance');
  });

  it('puts image, file meta, private and unknown elements at instance level', () => {
    for (const key of [
      'SOPInstanceUID',
      'Rows',
      'PixelData',
      'ImagePositionPatient',
      'TransferSyntaxUID',
      '00091001',
      '60003000',
    ]) {
      expect(levelOf(key)).toBe('Instance');
    }
  });
});
