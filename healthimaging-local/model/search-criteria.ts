/**
 * SearchImageSets: validating `SearchCriteria` (docs/healthimaging-behaviour.md#search), matching
 * image sets against it, sorting them, and the `DICOMTags` summary each result carries.
 *
 * Validation (every violation is a synchronous ValidationException):
 * - `filters` (optional) holds 1..2 filters; each has `operator` EQUAL | BETWEEN and 1..2 `values`;
 * - EQUAL takes exactly one value; BETWEEN takes exactly two (lower, upper; lower <= upper) and
 *   only on createdAt, updatedAt or DICOMStudyDateAndTime;
 * - every value is a union with exactly one known member; all values of a filter use the same
 *   member; strings respect the model's lengths (UIDs also its `[0-9.]+` pattern), dates are
 *   YYYYMMDD and times HHMMSS[.FFFFFF], createdAt / updatedAt are epoch-second numbers;
 * - `sort` (optional) needs both `sortField` (updatedAt | createdAt | DICOMStudyDateAndTime) and
 *   `sortOrder` (ASC | DESC).
 *
 * Matching: filters AND together. Strings match exactly (after dropping DICOM padding). Times
 * compare at millisecond precision (the SDK sends `Date.getTime() / 1000`). DICOMStudyDateAndTime
 * EQUAL without a time matches the whole day; with a time, that instant. BETWEEN is inclusive and
 * a bound without a time means 00:00:00 of that day (as the API reference states).
 * Sorting: by `sort`, default updatedAt DESC; image sets lacking a study date sort last either
 * way; ties break on imageSetId ascending so that pages are stable.
 */
import { validation } from '../shapes/errors';
import type { MetadataDocument } from '../shapes/metadata-document';
import { isEmptyDicomValue, isPlainObject } from './rules-json';

/** The DICOMTags summary of a search result; a member absent or undefined is not known. */
export type DicomTags = {
  DICOMPatientId?: string | undefined;
  DICOMPatientName?: string | undefined;
  DICOMPatientBirthDate?: string | undefined;
  DICOMPatientSex?: string | undefined;
  DICOMStudyInstanceUID?: string | undefined;
  DICOMStudyId?: string | undefined;
  DICOMStudyDescription?: string | undefined;
  DICOMNumberOfStudyRelatedSeries?: number | undefined;
  DICOMNumberOfStudyRelatedInstances?: number | undefined;
  DICOMAccessionNumber?: string | undefined;
  DICOMSeriesInstanceUID?: string | undefined;
  DICOMSeriesModality?: string | undefined;
  DICOMSeriesBodyPart?: string | undefined;
  DICOMSeriesNumber?: number | undefined;
  DICOMStudyDate?: string | undefined;
  DICOMStudyTime?: string | undefined;
};

/** One image set as search sees it; times in epoch seconds. */
export interface SearchCandidate {
  imageSetId: string;
  version: number;
  createdAt: number;
  updatedAt: number;
  isPrimary: boolean;
  tags: DicomTags;
  /**
   * Every series the image set holds. `tags` shows the first one, but a DICOMSeriesInstanceUID
   * filter matches an image set holding the series anywhere (a merge by copy can add series).
   */
  seriesInstanceUids: readonly string[];
}

export type StringAttribute =
  'DICOMPatientId' | 'DICOMAccessionNumber' | 'DICOMStudyId' | 'DICOMStudyInstanceUID' | 'DICOMSeriesInstanceUID';
export type TimeAttribute = 'createdAt' | 'updatedAt';
export type SearchAttribute = StringAttribute | TimeAttribute | 'DICOMStudyDateAndTime' | 'isPrimary';

/** A validated filter value; study date/times are kept as `YYYYMMDDHHMMSS.FFFFFF` so they sort as text. */
export type SearchValue =
  | { attribute: StringAttribute; text: string }
  | { attribute: TimeAttribute; epochMillis: number }
  | { attribute: 'DICOMStudyDateAndTime'; date: string; instant: string; hasTime: boolean }
  | { attribute: 'isPrimary'; flag: boolean };

/** EQUAL takes exactly one value, BETWEEN exactly two (lower, upper). */
export type SearchFilter =
  | { operator: 'EQUAL'; attribute: SearchAttribute; values: [SearchValue] }
  | { operator: 'BETWEEN'; attribute: SearchAttribute; values: [lower: SearchValue, upper: SearchValue] };

export type SortField = 'updatedAt' | 'createdAt' | 'DICOMStudyDateAndTime';
export type SortOrder = 'ASC' | 'DESC';

