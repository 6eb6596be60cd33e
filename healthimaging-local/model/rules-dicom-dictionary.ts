/**
 * DICOM data dictionary look-ups for the metadata rules, backed by dcmjs (its PS3.6 registry),
 * so that no keyword, VR or VM is typed by hand here.
 */

interface DcmjsDictionaryEntry {
  tag: string;
  vr: string;
  vm: string;
  name: string;
}

interface DcmjsMetaDictionary {
  nameMap: Record<string, DcmjsDictionaryEntry | undefined>;
  dictionary: Record<string, DcmjsDictionaryEntry | undefined>;
}

// dcmjs ships no type declarations; this is the slice of its API the rules use.
const dcmjs = require('dcmjs') as { data: { DicomMetaDictionary: DcmjsMetaDictionary } };
const { nameMap, dictionary } = dcmjs.data.DicomMetaDictionary;

export interface ElementDefinition {
  keyword: string;
  /** `(GGGG,EEEE)` as in the registry (repeating groups keep their `xx`). */
  tag: string;
  vr: string;
  vm: string;
}

const HEX_TAG = /^[0-9A-Fa-f]{8}$/;

/** The registry entry for a standard keyword, or undefined when the keyword is not in PS3.6. */
export function elementByKeyword(keyword: string): ElementDefinition | undefined {
  if (!Object.prototype.hasOwnProperty.call(nameMap, keyword)) return undefined;
  const entry = nameMap[keyword];
  if (!entry || entry.name !== keyword) return undefined;
  return { keyword: entry.name, tag: entry.tag, vr: entry.vr, vm: entry.vm };
}

/** True for the 8-hex-digit keys the metadata document uses for private and unknown elements. */
export function isHexTagKey(key: string): boolean {
  return HEX_TAG.test(key);
}

/** Private elements live in odd groups (PS3.5 section 7.8), private creators included. */
export function isPrivateTagKey(key: string): boolean {
  return isHexTagKey(key) && parseInt(key.slice(0, 4), 16) % 2 === 1;
}

/** The registry entry of a standard element given as an 8-hex key, if the tag is a standard one. */
export function elementByHexTag(key: string): ElementDefinition | undefined {
  if (!isHexTagKey(key) || isPrivateTagKey(key)) return undefined;
  const punctuated = `(${key.slice(0, 4).toUpperCase()},${key.slice(4).toUpperCase()})`;
  const entry = dictionary[punctuated];
  if (!entry || !entry.name) return undefined;
  return { keyword: entry.name, tag: entry.tag, vr: entry.vr, vm: entry.vm };
}

/** A VM other than exactly "1" (e.g. `2`, `1-n`, `2-2n`) means the element may hold several values. */
export function isMultiValuedVm(vm: string): boolean {
  return vm !== '1';
}

/** Every two-letter VR of PS3.5 table 6.2-1: the values a `DICOMVRs` entry may take. */
export const STANDARD_VRS: ReadonlySet<string> = new Set([
  'AE', 'AS', 'AT', 'CS', 'DA', 'DS', 'DT', 'FD', 'FL', 'IS', 'LO', 'LT', 'OB', 'OD', 'OF', 'OL',
  'OV', 'OW', 'PN', 'SH', 'SL', 'SQ', 'SS', 'ST', 'SV', 'TM', 'UC', 'UI', 'UL', 'UN', 'UR', 'US',
  'UT', 'UV',
]);
