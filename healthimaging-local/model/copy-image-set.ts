/**
 * CopyImageSet rules of the service: the `copiableAttributes` subset, the selection of
 * what is copied, and the merge into an existing destination.
 *
 * Synchronous ValidationException: `copiableAttributes` that is not a string of 1..260000
 * characters, not JSON, or not shaped as
 * `{"SchemaVersion"?: 1.1, "Study": {"Series": {"<SeriesUID>": {"Instances"?: {"<SOPUID>": {}}}}}}`,
 * and a listed Series or SOP Instance that the source image set does not hold.
 *
 * Asynchronous failure (mergeIntoDestination returns ok:false; the destination version ends
 * COPY_FAILED with the message), decided against the destination's document:
 * - Without `force`, source and destination must agree at each level, checked in this order:
 *   Patient: PatientID (an import grouping key) must be equal;
 *   Study: StudyInstanceUID, StudyDate, AccessionNumber and StudyID (the study grouping keys
 *          of an import) must be equal;
 *   Series: every copied Series must already exist in the destination (same SeriesInstanceUID)
 *          with an equal SeriesNumber (the series grouping key).
 *   A grouping key that is empty (absent, null or padding only) only equals another empty value.
 *   Any other attribute of those levels conflicts only when both sides hold a non-empty value and
 *   the values differ (text padding ignored); an attribute that only one side holds is no conflict,
 *   and one the destination lacks is filled in from the source.
 * - With `force` the level checks are skipped, the destination's own Patient / Study / Series
 *   metadata is kept unchanged, a Series the destination lacks is added with the source's
 *   Series-level DICOM, and only instances come over.
 * - Either way a copied SOP Instance UID that the destination already holds fails the copy:
 *   SOP Instance UIDs are unique within an image set, and overwriting would silently discard the
 *   destination's own frames for that instance, which a merge must never do.
 *
 * Messages name levels only, never DICOM values or UIDs (patient data).
 */
import { validation } from '../shapes/errors';
import { parseBoundedJson } from '../shapes/json-limits';
import type { DicomAttributes, MetadataDocument, SeriesNode } from '../shapes/metadata-document';
import { deepClone, dicomValuesEqual, hasOwn, isEmptyDicomValue, isPlainObject } from './rules-json';

export interface CopySelection {
  series: Record<string, { instances?: string[] }>;
}

const MAX_COPIABLE_CHARS = 260000;
const UID_KEY = /^[0-9.]{1,64}$/;

const PATIENT_GROUPING_KEYS = ['PatientID'];
const STUDY_GROUPING_KEYS = ['StudyInstanceUID', 'StudyDate', 'AccessionNumber', 'StudyID'];
const SERIES_GROUPING_KEYS = ['SeriesInstanceUID', 'SeriesNumber'];

function requireObject(where: string, value: unknown): Record<string, unknown> {
  if (!isPlainObject(value)) throw validation(`copiableAttributes: ${where} must be a JSON object.`);
  return value;
}

function allowOnlyKeys(where: string, node: Record<string, unknown>, allowed: readonly string[]): void {
  for (const key of Object.keys(node)) {
    if (!allowed.includes(key)) {
      const shown = /^[A-Za-z0-9]{1,64}$/.test(key) ? key : 'a key';
      throw validation(`copiableAttributes: ${shown} is not allowed in ${where}, expected ${allowed.join(', ')}.`);
    }
  }
}

/** Parses the `copiableAttributes` JSON string into the series / instances to copy. */
export function parseCopiableAttributes(json: unknown): CopySelection {
  if (typeof json !== 'string') throw validation('copiableAttributes must be a JSON string.');
  if (json.length < 1 || json.length > MAX_COPIABLE_CHARS) {
    throw validation(`copiableAttributes must be between 1 and ${MAX_COPIABLE_CHARS} characters long.`);
  }
  const parsed = parseBoundedJson(json, 'copiableAttributes', 'copiableAttributes is not a JSON document.');
  const doc = requireObject('the document', parsed);
  allowOnlyKeys('the top level', doc, ['SchemaVersion', 'Study']);
  if (hasOwn(doc, 'SchemaVersion') && doc.SchemaVersion !== 1.1 && doc.SchemaVersion !== '1.1') {
    throw validation('copiableAttributes: SchemaVersion must be 1.1.');
  }
  if (!hasOwn(doc, 'Study')) throw validation('copiableAttributes must contain Study.Series.');
  const study = requireObject('Study', doc.Study);
  allowOnlyKeys('Study', study, ['Series']);
  const seriesMap = requireObject('Study.Series', study.Series);
  if (Object.keys(seriesMap).length === 0) throw validation('copiableAttributes must name at least one Series.');
  const selection: CopySelection = { series: {} };
  for (const [seriesUid, rawSeries] of Object.entries(seriesMap)) {
    if (!UID_KEY.test(seriesUid))
      throw validation('copiableAttributes: Study.Series keys must be Series Instance UIDs.');
    const series = requireObject('a Series entry', rawSeries);
    allowOnlyKeys('a Series entry', series, ['Instances']);
    if (!hasOwn(series, 'Instances')) {
      selection.series[seriesUid] = {};
      continue;
    }
    const instances = requireObject('Instances', series.Instances);
    const sopUids = Object.keys(instances);
    if (sopUids.length === 0) throw validation('copiableAttributes: Instances must name at least one SOP Instance.');
    for (const sopUid of sopUids) {
      if (!UID_KEY.test(sopUid)) throw validation('copiableAttributes: Instances keys must be SOP Instance UIDs.');
      const entry = requireObject('an Instance entry', instances[sopUid]);
      if (Object.keys(entry).length !== 0)
        throw validation('copiableAttributes: an Instance entry must be an empty object.');
    }
    selection.series[seriesUid] = { instances: sopUids };
  }
  return selection;
}

