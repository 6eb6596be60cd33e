import { BadUserInputError } from '../../../src/errors/gateway-errors';
import { toSearchCriteria } from '../../../src/imaging/upstream/search-criteria';

describe('toSearchCriteria', () => {
  it('lists everything when no criterion is given', () => {
    expect(toSearchCriteria({})).toEqual({});
  });

  it('turns a value into an EQUAL filter and a range into a BETWEEN filter', () => {
    const from = new Date('2025-01-01T00:00:00Z');
    const to = new Date('2025-01-02T00:00:00Z');
    expect(
      toSearchCriteria({
        seriesInstanceUid: '1.2.3',
        updatedAt: { from, to },
        sort: { field: 'updatedAt', order: 'DESC' },
      }),
    ).toEqual({
      filters: [
        { operator: 'EQUAL', values: [{ DICOMSeriesInstanceUID: '1.2.3' }] },
        { operator: 'BETWEEN', values: [{ updatedAt: from }, { updatedAt: to }] },
      ],
      sort: { sortField: 'updatedAt', sortOrder: 'DESC' },
    });
  });

  it('covers a whole study-date range day by day', () => {
    expect(toSearchCriteria({ studyDate: { from: '20240101', to: '20240131' } }).filters).toEqual([
      {
        operator: 'BETWEEN',
        values: [
          { DICOMStudyDateAndTime: { DICOMStudyDate: '20240101', DICOMStudyTime: '000000' } },
          { DICOMStudyDateAndTime: { DICOMStudyDate: '20240131', DICOMStudyTime: '235959.999999' } },
        ],
      },
    ]);
  });

  it('refuses more than two criteria, naming them', () => {
    const error = (() => {
      try {
        toSearchCriteria({ patientId: 'p', accessionNumber: 'a', isPrimary: true });
      } catch (e) {
        return e as BadUserInputError;
      }
      throw new Error('expected an error');
    })();
    expect(error).toBeInstanceOf(BadUserInputError);
    expect(error.extensions.invalidFields).toEqual(['patientId', 'accessionNumber', 'isPrimary']);
    expect(error.message).not.toContain('p,');
  });

  it('refuses malformed or inverted ranges', () => {
    expect(() => toSearchCriteria({ studyDate: { from: '2024-01-01', to: '20240131' } })).toThrow(BadUserInputError);
    expect(() => toSearchCriteria({ studyDate: { from: '20240201', to: '20240131' } })).toThrow(BadUserInputError);
    expect(() => toSearchCriteria({ createdAt: { from: new Date('2025-02-01'), to: new Date('2025-01-01') } })).toThrow(
      BadUserInputError,
    );
  });
});
