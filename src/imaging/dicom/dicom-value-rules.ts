/**
 * Whether ONE value fits its DICOM value representation (PS3.5 section 6.2, table 6.2-1), in the
 * JSON form a HealthImaging metadata document holds it: text VRs are strings (trailing space
 * padding allowed, UI padded with NUL), IS and DS may also be JSON numbers, PN a `^`/`=` string or
 * a DICOM JSON object `{Alphabetic, Ideographic, Phonetic}`, binary numbers are JSON numbers, bulk
 * binary values base64, AT an 8-hex-digit tag. Splitting a multi-valued element into its values,
 * the value multiplicity and sequences are the caller's (dicom-vr-rules.ts).
 *
 * Each check answers the rule the value breaks, or undefined. Rules name the VR and the format,
 * never the value: values are patient data.
 */

/** A broken rule, as a sentence fragment, e.g. `DA must be YYYYMMDD (a valid calendar date)`. */
export type BrokenRule = string;

/** PS3.5 6.1.2.1: the default repertoire is G0 of ISO 646 (printable ASCII). */
const DEFAULT_REPERTOIRE = /^[\x20-\x7e]*$/;
/** C0, DEL and C1 controls, except ESC (code extensions, PS3.5 6.1.3). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point of this rule
const CONTROL_EXCEPT_ESC = /[\x00-\x1a\x1c-\x1f\x7f-\x9f]/;
/** Text VRs (ST, LT, UT) may also hold TAB, LF, FF and CR (PS3.5 6.1.3). */
// eslint-disable-next-line no-control-regex -- as above, for the text VRs
const CONTROL_EXCEPT_TEXT_FORMATTING = /[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f\x7f-\x9f]/;

const DA = /^(\d{4})(\d{2})(\d{2})$/;
const TM = /^(\d{2})(?:(\d{2})(?:(\d{2})(?:\.\d{1,6})?)?)?$/;
const DT =
  /^(\d{4})(?:(\d{2})(?:(\d{2})(?:(\d{2})(?:(\d{2})(?:(\d{2})(?:\.\d{1,6})?)?)?)?)?)?(?:([+-])(\d{2})(\d{2}))?$/;
