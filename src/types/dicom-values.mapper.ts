/**
 * Reads typed values out of the DICOM attribute maps of a HealthImaging metadata document, where
 * values keep their DICOM flavour: strings padded with spaces, numbers for binary VRs, arrays for
 * multi-valued elements, `null` for empty elements
 * (docs/healthimaging-behaviour.md#metadata-document).
 */

/** A string view of an attribute: padding trimmed, multiple values joined with DICOM's `\`. */
export function dicomString(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') {
    const trimmed = value.replace(/[\s\0]+$/, '');
    return trimmed === '' ? null : trimmed;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    const parts = value.map(dicomString).filter((part): part is string => part !== null);
    return parts.length === 0 ? null : parts.join('\\');
  }
  if (typeof value === 'object' && typeof (value as { Alphabetic?: unknown }).Alphabetic === 'string') {
    // The DICOM JSON model spells person names as {Alphabetic, Ideographic, Phonetic}.
    return dicomString((value as { Alphabetic: string }).Alphabetic);
  }
  return null;
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** An integer view of an attribute (IS strings, binary numbers, first of several values); null when not an int32. */
export function dicomInt(value: unknown): number | null {
  if (Array.isArray(value)) return value.length === 0 ? null : dicomInt(value[0]);
  let parsed: number;
  if (typeof value === 'number') parsed = value;
  else if (typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value.replace(/\0+$/, '')))
    parsed = Number.parseInt(value, 10);
  else return null;
  if (!Number.isInteger(parsed) || parsed < INT32_MIN || parsed > INT32_MAX) return null;
  return parsed;
}