export interface SearchCriteria {
  filters: SearchFilter[];
  sort?: { sortField: SortField; sortOrder: SortOrder };
}

const STRING_LIMITS: Record<StringAttribute, number> = {
  DICOMPatientId: 512,
  DICOMAccessionNumber: 512,
  DICOMStudyId: 512,
  DICOMStudyInstanceUID: 512,
  DICOMSeriesInstanceUID: 512,
};
const UID_ATTRIBUTES: ReadonlySet<string> = new Set(['DICOMStudyInstanceUID', 'DICOMSeriesInstanceUID']);
const UNION_MEMBERS: readonly SearchAttribute[] = [
  'DICOMPatientId',
  'DICOMAccessionNumber',
  'DICOMStudyId',
  'DICOMStudyInstanceUID',
  'DICOMSeriesInstanceUID',
  'createdAt',
  'updatedAt',
  'DICOMStudyDateAndTime',
  'isPrimary',
];
const BETWEEN_ATTRIBUTES: ReadonlySet<string> = new Set(['createdAt', 'updatedAt', 'DICOMStudyDateAndTime']);
const SORT_FIELDS: readonly SortField[] = ['updatedAt', 'createdAt', 'DICOMStudyDateAndTime'];
const SORT_ORDERS: readonly SortOrder[] = ['ASC', 'DESC'];
const STUDY_DATE = /^\d{8}$/;
const STUDY_TIME = /^\d{2}(\d{2}(\d{2}(\.\d{1,6})?)?)?$/;

/** `HHMMSS.FFFFFF` with missing parts as zeros; legacy `HH:MM:SS` colons are dropped first. */
function normalizeTime(time: string): string {
  const compact = time.replace(/:/g, '').trim();
  const [clock = '', fraction = ''] = compact.split('.');
  return `${clock.padEnd(6, '0').slice(0, 6)}.${fraction.padEnd(6, '0').slice(0, 6)}`;
}

function parseStudyDateAndTime(raw: unknown): SearchValue {
  if (!isPlainObject(raw)) throw validation('DICOMStudyDateAndTime must be an object.');
  for (const key of Object.keys(raw)) {
    if (key !== 'DICOMStudyDate' && key !== 'DICOMStudyTime') {
      throw validation('DICOMStudyDateAndTime accepts only DICOMStudyDate and DICOMStudyTime.');
    }
  }
  const date = raw.DICOMStudyDate;
  if (typeof date !== 'string' || !STUDY_DATE.test(date))
    throw validation('DICOMStudyDate is required and must be YYYYMMDD.');
  const time = raw.DICOMStudyTime;
  if (time === undefined || time === null)
    return { attribute: 'DICOMStudyDateAndTime', date, instant: `${date}000000.000000`, hasTime: false };
  if (typeof time !== 'string' || time.length > 56 || !STUDY_TIME.test(time)) {
    throw validation('DICOMStudyTime must be HHMMSS with optional fractional seconds.');
  }
  return { attribute: 'DICOMStudyDateAndTime', date, instant: `${date}${normalizeTime(time)}`, hasTime: true };
}

function parseValue(raw: unknown): SearchValue {
  if (!isPlainObject(raw)) throw validation('Each filter value must be an object.');
  const keys = Object.keys(raw).filter((key) => raw[key] !== undefined && raw[key] !== null);
  if (keys.length !== 1) throw validation('Each filter value must set exactly one attribute.');
  const attribute = keys[0] as SearchAttribute;
  if (!UNION_MEMBERS.includes(attribute)) throw validation('A filter value names an unknown search attribute.');
  const value = raw[attribute];
  switch (attribute) {
    case 'createdAt':
    case 'updatedAt':
      if (typeof value !== 'number' || !Number.isFinite(value))
        throw validation(`${attribute} must be a timestamp in epoch seconds.`);
      return { attribute, epochMillis: Math.round(value * 1000) };
    case 'isPrimary':
      if (typeof value !== 'boolean') throw validation('isPrimary must be a boolean.');
      return { attribute, flag: value };
    case 'DICOMStudyDateAndTime':
      return parseStudyDateAndTime(value);
    default: {
      if (typeof value !== 'string') throw validation(`${attribute} must be a string.`);
      if (value.length > STRING_LIMITS[attribute])
        throw validation(`${attribute} must be at most ${STRING_LIMITS[attribute]} characters.`);
      if (UID_ATTRIBUTES.has(attribute) && !/^[0-9.]*$/.test(value))
        throw validation(`${attribute} must contain only digits and dots.`);
      return { attribute, text: value.replace(/[ \0]+$/, '') };
    }
  }
}

