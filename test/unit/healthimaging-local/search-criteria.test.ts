import {
  compareForSort,
  echoSort,
  matchesCriteria,
  parseSearchCriteria,
  summarizeDicomTags,
  type SearchCandidate,
} from '../../../healthimaging-local/model/search-criteria';
import {
  CT_SERIES_UID,
  MR_SERIES_UID,
  PATIENT_ID,
  PATIENT_NAME,
  STUDY_UID,
  ctSeriesDoc,
  twoSeriesDoc,
  variantOf,
} from './fixtures/metadata-documents';
import { seriesIn } from './fixtures/document-paths';
import { validationMessage as validationOf } from './fixtures/validation';

const validationMessage = (body: unknown): string => validationOf(() => parseSearchCriteria(body));

const JAN_1 = Date.UTC(2024, 0, 1) / 1000;
const JAN_2 = Date.UTC(2024, 0, 2) / 1000;
const JAN_3 = Date.UTC(2024, 0, 3) / 1000;

function candidate(imageSetId: string, overrides: Partial<SearchCandidate> = {}): SearchCandidate {
  return {
    imageSetId,
    version: 1,
    createdAt: JAN_1,
    updatedAt: JAN_1,
    isPrimary: true,
    tags: {
      DICOMPatientId: PATIENT_ID,
      DICOMStudyInstanceUID: STUDY_UID,
      DICOMSeriesInstanceUID: CT_SERIES_UID,
      DICOMStudyDate: '20240115',
      DICOMStudyTime: '083000',
    },
    seriesInstanceUids: [CT_SERIES_UID],
    ...overrides,
  };
}

const ctCandidate = candidate('a'.repeat(32));
const equal = (value: Record<string, unknown>) => ({ operator: 'EQUAL', values: [value] });
const between = (lower: Record<string, unknown>, upper: Record<string, unknown>) => ({
  operator: 'BETWEEN',
  values: [lower, upper],
});
const matches = (body: unknown, subject: SearchCandidate = ctCandidate) =>
  matchesCriteria(subject, parseSearchCriteria(body));

