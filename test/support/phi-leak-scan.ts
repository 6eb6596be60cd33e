import type { SyntheticStudySpec } from '../../scripts/synthetic-studies';

/**
 * Finds patient values in text the gateway produced (log lines, errors, headers, audit records).
 * A value is a string a leak would carry verbatim; each spec contributes its patient's name (and
 * the name's longer components, in case something reformats it), ids, dates (also written
 * YYYY-MM-DD), accession number and descriptions, plus what `generateStudy` writes into every
 * instance (institution, referring physician, station, device serial number).
 */

/** Attribute values scripts/synthetic-studies.ts writes into every instance, whatever the spec. */
export const SYNTHETIC_FIXED_PHI = [
  'Synthetic Data General Hospital',
  'Synthetic^Referrer',
  'SYNTH01',
  'SYNTH-0001',
] as const;

/** Name components shorter than this ("Ms", "Ada") would match ordinary words. */
const MIN_COMPONENT_LENGTH = 4;

const isoDate = (value: string): string | undefined =>
  /^\d{8}$/.test(value) ? `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}` : undefined;

/** A person name in DICOM PN form, and its components long enough to be telling. */
export function nameValues(name: string): string[] {
  const components = name.split(/[\^=]/).filter((part) => part.length >= MIN_COMPONENT_LENGTH);
  return [name, ...components];
}

/** A date (YYYYMMDD) as stored, and as an ISO date a formatter might print. */
export function dateValues(date: string): string[] {
  const iso = isoDate(date);
  return iso ? [date, iso] : [date];
}

/** Every patient value a study spec puts into its instances, deduplicated. */
export function patientValuesOf(specs: readonly SyntheticStudySpec[]): string[] {
  const values = new Set<string>(SYNTHETIC_FIXED_PHI);
  for (const spec of specs) {
    for (const value of [
      ...nameValues(spec.patient.name),
      spec.patient.id,
      ...dateValues(spec.patient.birthDate),
      spec.accessionNumber,
      spec.studyId,
      ...dateValues(spec.studyDate),
      ...(spec.studyTime ? [spec.studyTime] : []),
      spec.studyDescription,
      ...spec.series.map((series) => series.description),
    ]) {
      values.add(value);
    }
  }
  return [...values];
}

const escape = (value: string): string => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * One matcher per value. Digit-only values (dates, times) must stand alone: random hex (request
 * ids, hashes, image set ids) contains short digit runs, and a time like 101500 would otherwise
 * be found in one by chance. Text values match anywhere, case-sensitively.
 */
export function leakMatchers(values: readonly string[]): Array<{ value: string; pattern: RegExp }> {
  return values.map((value) => ({
    value,
    pattern: /^\d+$/.test(value) ? new RegExp(`(?<![0-9A-Za-z])${value}(?![0-9A-Za-z])`) : new RegExp(escape(value)),
  }));
}

/** The values found in `text`. */
export function patientValuesIn(text: string, matchers: ReadonlyArray<{ value: string; pattern: RegExp }>): string[] {
  return matchers.filter(({ pattern }) => pattern.test(text)).map(({ value }) => value);
}
