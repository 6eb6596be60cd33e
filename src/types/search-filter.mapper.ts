import { BadUserInputError } from '../errors/gateway-errors';
import type { SearchCriteriaInput } from '../imaging/records';
import { MAX_SEARCH_FILTERS } from '../imaging/upstream/search-criteria';
import type { DateTimeRangeInput } from './date-time-range.input';
import { ImageSetSortField } from './image-set-sort-field.enum';
import type { ImageSetSearchFilter } from './image-set-search-filter.input';
import type { ImageSetSort } from './image-set-sort.input';
import type { StudyDateRangeInput } from './study-date-range.input';

const MAX_IDENTIFIER_LENGTH = 512;
const UID_PATTERN = /^[0-9.]+$/;
const STUDY_DATE_PATTERN = /^(\d{4})(\d{2})(\d{2})$/;

const SORT_FIELDS: Record<ImageSetSortField, NonNullable<SearchCriteriaInput['sort']>['field']> = {
  [ImageSetSortField.UPDATED_AT]: 'updatedAt',
  [ImageSetSortField.CREATED_AT]: 'createdAt',
  [ImageSetSortField.STUDY_DATE_AND_TIME]: 'DICOMStudyDateAndTime',
};

/**
 * Checks a GraphQL search filter against HealthImaging's limits and maps it to the port's
 * criteria, so that a request upstream would reject fails here with a clear BAD_USER_INPUT
 * (messages name fields, never values: values may be patient data).
 */
export function toSearchCriteria(
  filter: ImageSetSearchFilter | null | undefined,
  sort: ImageSetSort | null | undefined,
): SearchCriteriaInput {
  const criteria: SearchCriteriaInput = {};
  const set: string[] = [];
  const given = <T>(value: T | null | undefined): value is T => value !== null && value !== undefined;

  if (filter) {
    if (given(filter.patientId)) criteria.patientId = identifier('patientId', filter.patientId);
    if (given(filter.accessionNumber)) criteria.accessionNumber = identifier('accessionNumber', filter.accessionNumber);
    if (given(filter.studyId)) criteria.studyId = identifier('studyId', filter.studyId);
    if (given(filter.studyInstanceUid)) criteria.studyInstanceUid = uid('studyInstanceUid', filter.studyInstanceUid);
    if (given(filter.seriesInstanceUid))
      criteria.seriesInstanceUid = uid('seriesInstanceUid', filter.seriesInstanceUid);
    if (given(filter.isPrimary)) criteria.isPrimary = filter.isPrimary;
    if (given(filter.studyDate)) criteria.studyDate = studyDateRange(filter.studyDate);
    if (given(filter.updatedAt)) criteria.updatedAt = instantRange('updatedAt', filter.updatedAt);
    if (given(filter.createdAt)) criteria.createdAt = instantRange('createdAt', filter.createdAt);
    for (const key of Object.keys(criteria)) set.push(key);
  }
  if (set.length > MAX_SEARCH_FILTERS) {
    throw new BadUserInputError(
      `HealthImaging combines at most ${MAX_SEARCH_FILTERS} search criteria; ${set.length} were given (${set.join(', ')}).`,
      { invalidFields: set.map((name) => `filter.${name}`) },
    );
  }
  if (sort) criteria.sort = { field: SORT_FIELDS[sort.field], order: sort.order };
  return criteria;
}

function identifier(field: string, value: string): string {
  if (value.length < 1 || value.length > MAX_IDENTIFIER_LENGTH) {
    throw new BadUserInputError(`filter.${field} must be 1 to ${MAX_IDENTIFIER_LENGTH} characters long.`, {
      invalidFields: [`filter.${field}`],
    });
  }
  return value;
}

function uid(field: string, value: string): string {
  identifier(field, value);
  if (!UID_PATTERN.test(value)) {
    throw new BadUserInputError(`filter.${field} must be a DICOM UID (digits and dots only).`, {
      invalidFields: [`filter.${field}`],
    });
  }
  return value;
}

function studyDateRange(range: StudyDateRangeInput): { from: string; to: string } {
  for (const bound of ['from', 'to'] as const) {
    if (!isStudyDate(range[bound])) {
      throw new BadUserInputError(`filter.studyDate.${bound} must be a calendar date written YYYYMMDD.`, {
        invalidFields: [`filter.studyDate.${bound}`],
      });
    }
  }
  if (range.from > range.to) {
    throw new BadUserInputError('filter.studyDate.from must not be after filter.studyDate.to.', {
      invalidFields: ['filter.studyDate'],
    });
  }
  return { from: range.from, to: range.to };
}

function isStudyDate(value: string): boolean {
  const match = STUDY_DATE_PATTERN.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function instantRange(field: 'updatedAt' | 'createdAt', range: DateTimeRangeInput): { from: Date; to: Date } {
  if (range.from.getTime() > range.to.getTime()) {
    throw new BadUserInputError(`filter.${field}.from must not be after filter.${field}.to.`, {
      invalidFields: [`filter.${field}`],
    });
  }
  return { from: range.from, to: range.to };
}