describe('parseSearchCriteria', () => {
  it('treats an absent or empty body as "every image set"', () => {
    expect(parseSearchCriteria(undefined)).toEqual({ filters: [] });
    expect(parseSearchCriteria({})).toEqual({ filters: [] });
  });

  it('accepts the documented filter combinations', () => {
    const criteria = parseSearchCriteria({
      filters: [equal({ DICOMSeriesInstanceUID: CT_SERIES_UID }), between({ updatedAt: JAN_1 }, { updatedAt: JAN_3 })],
      sort: { sortField: 'updatedAt', sortOrder: 'ASC' },
    });
    expect(criteria.filters).toHaveLength(2);
    expect(criteria.sort).toEqual({ sortField: 'updatedAt', sortOrder: 'ASC' });
  });

  it('requires 1 or 2 filters when filters is given', () => {
    expect(validationMessage({ filters: [] })).toMatch(/1 or 2 filters/);
    expect(
      validationMessage({
        filters: [equal({ isPrimary: true }), equal({ isPrimary: true }), equal({ isPrimary: true })],
      }),
    ).toMatch(/1 or 2 filters/);
    expect(validationMessage({ filters: 'x' })).toMatch(/1 or 2 filters/);
  });

  it('requires 1 or 2 values per filter and a known operator', () => {
    expect(validationMessage({ filters: [{ operator: 'EQUAL', values: [] }] })).toMatch(/1 or 2 values/);
    expect(validationMessage({ filters: [{ operator: 'EQUAL' }] })).toMatch(/1 or 2 values/);
    const three = [{ createdAt: JAN_1 }, { createdAt: JAN_2 }, { createdAt: JAN_3 }];
    expect(validationMessage({ filters: [{ operator: 'BETWEEN', values: three }] })).toMatch(/1 or 2 values/);
    expect(validationMessage({ filters: [{ operator: 'LIKE', values: [{ isPrimary: true }] }] })).toMatch(
      /EQUAL or BETWEEN/,
    );
  });

  it('gives EQUAL exactly one value and BETWEEN exactly two', () => {
    expect(
      validationMessage({ filters: [{ operator: 'EQUAL', values: [{ createdAt: JAN_1 }, { createdAt: JAN_2 }] }] }),
    ).toMatch(/EQUAL operator takes exactly one/);
    expect(validationMessage({ filters: [{ operator: 'BETWEEN', values: [{ createdAt: JAN_1 }] }] })).toMatch(
      /BETWEEN operator takes exactly two/,
    );
  });

  it('allows BETWEEN only on createdAt, updatedAt and DICOMStudyDateAndTime', () => {
    expect(validationMessage({ filters: [between({ DICOMPatientId: 'A' }, { DICOMPatientId: 'B' })] })).toMatch(
      /BETWEEN operator applies only/,
    );
    expect(validationMessage({ filters: [between({ isPrimary: false }, { isPrimary: true })] })).toMatch(
      /applies only/,
    );
    expect(() => parseSearchCriteria({ filters: [between({ createdAt: JAN_1 }, { createdAt: JAN_2 })] })).not.toThrow();
    const dates = between(
      { DICOMStudyDateAndTime: { DICOMStudyDate: '20240101' } },
      { DICOMStudyDateAndTime: { DICOMStudyDate: '20240201', DICOMStudyTime: '120000' } },
    );
    expect(() => parseSearchCriteria({ filters: [dates] })).not.toThrow();
  });

  it('rejects a BETWEEN whose lower bound is after its upper bound', () => {
    expect(validationMessage({ filters: [between({ createdAt: JAN_3 }, { createdAt: JAN_1 })] })).toMatch(
      /lower bound/,
    );
  });

  it('requires exactly one known member in each value union', () => {
    expect(validationMessage({ filters: [equal({ DICOMPatientId: 'A', DICOMAccessionNumber: 'B' })] })).toMatch(
      /exactly one attribute/,
    );
    expect(validationMessage({ filters: [equal({})] })).toMatch(/exactly one attribute/);
    expect(validationMessage({ filters: [equal({ DICOMPatientName: 'A' })] })).toMatch(/unknown search attribute/);
    expect(validationMessage({ filters: [{ operator: 'EQUAL', values: ['A'] }] })).toMatch(/must be an object/);
  });

  it('rejects mixed members in one filter', () => {
    expect(validationMessage({ filters: [between({ createdAt: JAN_1 }, { updatedAt: JAN_2 })] })).toMatch(
      /same attribute/,
    );
  });

  it('checks member types, lengths and formats', () => {
    expect(validationMessage({ filters: [equal({ DICOMPatientId: 7 })] })).toMatch(/DICOMPatientId must be a string/);
    expect(validationMessage({ filters: [equal({ DICOMAccessionNumber: 'x'.repeat(513) })] })).toMatch(/at most 512/);
    expect(validationMessage({ filters: [equal({ DICOMStudyInstanceUID: '1.2.abc' })] })).toMatch(/digits and dots/);
    expect(validationMessage({ filters: [equal({ createdAt: '2024-01-01' })] })).toMatch(/epoch seconds/);
    expect(validationMessage({ filters: [equal({ isPrimary: 'yes' })] })).toMatch(/boolean/);
    expect(
      validationMessage({ filters: [equal({ DICOMStudyDateAndTime: { DICOMStudyDate: '2024-01-01' } })] }),
    ).toMatch(/YYYYMMDD/);
    expect(validationMessage({ filters: [equal({ DICOMStudyDateAndTime: { DICOMStudyTime: '120000' } })] })).toMatch(
      /DICOMStudyDate is required/,
    );
    expect(
      validationMessage({
        filters: [equal({ DICOMStudyDateAndTime: { DICOMStudyDate: '20240101', DICOMStudyTime: '12:00' } })],
      }),
    ).toMatch(/HHMMSS/);
  });

  it('requires a valid sortField and sortOrder', () => {
    expect(validationMessage({ sort: { sortField: 'imageSetId', sortOrder: 'ASC' } })).toMatch(/sortField/);
    expect(validationMessage({ sort: { sortField: 'createdAt', sortOrder: 'asc' } })).toMatch(/sortOrder/);
    expect(validationMessage({ sort: { sortField: 'createdAt' } })).toMatch(/sortOrder/);
    expect(validationMessage({ sort: 'createdAt' })).toMatch(/sort must be an object/);
  });

  it('rejects a body that is not an object', () => {
    expect(validationMessage([1])).toMatch(/JSON object/);
  });
});

