import type { DicomAttributes, MetadataDocument } from '../shapes/metadata-document';

/**
 * The grouping keys of an import (docs/healthimaging-behaviour.md#import-grouping): instances of
 * one series whose keys agree share the primary image set; instances that disagree with it go to a
 * non-primary one.
 * Study level: StudyDate, AccessionNumber, PatientID, StudyInstanceUID, StudyID.
 * Series level: SeriesInstanceUID, SeriesNumber.
 */
export const STUDY_GROUPING_KEYS = [
  'StudyDate',
  'AccessionNumber',
  'PatientID',
  'StudyInstanceUID',
  'StudyID',
] as const;
export const SERIES_GROUPING_KEYS = ['SeriesInstanceUID', 'SeriesNumber'] as const;

/** Empty, absent and padded values compare equal: DICOM padding and null carry no meaning here. */
function normalise(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(normalise).join('\\');
  return String(value).trim();
}

export interface GroupingLevels {
  patient: DicomAttributes;
  study: DicomAttributes;
  series: DicomAttributes;
}

/** A string that is equal for two instances exactly when all their grouping keys agree. */
export function groupingSignature(levels: GroupingLevels): string {
  // PatientID is a study-level grouping key but lives at the document's Patient level.
  const study = STUDY_GROUPING_KEYS.map((key) =>
    normalise(key === 'PatientID' ? levels.patient[key] : levels.study[key]),
  );
  const series = SERIES_GROUPING_KEYS.map((key) => normalise(levels.series[key]));
  return JSON.stringify([...study, ...series]);
}

/** The grouping signature of one series of an existing image set's document. */
export function documentSignature(document: MetadataDocument, seriesInstanceUid: string): string {
  return groupingSignature({
    patient: document.Patient.DICOM,
    study: document.Study.DICOM,
    series: document.Study.Series[seriesInstanceUid]?.DICOM ?? { SeriesInstanceUID: seriesInstanceUid },
  });
}
