import { BadUserInputError } from '../../../src/errors/gateway-errors';
import { ImageSetSortField } from '../../../src/types/image-set-sort-field.enum';
import { toSearchCriteria } from '../../../src/types/search-filter.mapper';
import { SortOrder } from '../../../src/types/sort-order.enum';
import { thrownBy } from '../../support/thrown-by';

const errorOf = (run: () => unknown): BadUserInputError => thrownBy(run, BadUserInputError);

describe('toSearchCriteria', () => {
  it('maps identifiers, flags and ranges to the port criteria and drops explicit nulls', () => {
    const from = new Date('2024-01-01T00:00:00Z');
    const to = new Date('2024-02-01T00:00:00Z');
    expect(toSearchCriteria({ patientId: 'P-1', isPrimary: null, updatedAt: { from, to } }, null)).toEqual({
      patientId: 'P-1',
      updatedAt: { from, to },
    });
    expect(toSearchCriteria({ studyDate: { from: '20240101', to: '20240131' }, isPrimary: false }, null)).toEqual({
      studyDate: { from: '20240101', to: '20240131' },
      isPrimary: false,
    });
  });

  it('maps the sort enum to the upstream sort field names', () => {
    expect(toSearchCriteria(null, { field: ImageSetSortField.STUDY_DATE_AND_TIME, order: SortOrder.ASC })).toEqual({
      sort: { field: 'DICOMStudyDateAndTime', order: 'ASC' },
    });
    expect(toSearchCriteria(undefined, { field: ImageSetSortField.CREATED_AT, order: SortOrder.DESC }).sort).toEqual({
      field: 'createdAt',
      order: 'DESC',
    });
  });

  it('refuses more than two criteria and names them, not their values', () => {
    const error = errorOf(() =>
      toSearchCriteria({ patientId: 'Doe^Jane', studyId: 'S1', accessionNumber: 'A1' }, null),
    );
    expect(error.message).toMatch(/at most 2 search criteria; 3 were given \(patientId, accessionNumber, studyId\)/);
    expect(error.message).not.toContain('Doe^Jane');
    expect(error.extensions.invalidFields).toEqual(['filter.patientId', 'filter.accessionNumber', 'filter.studyId']);
  });

  it('does not count the sort as a criterion', () => {
    expect(() =>
      toSearchCriteria(
        { patientId: 'P', studyId: 'S' },
        { field: ImageSetSortField.UPDATED_AT, order: SortOrder.DESC },
      ),
    ).not.toThrow();
  });

  it.each([
    [{ patientId: '' }, 'filter.patientId'],
    [{ accessionNumber: 'x'.repeat(513) }, 'filter.accessionNumber'],
    [{ studyInstanceUid: '1.2.840.abc' }, 'filter.studyInstanceUid'],
    [{ seriesInstanceUid: '1.2 .3' }, 'filter.seriesInstanceUid'],
    [{ studyDate: { from: '2024-01-01', to: '20240131' } }, 'filter.studyDate.from'],
    [{ studyDate: { from: '20240101', to: '20241301' } }, 'filter.studyDate.to'],
    [{ studyDate: { from: '20240229', to: '20230301' } }, 'filter.studyDate'],
  ])('refuses %j and names %s', (filter, field) => {
    expect(errorOf(() => toSearchCriteria(filter, null)).extensions.invalidFields).toEqual([field]);
  });

  it('accepts 29 February in leap years only', () => {
    expect(() => toSearchCriteria({ studyDate: { from: '20240229', to: '20240229' } }, null)).not.toThrow();
    expect(() => toSearchCriteria({ studyDate: { from: '20230229', to: '20230301' } }, null)).toThrow(
      BadUserInputError,
    );
  });

  it('refuses a time range whose start is after its end', () => {
    const later = new Date('2024-02-01T00:00:00Z');
    const earlier = new Date('2024-01-01T00:00:00Z');
    expect(
      errorOf(() => toSearchCriteria({ createdAt: { from: later, to: earlier } }, null)).extensions.invalidFields,
    ).toEqual(['filter.createdAt']);
  });
});