describe('matchesCriteria', () => {
  it('matches every candidate without filters', () => {
    expect(matches({})).toBe(true);
  });

  it('matches string members exactly', () => {
    expect(matches({ filters: [equal({ DICOMPatientId: PATIENT_ID })] })).toBe(true);
    expect(matches({ filters: [equal({ DICOMPatientId: PATIENT_ID.toLowerCase() })] })).toBe(false);
    expect(matches({ filters: [equal({ DICOMStudyInstanceUID: STUDY_UID })] })).toBe(true);
    expect(matches({ filters: [equal({ DICOMSeriesInstanceUID: STUDY_UID })] })).toBe(false);
    expect(matches({ filters: [equal({ DICOMAccessionNumber: 'ACC-1' })] })).toBe(false);
  });

  it('matches DICOMSeriesInstanceUID against every series of the image set, not only the summarized one', () => {
    const merged = candidate('b'.repeat(32), { seriesInstanceUids: [CT_SERIES_UID, MR_SERIES_UID] });
    expect(matches({ filters: [equal({ DICOMSeriesInstanceUID: MR_SERIES_UID })] }, merged)).toBe(true);
    expect(matches({ filters: [equal({ DICOMSeriesInstanceUID: CT_SERIES_UID })] }, merged)).toBe(true);
    expect(matches({ filters: [equal({ DICOMSeriesInstanceUID: MR_SERIES_UID })] })).toBe(false);
  });

  it('matches isPrimary', () => {
    expect(matches({ filters: [equal({ isPrimary: true })] })).toBe(true);
    expect(matches({ filters: [equal({ isPrimary: false })] })).toBe(false);
  });

  it('matches times at millisecond precision and BETWEEN inclusively', () => {
    const updated = candidate('b'.repeat(32), { updatedAt: JAN_2 + 0.25 });
    expect(matches({ filters: [equal({ updatedAt: JAN_2 + 0.25 })] }, updated)).toBe(true);
    expect(matches({ filters: [equal({ updatedAt: JAN_2 })] }, updated)).toBe(false);
    expect(matches({ filters: [between({ updatedAt: JAN_2 + 0.25 }, { updatedAt: JAN_3 })] }, updated)).toBe(true);
    expect(matches({ filters: [between({ updatedAt: JAN_1 }, { updatedAt: JAN_2 + 0.25 })] }, updated)).toBe(true);
    expect(matches({ filters: [between({ updatedAt: JAN_1 }, { updatedAt: JAN_2 })] }, updated)).toBe(false);
  });

  it('matches a study date for the whole day, or a date and time exactly', () => {
    expect(matches({ filters: [equal({ DICOMStudyDateAndTime: { DICOMStudyDate: '20240115' } })] })).toBe(true);
    expect(
      matches({
        filters: [equal({ DICOMStudyDateAndTime: { DICOMStudyDate: '20240115', DICOMStudyTime: '083000.000' } })],
      }),
    ).toBe(true);
    expect(
      matches({ filters: [equal({ DICOMStudyDateAndTime: { DICOMStudyDate: '20240115', DICOMStudyTime: '0830' } })] }),
    ).toBe(true);
    expect(
      matches({
        filters: [equal({ DICOMStudyDateAndTime: { DICOMStudyDate: '20240115', DICOMStudyTime: '083001' } })],
      }),
    ).toBe(false);
  });

  it('treats a BETWEEN bound without a time as midnight', () => {
    const lower = { DICOMStudyDateAndTime: { DICOMStudyDate: '20240101' } };
    expect(matches({ filters: [between(lower, { DICOMStudyDateAndTime: { DICOMStudyDate: '20240115' } })] })).toBe(
      false,
    );
    expect(
      matches({
        filters: [between(lower, { DICOMStudyDateAndTime: { DICOMStudyDate: '20240115', DICOMStudyTime: '083000' } })],
      }),
    ).toBe(true);
    expect(matches({ filters: [between(lower, { DICOMStudyDateAndTime: { DICOMStudyDate: '20240116' } })] })).toBe(
      true,
    );
  });

  it('never matches a study date filter for an image set without a study date', () => {
    const undated = candidate('c'.repeat(32), { tags: { DICOMPatientId: PATIENT_ID } });
    expect(
      matches(
        {
          filters: [
            between(
              { DICOMStudyDateAndTime: { DICOMStudyDate: '19000101' } },
              { DICOMStudyDateAndTime: { DICOMStudyDate: '29991231' } },
            ),
          ],
        },
        undated,
      ),
    ).toBe(false);
  });

  it('ANDs two filters', () => {
    const both = {
      filters: [equal({ DICOMSeriesInstanceUID: CT_SERIES_UID }), between({ updatedAt: JAN_1 }, { updatedAt: JAN_2 })],
    };
    expect(matches(both)).toBe(true);
    expect(matches(both, candidate('d'.repeat(32), { updatedAt: JAN_3 }))).toBe(false);
    expect(matches({ filters: [equal({ isPrimary: true }), equal({ DICOMPatientId: 'other' })] })).toBe(false);
  });
});

