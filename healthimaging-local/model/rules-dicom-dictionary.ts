/**
 * DICOM data dictionary look-ups for the metadata rules. They go through the stand-in's one door
 * to dcmjs (`../dicom/dcmjs`, its PS3.6 registry) and reuse the import's key decision
 * (`elementKey`), so an update accepts exactly the keys an import writes: keywords for standard
 * elements, 8-hex tags for private, repeating-group (50xx/60xx) and unknown ones.
 */
import { DicomMetaDictionary } from '../dicom/dcmjs';
import { elementKey } from '../dicom/element-values';

export interface ElementDefinition {
  keyword: string;
  /** `(GGGG,EEEE)` as in the registry. */
  tag: string;
  vr: string;
  vm: string;
}

const HEX_TAG = /^[0-9A-Fa-f]{8}$/;

/** The registry entry for a standard keyword, or undefined when the keyword is not in PS3.6. */
export function elementByKeyword(keyword: string): ElementDefinition | undefined {
  if (!Object.prototype.hasOwnProperty.call(DicomMetaDictionary.nameMap, keyword)) return undefined;
  const entry = DicomMetaDictionary.nameMap[keyword];
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

/** Even-group elements the registry knows only as repeating groups (curves 50xx, overlays 60xx). */
export function isRepeatingGroupTagKey(key: string): boolean {
  if (!isHexTagKey(key)) return false;
  const high = parseInt(key.slice(0, 2), 16);
  return high === 0x50 || high === 0x60;
}

/** The keyword a hex key must be written as instead, when the document stores that element by keyword. */
export function keywordForHexTag(key: string): string | undefined {
  if (!isHexTagKey(key)) return undefined;
  const decided = elementKey(key);
  return decided.isTag ? undefined : decided.key;
}

/** A VM other than exactly "1" (e.g. `2`, `1-n`, `2-2n`) means the element may hold several values. */
export function isMultiValuedVm(vm: string): boolean {
  return vm !== '1';
}

/** Every two-letter VR of PS3.5 table 6.2-1: the values a `DICOMVRs` entry may take. */
export const STANDARD_VRS: ReadonlySet<string> = new Set([
  'AE',
  'AS',
  'AT',
  'CS',
  'DA',
  'DS',
  'DT',
  'FD',
  'FL',
  'IS',
  'LO',
  'LT',
  'OB',
  'OD',
  'OF',
  'OL',
  'OV',
  'OW',
  'PN',
  'SH',
  'SL',
  'SQ',
  'SS',
  'ST',
  'SV',
  'TM',
  'UC',
  'UI',
  'UL',
  'UN',
  'UR',
  'US',
  'UT',
  'UV',
]);
