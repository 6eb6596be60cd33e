import { types } from 'node:util';
import type { DicomAttributes } from '../shapes/metadata-document';
import { dictionaryEntry, type RawDataset, type RawElement } from './dcmjs';

/** ArrayBuffers may come from another realm (dcmjs bundles, test sandboxes): no instanceof. */
const isAnyArrayBuffer = (value: unknown): value is ArrayBuffer => types.isAnyArrayBuffer(value);

/**
 * Converts dcmjs raw elements into the value flavour of the HealthImaging metadata document
 * (docs/healthimaging-behaviour.md#metadata-document, and documents returned by the real service):
 * - keys are PS3.6 keywords; private, repeating-group and unknown elements use their 8-hex tag
 *   and report their VR in `DICOMVRs`;
 * - text stays text: DS and IS keep the characters as stored (the service returns "1 ",
 *   "-1000 "), other text VRs lose their padding; person names are the `^`/`=` string;
 * - binary numbers (US, SS, UL, ...) are JSON numbers;
 * - single-valued elements (VM 1 in the dictionary) are scalars, others arrays;
 * - sequences are arrays of objects of the same shape;
 * - empty elements are null; other binary values are base64 up to BULK_LIMIT_BYTES;
 * - pixel data is always null (frames are stored and served separately).
 */
export const BULK_LIMIT_BYTES = 1024 * 1024;

const NUMERIC_BINARY_VRS = new Set(['US', 'SS', 'UL', 'SL', 'FL', 'FD', 'SV', 'UV']);
const OPAQUE_BINARY_VRS = new Set(['OB', 'OW', 'OD', 'OF', 'OL', 'OV', 'UN']);
const RAW_TEXT_VRS = new Set(['DS', 'IS']);
const PIXEL_TAGS = new Set(['7FE00010', '7FE00008', '7FE00009']);
const SPECIFIC_CHARACTER_SET = '00080005';

export interface ElementKey {
  key: string;
  /** True when the key is a hex tag, whose VR the document must carry in DICOMVRs. */
  isTag: boolean;
  vm?: string;
}

function isRepeatingGroup(group: number): boolean {
  // Curve (50xx) and overlay (60xx) groups: one keyword stands for 128 groups, so keep the tag.
  return (group & 0xff00) === 0x5000 || (group & 0xff00) === 0x6000;
}

export function elementKey(tag: string): ElementKey {
  const upper = tag.toUpperCase();
  const group = parseInt(upper.slice(0, 4), 16);
  if (group % 2 === 1 || isRepeatingGroup(group)) return { key: upper, isTag: true };
  const entry = dictionaryEntry(upper);
  if (!entry || !entry.name || entry.tag.replace(/[(),]/g, '').toUpperCase() !== upper) {
    return { key: upper, isTag: true };
  }
  return { key: entry.name, isTag: false, vm: entry.vm };
}

function byteLength(value: unknown): number {
  if (isAnyArrayBuffer(value)) return value.byteLength;
  if (ArrayBuffer.isView(value)) return value.byteLength;
  return 0;
}

function toBuffer(value: unknown): Buffer {
  if (isAnyArrayBuffer(value)) return Buffer.from(value);
  if (ArrayBuffer.isView(value)) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  return Buffer.alloc(0);
}

function personName(value: unknown): string {
  if (typeof value === 'string') return value.trimEnd();
  if (value && typeof value === 'object') {
    const pn = value as { Alphabetic?: string; Ideographic?: string; Phonetic?: string };
    return [pn.Alphabetic ?? '', pn.Ideographic ?? '', pn.Phonetic ?? ''].join('=').replace(/=+$/, '').trimEnd();
  }
  return '';
}

function numberValue(value: unknown): number | string | null {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  return null;
}

function attributeTag(value: unknown): string {
  if (typeof value === 'number') return value.toString(16).toUpperCase().padStart(8, '0');
  return String(value).toUpperCase();
}

function rawTextValues(element: RawElement): string[] {
  const raw = element._rawValue;
  if (Array.isArray(raw)) return raw.map((v) => (v === null || v === undefined ? '' : String(v)));
  if (typeof raw === 'string') return raw.split('\\');
  return (element.Value ?? []).map((v) => (v === null || v === undefined ? '' : String(v)));
}

function isEmptyValue(value: unknown): boolean {
  return value === null || value === undefined || value === '';
}

/** The values of one element, as a list, before VM shaping; undefined for "empty". */
function elementValues(tag: string, element: RawElement, sinkVrs: Record<string, string>): unknown[] | undefined {
  const values = element.Value ?? [];
  const vr = element.vr;
  if (PIXEL_TAGS.has(tag)) return undefined;
  if (vr === 'SQ') {
    if (values.length === 0) return undefined;
    return [values.map((item) => convertDataset((item ?? {}) as RawDataset, sinkVrs))];
  }
  if (NUMERIC_BINARY_VRS.has(vr)) {
    const numbers = values.map(numberValue).filter((v) => v !== null);
    return numbers.length === 0 ? undefined : numbers;
  }
  if (OPAQUE_BINARY_VRS.has(vr)) {
    const total = values.reduce<number>((sum, v) => sum + byteLength(v), 0);
    if (total === 0 || total > BULK_LIMIT_BYTES) return undefined;
    return [Buffer.concat(values.map(toBuffer)).toString('base64')];
  }
  if (vr === 'AT') {
    return values.length === 0 ? undefined : values.map(attributeTag);
  }
  if (vr === 'PN') {
    const names = values.map(personName);
    return names.every(isEmptyValue) ? undefined : names;
  }
  if (tag === SPECIFIC_CHARACTER_SET) {
    // dcmjs decodes text to Unicode and rewrites this element to ISO_IR 192; keep what the file said.
    const texts = rawTextValues(element).map((t) => t.trim());
    return texts.every(isEmptyValue) ? undefined : texts;
  }
  if (RAW_TEXT_VRS.has(vr)) {
    const texts = rawTextValues(element);
    return texts.every((t) => t.trim() === '') ? undefined : texts;
  }
  const texts = values.map((v) => (v === null || v === undefined ? '' : String(v)));
  return texts.every(isEmptyValue) ? undefined : texts;
}

function shape(values: unknown[] | undefined, vr: string, vm: string | undefined): unknown {
  if (values === undefined) return null;
  if (vr === 'SQ') return values[0];
  if (OPAQUE_BINARY_VRS.has(vr)) return values[0];
  if (vm === '1') return values[0];
  if (vm === undefined && values.length === 1) return values[0];
  return values;
}

/** One element's document value. `sinkVrs` collects VRs of hex-keyed elements, nested ones too. */
export function convertElement(
  tag: string,
  element: RawElement,
  sinkVrs: Record<string, string>,
): { key: string; value: unknown } {
  const { key, isTag, vm } = elementKey(tag);
  if (isTag) sinkVrs[key] = element.vr;
  return { key, value: shape(elementValues(tag.toUpperCase(), element, sinkVrs), element.vr, vm) };
}

/** A whole dataset (or sequence item) in document form, in file order. */
export function convertDataset(dataset: RawDataset, sinkVrs: Record<string, string>): DicomAttributes {
  const out: DicomAttributes = {};
  for (const [tag, element] of Object.entries(dataset)) {
    const { key, value } = convertElement(tag, element, sinkVrs);
    out[key] = value;
  }
  return out;
}