describe('compareForSort', () => {
  const older = candidate('1'.repeat(32), {
    createdAt: JAN_3,
    updatedAt: JAN_1,
    tags: { DICOMStudyDate: '20230101', DICOMStudyTime: '120000' },
  });
  const newer = candidate('2'.repeat(32), {
    createdAt: JAN_1,
    updatedAt: JAN_3,
    tags: { DICOMStudyDate: '20230101', DICOMStudyTime: '090000' },
  });
  const tieA = candidate('3'.repeat(32), { createdAt: JAN_2, updatedAt: JAN_2, tags: { DICOMStudyDate: '20220101' } });
  const tieB = candidate('4'.repeat(32), { createdAt: JAN_2, updatedAt: JAN_2, tags: {} });
  const ids = (list: SearchCandidate[]) => list.map((c) => c.imageSetId[0]);

  it('orders by updatedAt descending by default, ties by imageSetId', () => {
    expect(ids([tieB, older, tieA, newer].sort(compareForSort(parseSearchCriteria({}))))).toEqual(['2', '3', '4', '1']);
  });

  it('orders by createdAt in either direction', () => {
    expect(
      ids(
        [older, newer, tieB, tieA].sort(
          compareForSort(parseSearchCriteria({ sort: { sortField: 'createdAt', sortOrder: 'ASC' } })),
        ),
      ),
    ).toEqual(['2', '3', '4', '1']);
    expect(
      ids(
        [older, newer, tieB, tieA].sort(
          compareForSort(parseSearchCriteria({ sort: { sortField: 'createdAt', sortOrder: 'DESC' } })),
        ),
      ),
    ).toEqual(['1', '3', '4', '2']);
  });

  it('orders by study date and time, image sets without a study date last', () => {
    const asc = compareForSort(parseSearchCriteria({ sort: { sortField: 'DICOMStudyDateAndTime', sortOrder: 'ASC' } }));
    const desc = compareForSort(
      parseSearchCriteria({ sort: { sortField: 'DICOMStudyDateAndTime', sortOrder: 'DESC' } }),
    );
    expect(ids([tieB, older, newer, tieA].sort(asc))).toEqual(['3', '2', '1', '4']);
    expect(ids([tieB, older, newer, tieA].sort(desc))).toEqual(['1', '2', '3', '4']);
  });
});

describe('echoSort', () => {
  it('echoes the requested sort and nothing when none was requested', () => {
    expect(echoSort(parseSearchCriteria({ sort: { sortField: 'createdAt', sortOrder: 'ASC' } }))).toEqual({
      sortField: 'createdAt',
      sortOrder: 'ASC',
    });
    expect(echoSort(parseSearchCriteria({}))).toBeUndefined();
  });
});

describe('summarizeDicomTags', () => {
  it('summarizes Patient, Study and Series tags, trimming padding, with computed counts', () => {
    expect(summarizeDicomTags(ctSeriesDoc)).toEqual({
      DICOMPatientId: PATIENT_ID,
      DICOMPatientName: PATIENT_NAME,
      DICOMPatientBirthDate: '19700101',
      DICOMPatientSex: 'F',
      DICOMStudyInstanceUID: STUDY_UID,
      DICOMStudyId: 'S1',
      DICOMStudyDescription: 'CT CHEST',
      DICOMNumberOfStudyRelatedSeries: 1,
      DICOMNumberOfStudyRelatedInstances: 2,
      DICOMAccessionNumber: 'ACC-1',
      DICOMSeriesInstanceUID: CT_SERIES_UID,
      DICOMSeriesModality: 'CT',
      DICOMSeriesBodyPart: 'CHEST',
      DICOMSeriesNumber: 2,
      DICOMStudyDate: '20240115',
      DICOMStudyTime: '083000',
    });
  });

  it('counts every series and instance of the document', () => {
    const tags = summarizeDicomTags(twoSeriesDoc);
    expect(tags.DICOMNumberOfStudyRelatedSeries).toBe(2);
    expect(tags.DICOMNumberOfStudyRelatedInstances).toBe(3);
  });

  it('omits empty elements and a SeriesNumber that is not an integer', () => {
    const sparse = variantOf(ctSeriesDoc, (d) => {
      d.Patient.DICOM.PatientBirthDate = null;
      d.Patient.DICOM.PatientSex = '  ';
      seriesIn(d, CT_SERIES_UID).DICOM.SeriesNumber = 'two';
      delete d.Study.DICOM.StudyDescription;
    });
    const tags = summarizeDicomTags(sparse);
    expect(tags).not.toHaveProperty('DICOMPatientBirthDate');
    expect(tags).not.toHaveProperty('DICOMPatientSex');
    expect(tags).not.toHaveProperty('DICOMSeriesNumber');
    expect(tags).not.toHaveProperty('DICOMStudyDescription');
  });

  it('reads an IS SeriesNumber with padding, and a person name given in DICOM JSON form', () => {
    const varied = variantOf(ctSeriesDoc, (d) => {
      seriesIn(d, CT_SERIES_UID).DICOM.SeriesNumber = ' 12 ';
      d.Patient.DICOM.PatientName = { Alphabetic: PATIENT_NAME };
    });
    expect(summarizeDicomTags(varied)).toMatchObject({ DICOMSeriesNumber: 12, DICOMPatientName: PATIENT_NAME });
  });
});
