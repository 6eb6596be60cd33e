import type { SearchSummaryRecord } from '../imaging/records';
import type { ImageSetSearchFilter } from '../types/image-set-search-filter.input';
import type { PhiAccess } from './phi-access';
import type { PhiCategory } from './phi-category';
import { withheldCategoryOf } from './profile-lookup';

/**
 * The DICOM attribute each search filter field matches (null: not a DICOM attribute). A Record
 * over every field, so a new filter field cannot be added without deciding this.
 */
const FILTER_KEYWORDS: Readonly<Record<keyof ImageSetSearchFilter, string | null>> = {
  patientId: 'PatientID',
  accessionNumber: 'AccessionNumber',
  studyId: 'StudyID',
  studyInstanceUid: 'StudyInstanceUID',
  seriesInstanceUid: 'SeriesInstanceUID',
  isPrimary: null,
  studyDate: 'StudyDate',
  updatedAt: null,
  createdAt: null,
};

/** Filter fields that match a withheld attribute: searching by them is searching by patient identity. */
export const PHI_FILTER_FIELDS: readonly string[] = Object.entries(FILTER_KEYWORDS)
  .filter(([, keyword]) => keyword !== null && withheldCategoryOf(keyword) !== undefined)
  .map(([field]) => field);

/** FORBIDDEN, before any upstream call, for a search by a withheld attribute without `phi:read`. */
export function checkSearchFilter(phi: PhiAccess, filter: ImageSetSearchFilter | null | undefined): void {
  if (!filter || phi.granted) return;
  const used = PHI_FILTER_FIELDS.filter((field) => {
    const value = filter[field as keyof ImageSetSearchFilter];
    return value !== null && value !== undefined;
  });
  if (used.length > 0) phi.require(`Searching by ${used.map((field) => `filter.${field}`).join(', ')}`);
}

type SearchTags = SearchSummaryRecord['dicomTags'];

/** The DICOM attribute behind each tag HealthImaging returns with a search result. */
const TAG_KEYWORDS: Readonly<Record<keyof SearchTags, string>> = {
  patientId: 'PatientID',
  patientName: 'PatientName',
  patientBirthDate: 'PatientBirthDate',
  patientSex: 'PatientSex',
  studyInstanceUid: 'StudyInstanceUID',
  studyId: 'StudyID',
  studyDescription: 'StudyDescription',
  numberOfStudyRelatedSeries: 'NumberOfStudyRelatedSeries',
  numberOfStudyRelatedInstances: 'NumberOfStudyRelatedInstances',
  accessionNumber: 'AccessionNumber',
  seriesInstanceUid: 'SeriesInstanceUID',
  seriesModality: 'Modality',
  seriesBodyPart: 'BodyPartExamined',
  seriesNumber: 'SeriesNumber',
  studyDate: 'StudyDate',
  studyTime: 'StudyTime',
};

const PHI_TAGS: ReadonlyArray<readonly [keyof SearchTags, PhiCategory]> = (
  Object.keys(TAG_KEYWORDS) as Array<keyof SearchTags>
).flatMap((field) => {
  const category = withheldCategoryOf(TAG_KEYWORDS[field]);
  return category ? [[field, category] as const] : [];
});

const ACCESS = Symbol('phiAccess');
const RAW = Symbol('rawTags');
const TARGET = Symbol('target');

interface Guarded {
  [ACCESS]: PhiAccess;
  [RAW]: SearchTags;
  [TARGET]: { datastoreId: string; imageSetId: string; versionId: string };
}

/** Getters for the PHI tags on one shared prototype: a value is shown (or noted withheld) only when read. */
const GUARDED_PROTOTYPE: object = Object.create(
  null,
  Object.fromEntries(
    PHI_TAGS.map(([field, category]) => [
      field,
      {
        enumerable: true,
        get(this: Guarded): unknown {
          return this[ACCESS].value(category, this[RAW][field], this[TARGET]);
        },
      },
    ]),
  ) as PropertyDescriptorMap,
) as object;

/**
 * A search result's DICOM tags as this caller may see them. The PHI tags are read through the
 * request's access only when a client selects them, so a search that shows ids only neither
 * withholds nor reads PHI.
 */
export function guardSearchTags(phi: PhiAccess, summary: SearchSummaryRecord): SearchTags {
  const raw = summary.dicomTags;
  if (!PHI_TAGS.some(([field]) => raw[field] !== undefined && raw[field] !== null)) return raw;
  const guarded = Object.create(GUARDED_PROTOTYPE) as Guarded & Record<string, unknown>;
  guarded[ACCESS] = phi;
  guarded[RAW] = raw;
  guarded[TARGET] = { datastoreId: summary.datastoreId, imageSetId: summary.imageSetId, versionId: summary.versionId };
  for (const key of Object.keys(raw)) {
    if (!PHI_TAGS.some(([field]) => field === key)) guarded[key] = raw[key as keyof SearchTags];
  }
  return guarded as SearchTags;
}
