/** JSON helpers shared by the update, copy and search rules. */

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function deepClone<T>(value: T): T {
  return structuredClone(value);
}

/** DICOM pads text to an even length with spaces (UIDs with NUL); the padding carries no meaning. */
function withoutPadding(value: unknown): unknown {
  return typeof value === 'string' ? value.replace(/[ \0]+$/, '') : value;
}

/** Structural equality of two DICOM JSON values, ignoring trailing text padding. */
export function dicomValuesEqual(a: unknown, b: unknown): boolean {
  const left = withoutPadding(a);
  const right = withoutPadding(b);
  if (left === right) return true;
  if (Array.isArray(left) && Array.isArray(right)) {
    return left.length === right.length && left.every((item, i) => dicomValuesEqual(item, right[i]));
  }
  if (isPlainObject(left) && isPlainObject(right)) {
    const keys = Object.keys(left);
    if (keys.length !== Object.keys(right).length) return false;
    return keys.every(
      (key) => Object.prototype.hasOwnProperty.call(right, key) && dicomValuesEqual(left[key], right[key]),
    );
  }
  return false;
}

/** True when a DICOM JSON value holds nothing: null, empty/padding-only text, or an empty array. */
export function isEmptyDicomValue(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === 'string') return withoutPadding(value) === '';
  if (Array.isArray(value)) return value.length === 0;
  return false;
}

export function hasOwn(object: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, key);
}
