import type { SearchByAttributeValue, SearchCriteria, SearchFilter } from '@aws-sdk/client-medical-imaging';
import { BadUserInputError } from '../../errors/gateway-errors';
import type { SearchCriteriaInput } from '../records';

/** SearchImageSets accepts one or two filters (docs/healthimaging-behaviour.md#search). */
export const MAX_SEARCH_FILTERS = 2;

const STUDY_DATE = /^\d{8}$/;

/**
 * Our search input to the upstream's criteria: each given criterion becomes one filter (EQUAL for
 * a value, BETWEEN for a range). More than two is refused here, naming the criteria, rather than
 * by the upstream with a message we could not pass on.
 */
export function toSearchCriteria(input: SearchCriteriaInput): SearchCriteria {
  const filters: Array<{ name: string; filter: SearchFilter }> = [];
  const equal = (name: string, value: SearchByAttributeValue): void => {
    filters.push({ name, filter: { operator: 'EQUAL', values: [value] } });
  };
  const between = (name: string, from: SearchByAttributeValue, to: SearchByAttributeValue): void => {
    filters.push({ name, filter: { operator: 'BETWEEN', values: [from, to] } });
  };

  if (input.patientId !== undefined) equal('patientId', { DICOMPatientId: input.patientId });
  if (input.accessionNumber !== undefined) equal('accessionNumber', { DICOMAccessionNumber: input.accessionNumber });
  if (input.studyId !== undefined) equal('studyId', { DICOMStudyId: input.studyId });
  if (input.studyInstanceUid !== undefined)
    equal('studyInstanceUid', { DICOMStudyInstanceUID: input.studyInstanceUid });
  if (input.seriesInstanceUid !== undefined)
    equal('seriesInstanceUid', { DICOMSeriesInstanceUID: input.seriesInstanceUid });
  if (input.isPrimary !== undefined) equal('isPrimary', { isPrimary: input.isPrimary });
  if (input.studyDate !== undefined) {
    const { from, to } = input.studyDate;
    if (!STUDY_DATE.test(from) || !STUDY_DATE.test(to)) {
      throw new BadUserInputError('studyDate bounds must be dates written as YYYYMMDD.', {
        invalidFields: ['studyDate'],
      });
    }
    if (from > to)
      throw new BadUserInputError('studyDate.from must not be after studyDate.to.', { invalidFields: ['studyDate'] });
    between(
      'studyDate',
      { DICOMStudyDateAndTime: { DICOMStudyDate: from, DICOMStudyTime: '000000' } },
      { DICOMStudyDateAndTime: { DICOMStudyDate: to, DICOMStudyTime: '235959.999999' } },
    );
  }
  const timeRange = (name: 'createdAt' | 'updatedAt', range: { from: Date; to: Date } | undefined): void => {
    if (range === undefined) return;
    if (Number.isNaN(range.from.getTime()) || Number.isNaN(range.to.getTime()) || range.from > range.to) {
      throw new BadUserInputError(`${name}.from must be a valid time not after ${name}.to.`, { invalidFields: [name] });
    }
    if (name === 'createdAt') between(name, { createdAt: range.from }, { createdAt: range.to });
    else between(name, { updatedAt: range.from }, { updatedAt: range.to });
  };
  timeRange('createdAt', input.createdAt);
  timeRange('updatedAt', input.updatedAt);

  if (filters.length > MAX_SEARCH_FILTERS) {
    throw new BadUserInputError(`HealthImaging combines at most ${MAX_SEARCH_FILTERS} search criteria.`, {
      invalidFields: filters.map((f) => f.name),
    });
  }
  return {
    ...(filters.length > 0 ? { filters: filters.map((f) => f.filter) } : {}),
    ...(input.sort ? { sort: { sortField: input.sort.field, sortOrder: input.sort.order } } : {}),
  };
}
