/**
 * Whether a JSON value (as the metadata document holds it) is a valid value for a VR. Value shapes
 * follow the document (docs/healthimaging-behaviour.md#metadata-document): strings for text VRs
 * (trailing padding allowed, several values either as an array or backslash-separated), numbers for
 * binary numeric VRs, base64 strings for bulk binary VRs, arrays of objects for sequences, null for
 * empty. Lengths and character repertoires come from DICOM PS3.5 table 6.2-1.
 */
import { isPlainObject } from './rules-json';

const MAX_LENGTH: Record<string, number> = {
  AE: 16,
  AS: 4,
  CS: 16,
  DA: 8,
  DS: 16,
  DT: 26,
  IS: 12,
  LO: 64,
  LT: 10240,
  PN: 64 * 3 + 2,
  SH: 16,
  ST: 1024,
  TM: 14,
  UI: 64,
  UC: 2 ** 32 - 2,
  UR: 2 ** 32 - 2,
  UT: 2 ** 32 - 2,
};

const AT_PATTERN = /^[0-9A-Fa-f]{8}$/;

const PATTERN: Record<string, RegExp> = {
  AS: /^\d{3}[DWMY]$/,
  CS: /^[A-Z0-9 _]*$/,
  DA: /^\d{8}$/,
  DS: /^ *[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)? *$/,
  DT: /^\d{4}(\d{2}(\d{2}(\d{2}(\d{2}(\d{2}(\.\d{1,6})?)?)?)?)?)?([+-]\d{4})?$/,
  IS: /^ *[+-]?\d+ *$/,
  TM: /^\d{2}(\d{2}(\d{2}(\.\d{1,6})?)?)?$/,
  UI: /^(0|[1-9]\d*)(\.(0|[1-9]\d*))*$/,
  AT: AT_PATTERN,
};

const INTEGER_RANGE: Record<string, [number, number]> = {
  US: [0, 0xffff],
  SS: [-0x8000, 0x7fff],
  UL: [0, 0xffffffff],
  SL: [-0x80000000, 0x7fffffff],
  SV: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  UV: [0, Number.MAX_SAFE_INTEGER],
};

/** VRs whose single value may itself contain a backslash (PS3.5 6.2: not multi-valued). */
const SINGLE_VALUE_TEXT_VRS = new Set(['LT', 'ST', 'UT', 'UR']);
const BULK_BINARY_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'UN']);
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The registry uses these for elements whose VR depends on context (PS3.6 "US or SS" etc.). */
function candidateVrs(vr: string): string[] {
  switch (vr) {
    case 'xs':
      return ['US', 'SS'];
    case 'ox':
      return ['OB', 'OW'];
    case 'lt':
      return ['US', 'OW'];
    case 'up':
      return ['UL'];
    default:
      return [vr];
  }
}

function trimPadding(text: string): string {
  return text.replace(/[ \0]+$/, '');
}

function singleValueFits(value: unknown, vr: string): boolean {
  if (value === null) return true;
  const range = INTEGER_RANGE[vr];
  if (range) return typeof value === 'number' && Number.isInteger(value) && value >= range[0] && value <= range[1];
  if (vr === 'FL' || vr === 'FD') return typeof value === 'number' && Number.isFinite(value);
  if (BULK_BINARY_VRS.has(vr)) return typeof value === 'string' && value.length % 4 === 0 && BASE64.test(value);
  if (vr === 'IS' && typeof value === 'number') return Number.isInteger(value) && Math.abs(value) < 2 ** 31;
  if (vr === 'DS' && typeof value === 'number') return Number.isFinite(value);
  if (vr === 'PN' && isPlainObject(value)) {
    // DICOM JSON person name: {Alphabetic?, Ideographic?, Phonetic?}.
    return Object.entries(value).every(
      ([group, text]) =>
        ['Alphabetic', 'Ideographic', 'Phonetic'].includes(group) && typeof text === 'string' && text.length <= 64,
    );
  }
  if (typeof value !== 'string') return false;
  const text = trimPadding(value);
  const max = MAX_LENGTH[vr];
  if (max === undefined) return false;
  if (text.length > max) return false;
  if (text.length === 0) return true;
  const pattern = PATTERN[vr];
  return pattern ? pattern.test(text) : true;
}

/** The individual values a JSON value carries for a (non-sequence) VR. */
function valuesOf(value: unknown, vr: string): unknown[] {
  if (Array.isArray(value)) return value;
  if (typeof value === 'string' && !SINGLE_VALUE_TEXT_VRS.has(vr) && !BULK_BINARY_VRS.has(vr)) {
    return value.split('\\');
  }
  return [value];
}

/** True when the JSON value is a valid value of the given VR (registry pseudo-VRs included). */
export function valueFitsVr(value: unknown, vr: string): boolean {
  if (value === null) return true;
  if (vr === 'SQ') return Array.isArray(value) && value.every(isPlainObject);
  if (vr === 'na') return false;
  return candidateVrs(vr).some((candidate) => {
    if (candidate === 'AT' && typeof value === 'string') return value.split('\\').every((v) => AT_PATTERN.test(v));
    return valuesOf(value, candidate).every((item) => singleValueFits(item, candidate));
  });
}

/** True when the JSON value carries more than one value (an array, or backslash-separated text). */
export function carriesMultipleValues(value: unknown, vr: string): boolean {
  if (vr === 'SQ') return false;
  return valuesOf(value, vr).length > 1;
}
