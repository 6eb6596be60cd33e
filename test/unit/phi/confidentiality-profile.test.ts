import { CONFIDENTIALITY_PROFILE, CONFIDENTIALITY_PROFILE_PATTERNS } from '../../../src/phi/confidentiality-profile';
import { PHI_CATEGORIES } from '../../../src/phi/phi-category';
import { profileAttributeByKeyword, profileAttributeByTag, withheldCategoryOf } from '../../../src/phi/profile-lookup';

// dcmjs's registry: an independent check that each row's tag and keyword name the same element.
const { dictionary } =
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- dcmjs has no type declarations
  (require('dcmjs') as { data: { DicomMetaDictionary: { dictionary: Record<string, { name: string } | undefined> } } })
    .data.DicomMetaDictionary;

describe('confidentiality profile (PS3.15 Table E.1-1)', () => {
  it('holds the 456 single-element rows and 4 patterns of the table, each tag once', () => {
    expect(CONFIDENTIALITY_PROFILE).toHaveLength(456);
    expect(CONFIDENTIALITY_PROFILE_PATTERNS).toHaveLength(4);
    expect(new Set(CONFIDENTIALITY_PROFILE.map((row) => row.tag)).size).toBe(456);
    expect(new Set(CONFIDENTIALITY_PROFILE.map((row) => row.keyword)).size).toBe(456);
  });

  describe.each(CONFIDENTIALITY_PROFILE.map((row) => [row.keyword, row] as const))('%s', (_keyword, row) => {
    it('names the element its tag names in the DICOM registry', () => {
      const entry = dictionary[`(${row.tag.slice(0, 4)},${row.tag.slice(4)})`];
      expect(entry?.name.replace(/^RETIRED_/, '')).toBe(row.keyword);
    });

    it('is found by keyword and by tag, with a known category', () => {
      expect(profileAttributeByKeyword(row.keyword)).toBe(row);
      expect(profileAttributeByTag(row.tag.toLowerCase())).toBe(row);
      expect(profileAttributeByTag(`(${row.tag.slice(0, 4)},${row.tag.slice(4)})`)).toBe(row);
      expect(PHI_CATEGORIES).toContain(row.category);
    });

    it(row.action === 'U' ? 'is a UID, retained' : 'is withheld under its category', () => {
      expect(withheldCategoryOf(row.keyword)).toBe(row.action === 'U' ? undefined : row.category);
      expect(withheldCategoryOf(row.tag)).toBe(row.action === 'U' ? undefined : row.category);
    });
  });

  it.each([
    ['PatientName', 'patient-name', 'Z'],
    ['PatientID', 'patient-id', 'Z'],
    ['PatientBirthDate', 'birth-date', 'Z'],
    ['PatientSex', 'sex', 'Z'],
    ['PatientAge', 'age', 'X'],
    ['PatientAddress', 'address', 'X'],
    ['AccessionNumber', 'encounter-id', 'Z'],
    ['StudyID', 'encounter-id', 'Z'],
    ['InstitutionName', 'institution', 'X/Z/D'],
    ['ReferringPhysicianName', 'personnel', 'Z'],
    ['OtherPatientIDs', 'patient-id', 'X'],
    ['StudyDate', 'dates-times', 'Z'],
    ['SeriesTime', 'dates-times', 'X/D'],
    ['DeviceSerialNumber', 'device', 'X/Z/D'],
    ['StationName', 'device', 'X/Z/D'],
    ['StudyDescription', 'free-text', 'X'],
    ['SeriesDescription', 'free-text', 'X'],
    ['StudyInstanceUID', 'uid', 'U'],
    ['SeriesInstanceUID', 'uid', 'U'],
    ['SOPInstanceUID', 'uid', 'U'],
  ])('%s: %s, action %s', (keyword, category, action) => {
    expect(profileAttributeByKeyword(keyword)).toMatchObject({ keyword, category, action });
  });

  it('accepts dcmjs spellings of retired keywords', () => {
    expect(profileAttributeByKeyword('RETIRED_StudyComments')?.tag).toBe('00324000');
  });

  it('withholds private attributes, curve data and overlay data and comments by tag pattern', () => {
    expect(withheldCategoryOf('00111001')).toBe('private');
    expect(withheldCategoryOf('0009ABCD')).toBe('private');
    expect(withheldCategoryOf('50021234')).toBe('structured-content');
    expect(withheldCategoryOf('60023000')).toBe('structured-content');
    expect(withheldCategoryOf('601E4000')).toBe('free-text');
    expect(withheldCategoryOf('60020010')).toBeUndefined();
  });

  it('leaves attributes outside the table visible', () => {
    for (const keyword of [
      'Modality',
      'SeriesNumber',
      'InstanceNumber',
      'Rows',
      'Columns',
      'SOPClassUID',
      'BodyPartExamined',
      'ImageType',
    ]) {
      expect(withheldCategoryOf(keyword)).toBeUndefined();
    }
  });
});