function orderKey(value: SearchValue): number | string {
  if (value.attribute === 'createdAt' || value.attribute === 'updatedAt') return value.epochMillis;
  if (value.attribute === 'DICOMStudyDateAndTime') return value.instant;
  return 0;
}

function parseFilter(raw: unknown): SearchFilter {
  if (!isPlainObject(raw)) throw validation('Each filter must be an object.');
  const { operator, values } = raw;
  if (operator !== 'EQUAL' && operator !== 'BETWEEN') throw validation('Filter operator must be EQUAL or BETWEEN.');
  if (!Array.isArray(values) || values.length < 1 || values.length > 2)
    throw validation('A filter must have 1 or 2 values.');
  const [first, second] = values.map(parseValue);
  if (!first) throw validation('A filter must have 1 or 2 values.');
  const attribute = first.attribute;
  if (second && second.attribute !== attribute)
    throw validation('All values of one filter must use the same attribute.');
  if (operator === 'EQUAL') {
    if (second) throw validation('The EQUAL operator takes exactly one value.');
    return { operator, attribute, values: [first] };
  }
  if (!second) throw validation('The BETWEEN operator takes exactly two values.');
  if (!BETWEEN_ATTRIBUTES.has(attribute)) {
    throw validation('The BETWEEN operator applies only to createdAt, updatedAt and DICOMStudyDateAndTime.');
  }
  if (orderKey(first) > orderKey(second))
    throw validation('The lower bound of BETWEEN must not be after its upper bound.');
  return { operator, attribute, values: [first, second] };
}

/** Validates the SearchImageSets body (already JSON-parsed; absent means "everything"). */
export function parseSearchCriteria(body: unknown): SearchCriteria {
  if (body === undefined || body === null) return { filters: [] };
  if (!isPlainObject(body)) throw validation('The search criteria must be a JSON object.');
  const criteria: SearchCriteria = { filters: [] };
  if (body.filters !== undefined && body.filters !== null) {
    if (!Array.isArray(body.filters) || body.filters.length < 1 || body.filters.length > 2) {
      throw validation('filters must hold 1 or 2 filters.');
    }
    criteria.filters = body.filters.map(parseFilter);
  }
  if (body.sort !== undefined && body.sort !== null) {
    if (!isPlainObject(body.sort)) throw validation('sort must be an object.');
    const { sortField, sortOrder } = body.sort;
    if (!SORT_FIELDS.includes(sortField as SortField))
      throw validation('sortField must be updatedAt, createdAt or DICOMStudyDateAndTime.');
    if (!SORT_ORDERS.includes(sortOrder as SortOrder)) throw validation('sortOrder must be ASC or DESC.');
    criteria.sort = { sortField: sortField as SortField, sortOrder: sortOrder as SortOrder };
  }
  return criteria;
}

function studyInstantOf(tags: DicomTags): string | undefined {
  if (!tags.DICOMStudyDate || !STUDY_DATE.test(tags.DICOMStudyDate)) return undefined;
  return `${tags.DICOMStudyDate}${normalizeTime(tags.DICOMStudyTime ?? '')}`;
}

function valueMatches(candidate: SearchCandidate, value: SearchValue): boolean {
  switch (value.attribute) {
    case 'createdAt':
    case 'updatedAt':
      return Math.round(candidate[value.attribute] * 1000) === value.epochMillis;
    case 'isPrimary':
      return candidate.isPrimary === value.flag;
    case 'DICOMStudyDateAndTime': {
      if (!value.hasTime) return candidate.tags.DICOMStudyDate === value.date;
      return studyInstantOf(candidate.tags) === value.instant;
    }
    case 'DICOMSeriesInstanceUID':
      return candidate.seriesInstanceUids.includes(value.text);
    default:
      return candidate.tags[value.attribute] === value.text;
  }
}

function withinBounds(candidate: SearchCandidate, filter: Extract<SearchFilter, { operator: 'BETWEEN' }>): boolean {
  const [lower, upper] = filter.values;
  let subject: number | string | undefined;
  if (filter.attribute === 'createdAt' || filter.attribute === 'updatedAt')
    subject = Math.round(candidate[filter.attribute] * 1000);
  else subject = studyInstantOf(candidate.tags);
  if (subject === undefined) return false;
  return orderKey(lower) <= subject && subject <= orderKey(upper);
}