const DS = /^ *[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)? *$/;
const IS = /^ *[+-]?\d+ *$/;
const UI = /^(?:0|[1-9]\d*)(?:\.(?:0|[1-9]\d*))*$/;
const AS = /^\d{3}[DWMY]$/;
const CS = /^[A-Z0-9 _]*$/;
const AT = /^[0-9A-Fa-f]{8}$/;
/** RFC 3986 characters: unreserved, reserved and percent-encoded octets. */
const UR = /^(?:[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const INT32: [number, number] = [-(2 ** 31), 2 ** 31 - 1];
const INTEGER_RANGE: Record<string, [number, number]> = {
  US: [0, 0xffff],
  SS: [-0x8000, 0x7fff],
  UL: [0, 0xffffffff],
  SL: INT32,
  // JSON numbers hold 64-bit integers exactly only up to 2^53.
  SV: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  UV: [0, Number.MAX_SAFE_INTEGER],
};
const FLOAT32_MAX = 3.4028234663852886e38;
/** Bytes per word of the bulk binary VRs (a base64 value must decode to whole words). */
const BULK_WORD_BYTES: Record<string, number> = { OB: 1, UN: 1, OW: 2, OF: 4, OL: 4, OD: 8, OV: 8 };
/** PS3.5 table 6.2-1 maxima, in characters (bytes for the ASCII-only VRs). */
const MAX_LENGTH = {
  AE: 16,
  CS: 16,
  DS: 16,
  IS: 12,
  LO: 64,
  LT: 10240,
  SH: 16,
  ST: 1024,
  UI: 64,
  UC: 2 ** 32 - 2,
  UR: 2 ** 32 - 2,
  UT: 2 ** 32 - 2,
} as const satisfies Record<string, number>;
const PN_GROUPS = ['Alphabetic', 'Ideographic', 'Phonetic'] as const;
const PN_GROUP_MAX = 64;

/** VRs whose values are strings of text (and, for IS/DS, numbers). */
const TEXT_VRS: ReadonlySet<string> = new Set([
  'AE',
  'AS',
  'CS',
  'DA',
  'DS',
  'DT',
  'IS',
  'LO',
  'LT',
  'PN',
  'SH',
  'ST',
  'TM',
  'UC',
  'UI',
  'UR',
  'UT',
]);
/** VRs that only ever hold one value, so a backslash is part of it (PS3.5 6.2). */
export const SINGLE_VALUE_VRS: ReadonlySet<string> = new Set([
  'LT',
  'ST',
  'UT',
  'UR',
  'OB',
  'OD',
  'OF',
  'OL',
  'OV',
  'OW',
  'UN',
]);
function charLength(text: string): number {
  let n = 0;
  for (const _ of text) n += 1;
  return n;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function isCalendarDate(year: number, month: number | undefined, day: number | undefined): boolean {
  if (month === undefined) return true;
  if (month < 1 || month > 12) return false;
  if (day === undefined) return true;
  const days = [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return days !== undefined && day >= 1 && day <= days;
}

function isClockTime(hours: number | undefined, minutes: number | undefined, seconds: number | undefined): boolean {
  // PS3.5 allows second 60 for leap seconds.
  return (
    (hours === undefined || hours <= 23) &&
    (minutes === undefined || minutes <= 59) &&
    (seconds === undefined || seconds <= 60)
  );
}

const num = (digits: string | undefined): number | undefined => (digits === undefined ? undefined : Number(digits));

function dateRule(text: string): BrokenRule | undefined {
  if (/^\d{0,8}-\d{0,8}$/.test(text)) return 'DA must be a single date YYYYMMDD (ranges are for queries, not updates)';
  const m = DA.exec(text);
  if (!m || !isCalendarDate(Number(m[1]), num(m[2]), num(m[3]))) return 'DA must be YYYYMMDD (a valid calendar date)';
  return undefined;
}

function timeRule(text: string): BrokenRule | undefined {
  if (/^[\d.]*-[\d.]*$/.test(text)) return 'TM must be a single time (ranges are for queries, not updates)';
  const m = TM.exec(text);
  if (!m || !isClockTime(num(m[1]), num(m[2]), num(m[3]))) {
    return 'TM must be HH[MM[SS[.FFFFFF]]] (hours 00-23, minutes 00-59, seconds 00-60, 1 to 6 fraction digits)';
  }
  return undefined;
}

function dateTimeRule(text: string): BrokenRule | undefined {
  const m = DT.exec(text);
  const valid =
    m !== null &&
    isCalendarDate(Number(m[1]), num(m[2]), num(m[3])) &&
    isClockTime(num(m[4]), num(m[5]), num(m[6])) &&
    (m[7] === undefined || offsetFits(m[7], Number(m[8]), Number(m[9])));
  if (!valid) {
    return 'DT must be YYYY[MM[DD[HH[MM[SS[.FFFFFF]]]]]] with an optional UTC offset &HHMM from -1200 to +1400 (a valid date and time)';
  }
  return undefined;
}

function offsetFits(sign: string, hours: number, minutes: number): boolean {
  if (minutes > 59) return false;
  const total = hours * 60 + minutes;
  return sign === '+' ? total <= 14 * 60 : total <= 12 * 60;
}

function personNameGroupRule(group: string): BrokenRule | undefined {
  if (group.split('^').length > 5)
    return 'PN allows at most 5 components per group (family^given^middle^prefix^suffix)';
  if (charLength(group.replace(/ +$/, '')) > PN_GROUP_MAX)
    return `PN component groups must be at most ${PN_GROUP_MAX} characters`;
  if (CONTROL_EXCEPT_ESC.test(group) || group.includes('\\'))
    return 'PN may not contain backslashes or control characters';
  return undefined;
}

function personNameRule(value: unknown): BrokenRule | undefined {
  if (typeof value === 'string') {
    const groups = value.split('=');
    if (groups.length > 3) return 'PN allows at most 3 component groups (alphabetic=ideographic=phonetic)';
    for (const group of groups) {
      const rule = personNameGroupRule(group);
      if (rule) return rule;
    }
    return undefined;
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const entries = Object.entries(value);
    if (
      !entries.every(
        ([key, text]) =>
          (PN_GROUPS as readonly string[]).includes(key) && typeof text === 'string' && !text.includes('='),
      )
    ) {
      return 'PN as an object may only hold Alphabetic, Ideographic and Phonetic strings';
    }
    for (const [, group] of entries) {
      const rule = personNameGroupRule(group as string);
      if (rule) return rule;
    }
    return undefined;
  }
  return 'PN must be a string (family^given^middle^prefix^suffix) or an object of Alphabetic, Ideographic and Phonetic strings';
}

function integerStringRule(value: unknown): BrokenRule | undefined {
  let n: number;
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) return 'IS must be an integer';
    n = value;
  } else if (typeof value === 'string') {
    if (value.replace(/ +$/, '').length > MAX_LENGTH.IS || !IS.test(value))
      return 'IS must be an integer string of at most 12 characters';
    n = Number(value.trim());
  } else {
    return 'IS must be an integer or an integer string';
  }
  return n >= INT32[0] && n <= INT32[1] ? undefined : 'IS must be between -2147483648 and 2147483647';
}

function decimalStringRule(value: unknown): BrokenRule | undefined {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return 'DS must be a finite number';
    return String(value).length > MAX_LENGTH.DS ? 'DS must be writable in at most 16 characters' : undefined;
  }
  if (typeof value !== 'string') return 'DS must be a decimal number or a decimal string';
  if (!DS.test(value)) return 'DS must be a decimal string (fixed point or exponent form)';
  if (value.replace(/ +$/, '').length > MAX_LENGTH.DS) return 'DS must be at most 16 characters';
  return Number.isFinite(Number(value.trim())) ? undefined : 'DS must be a finite number';
}

/** Text VRs other than PN, IS and DS, given as a string. */
function textRule(text: string, vr: string): BrokenRule | undefined {
  // Trailing spaces pad to even length (NUL for UI) and are not part of the value.
  const value = vr === 'UI' ? text.replace(/\0$/, '') : text.replace(/ +$/, '');
  if (value === '') return undefined;
  // A VR without a maximum (none today among text VRs) is bounded by the payload limit only.
  const max: number = (MAX_LENGTH as Record<string, number>)[vr] ?? Number.POSITIVE_INFINITY;
  switch (vr) {
    case 'DA':
      return dateRule(value);
    case 'TM':
      return timeRule(value);
    case 'DT':
      return dateTimeRule(value);
    case 'AS':
      return AS.test(value) ? undefined : 'AS must be nnnD, nnnW, nnnM or nnnY';
    case 'UI':
      if (value.length > max) return 'UI must be at most 64 characters';
      return UI.test(value) ? undefined : 'UI must be dot-separated numeric components without leading zeros';
    case 'CS':
      if (value.length > max) return 'CS must be at most 16 characters';
      return CS.test(value) ? undefined : 'CS may only contain uppercase letters, digits, spaces and underscores';
    case 'AE':
      if (value.length > max) return 'AE must be at most 16 characters';
      return DEFAULT_REPERTOIRE.test(value) && !value.includes('\\')
        ? undefined
        : 'AE may only contain printable ASCII characters other than backslash';
    case 'UR':
      return UR.test(value) ? undefined : 'UR must be a URI or URI reference (RFC 3986 characters, no spaces)';
    case 'LO':
    case 'SH':
    case 'UC':
      if (charLength(value) > max) return `${vr} must be at most ${max} characters`;
      return CONTROL_EXCEPT_ESC.test(value) || value.includes('\\')
        ? `${vr} may not contain backslashes or control characters`
        : undefined;
    case 'ST':
    case 'LT':
    case 'UT':
      if (charLength(value) > max) return `${vr} must be at most ${max} characters`;
      return CONTROL_EXCEPT_TEXT_FORMATTING.test(value)
        ? `${vr} may not contain control characters other than TAB, LF, FF, CR and ESC`
        : undefined;
    default:
      return undefined;
  }
}

function bulkRule(value: unknown, vr: string, word: number): BrokenRule | undefined {
  const rule = word === 1 ? `${vr} must be base64-encoded bytes` : `${vr} must be base64 of whole ${word}-byte words`;
  if (typeof value !== 'string' || !BASE64.test(value)) return rule;
  const padding = value.endsWith('==') ? 2 : value.endsWith('=') ? 1 : 0;
  return ((value.length / 4) * 3 - padding) % word === 0 ? undefined : rule;
}

/**
 * The rule one value of a standard VR breaks, or undefined when it fits. `null` and `''` are empty
 * values, which every VR allows. Pseudo-VRs of the registry (`xs`, `ox`, ...) are the caller's.
 */
export function singleValueRule(value: unknown, vr: string): BrokenRule | undefined {
  if (value === null || value === '') return undefined;
  const range = INTEGER_RANGE[vr];
  if (range) {
    return typeof value === 'number' && Number.isInteger(value) && value >= range[0] && value <= range[1]
      ? undefined
      : `${vr} must be an integer from ${range[0]} to ${range[1]}`;
  }
  switch (vr) {
    case 'FL':
      return typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= FLOAT32_MAX
        ? undefined
        : 'FL must be a finite number within single-precision range';
    case 'FD':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : 'FD must be a finite number';
    case 'AT':
      return typeof value === 'string' && AT.test(value) ? undefined : 'AT must be an 8-hex-digit tag GGGGEEEE';
    case 'PN':
      return personNameRule(value);
    case 'IS':
      return integerStringRule(value);
    case 'DS':
      return decimalStringRule(value);
  }
  const word = BULK_WORD_BYTES[vr];
  if (word !== undefined) return bulkRule(value, vr, word);
  if (!TEXT_VRS.has(vr)) return `${vr} values cannot be checked`;
  return typeof value === 'string' ? textRule(value, vr) : `${vr} must be a string`;
}