/** The part of `source` to copy: all of it without a selection, else the selected series / instances. */
export function selectForCopy(source: MetadataDocument, selection?: CopySelection): MetadataDocument {
  const copy = deepClone(source);
  if (!selection) return copy;
  const series: Record<string, SeriesNode> = {};
  for (const [seriesUid, wanted] of Object.entries(selection.series)) {
    const sourceSeries = hasOwn(copy.Study.Series, seriesUid) ? copy.Study.Series[seriesUid] : undefined;
    if (!sourceSeries) throw validation('copiableAttributes names a Series that is not in the source image set.');
    if (!wanted.instances) {
      series[seriesUid] = sourceSeries;
      continue;
    }
    const instances: SeriesNode['Instances'] = {};
    for (const sopUid of wanted.instances) {
      const instance = hasOwn(sourceSeries.Instances, sopUid) ? sourceSeries.Instances[sopUid] : undefined;
      if (!instance) {
        throw validation('copiableAttributes names a SOP Instance that is not in the source image set.');
      }
      instances[sopUid] = instance;
    }
    series[seriesUid] = { DICOM: sourceSeries.DICOM, Instances: instances };
  }
  copy.Study.Series = series;
  return copy;
}

function mismatch(level: 'Patient' | 'Study' | 'Series'): { ok: false; message: string } {
  return { ok: false, message: `INVALID_REQUEST: ${level} of SourceImageSet and DestinationImageSet don't match.` };
}

function levelsAgree(source: DicomAttributes, destination: DicomAttributes, groupingKeys: readonly string[]): boolean {
  for (const key of groupingKeys) {
    const a = source[key];
    const b = destination[key];
    if (isEmptyDicomValue(a) !== isEmptyDicomValue(b)) return false;
    if (!isEmptyDicomValue(a) && !dicomValuesEqual(a, b)) return false;
  }
  for (const [key, value] of Object.entries(source)) {
    if (groupingKeys.includes(key) || isEmptyDicomValue(value) || isEmptyDicomValue(destination[key])) continue;
    if (!dicomValuesEqual(value, destination[key])) return false;
  }
  return true;
}

function fillMissing(destination: DicomAttributes, source: DicomAttributes): void {
  for (const [key, value] of Object.entries(source)) {
    if (isEmptyDicomValue(destination[key]) && !isEmptyDicomValue(value)) destination[key] = deepClone(value);
  }
}

/**
 * Merges the copied subset into the destination (see the file comment for what is compared).
 * `destination` undefined means a new image set: the subset itself is the new document.
 */
export function mergeIntoDestination(
  subset: MetadataDocument,
  destination: MetadataDocument | undefined,
  opts: { force: boolean },
): { ok: true; doc: MetadataDocument } | { ok: false; message: string } {
  if (!destination) return { ok: true, doc: deepClone(subset) };
  const merged = deepClone(destination);
  if (!opts.force) {
    if (!levelsAgree(subset.Patient.DICOM, merged.Patient.DICOM, PATIENT_GROUPING_KEYS)) return mismatch('Patient');
    if (!levelsAgree(subset.Study.DICOM, merged.Study.DICOM, STUDY_GROUPING_KEYS)) return mismatch('Study');
    for (const [seriesUid, series] of Object.entries(subset.Study.Series)) {
      const target = hasOwn(merged.Study.Series, seriesUid) ? merged.Study.Series[seriesUid] : undefined;
      if (!target || !levelsAgree(series.DICOM, target.DICOM, SERIES_GROUPING_KEYS)) return mismatch('Series');
    }
  }
  const destinationSops = new Set(
    Object.values(merged.Study.Series).flatMap((series) => Object.keys(series.Instances)),
  );
  for (const series of Object.values(subset.Study.Series)) {
    if (Object.keys(series.Instances).some((sopUid) => destinationSops.has(sopUid))) {
      return {
        ok: false,
        message: 'INVALID_REQUEST: SOP Instance of SourceImageSet already exists in DestinationImageSet.',
      };
    }
  }
  if (!opts.force) {
    fillMissing(merged.Patient.DICOM, subset.Patient.DICOM);
    fillMissing(merged.Study.DICOM, subset.Study.DICOM);
  }
  for (const [seriesUid, series] of Object.entries(subset.Study.Series)) {
    const target = hasOwn(merged.Study.Series, seriesUid) ? merged.Study.Series[seriesUid] : undefined;
    if (!target) {
      merged.Study.Series[seriesUid] = deepClone(series);
      continue;
    }
    if (!opts.force) fillMissing(target.DICOM, series.DICOM);
    Object.assign(target.Instances, deepClone(series.Instances));
  }
  return { ok: true, doc: merged };
}

/** Image frames a document references: the per-copy quota (1,000) is counted with this. */
export function countFrames(doc: MetadataDocument): number {
  let frames = 0;
  for (const series of Object.values(doc.Study.Series)) {
    for (const instance of Object.values(series.Instances)) frames += instance.ImageFrames.length;
  }
  return frames;
}