/** True when the candidate satisfies every filter (filters AND together; BETWEEN is inclusive). */
export function matchesCriteria(candidate: SearchCandidate, criteria: SearchCriteria): boolean {
  return criteria.filters.every((filter) =>
    filter.operator === 'BETWEEN' ? withinBounds(candidate, filter) : valueMatches(candidate, filter.values[0]),
  );
}

/** A comparator for Array.sort: the requested order (default updatedAt DESC), ties by imageSetId. */
export function compareForSort(criteria: SearchCriteria): (a: SearchCandidate, b: SearchCandidate) => number {
  const field: SortField = criteria.sort?.sortField ?? 'updatedAt';
  const direction = (criteria.sort?.sortOrder ?? 'DESC') === 'ASC' ? 1 : -1;
  const byId = (a: SearchCandidate, b: SearchCandidate): number =>
    a.imageSetId < b.imageSetId ? -1 : a.imageSetId > b.imageSetId ? 1 : 0;
  if (field === 'DICOMStudyDateAndTime') {
    return (a, b) => {
      const left = studyInstantOf(a.tags);
      const right = studyInstantOf(b.tags);
      if (left !== right) {
        if (left === undefined) return 1;
        if (right === undefined) return -1;
        return (left < right ? -1 : 1) * direction;
      }
      return byId(a, b);
    };
  }
  return (a, b) => {
    const difference = Math.round(a[field] * 1000) - Math.round(b[field] * 1000);
    return difference !== 0 ? Math.sign(difference) * direction : byId(a, b);
  };
}

/** The `sort` member of the response: the request's sort, echoed, when it had one. */
export function echoSort(criteria: SearchCriteria): { sortField: string; sortOrder: string } | undefined {
  return criteria.sort ? { sortField: criteria.sort.sortField, sortOrder: criteria.sort.sortOrder } : undefined;
}

function text(value: unknown): string | undefined {
  if (isEmptyDicomValue(value)) return undefined;
  if (typeof value === 'string') return value.replace(/[ \0]+$/, '');
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) {
    const parts = value.map(text).filter((part): part is string => part !== undefined);
    return parts.length > 0 ? parts.join('\\') : undefined;
  }
  if (isPlainObject(value) && typeof value.Alphabetic === 'string') return text(value.Alphabetic);
  return undefined;
}

function integer(value: unknown): number | undefined {
  const raw: unknown = Array.isArray(value) ? (value as unknown[])[0] : value;
  const parsed = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw.trim()) : NaN;
  if (typeof raw === 'string' && raw.trim() === '') return undefined;
  return Number.isInteger(parsed) && Math.abs(parsed) <= 2 ** 31 - 1 ? parsed : undefined;
}

/**
 * The DICOMTags summary of a document. Series-level tags come from the first series (an image
 * set normally holds one); the counts are computed from the document.
 */
export function summarizeDicomTags(doc: MetadataDocument): DicomTags {
  const patient = doc.Patient.DICOM;
  const study = doc.Study.DICOM;
  const allSeries = Object.entries(doc.Study.Series);
  const firstSeries = allSeries.length > 0 ? allSeries[0] : undefined;
  const seriesDicom = firstSeries ? firstSeries[1].DICOM : {};
  const tags: DicomTags = {
    DICOMPatientId: text(patient.PatientID),
    DICOMPatientName: text(patient.PatientName),
    DICOMPatientBirthDate: text(patient.PatientBirthDate),
    DICOMPatientSex: text(patient.PatientSex),
    DICOMStudyInstanceUID: text(study.StudyInstanceUID),
    DICOMStudyId: text(study.StudyID),
    DICOMStudyDescription: text(study.StudyDescription),
    DICOMNumberOfStudyRelatedSeries: allSeries.length,
    DICOMNumberOfStudyRelatedInstances: allSeries.reduce(
      (sum, [, series]) => sum + Object.keys(series.Instances).length,
      0,
    ),
    DICOMAccessionNumber: text(study.AccessionNumber),
    DICOMSeriesInstanceUID: text(seriesDicom.SeriesInstanceUID) ?? firstSeries?.[0],
    DICOMSeriesModality: text(seriesDicom.Modality),
    DICOMSeriesBodyPart: text(seriesDicom.BodyPartExamined),
    DICOMSeriesNumber: integer(seriesDicom.SeriesNumber),
    DICOMStudyDate: text(study.StudyDate),
    DICOMStudyTime: text(study.StudyTime),
  };
  for (const key of Object.keys(tags) as (keyof DicomTags)[]) {
    if (tags[key] === undefined) delete tags[key];
  }
  return tags;
}
