import type { DicomAttributes } from '../shapes/metadata-document';
import { isCharacterSetError, readP10, type RawDataset } from './dcmjs';
import { DicomReadError } from './dicom-read-error';
import { convertElement } from './element-values';
import { levelOf } from './level-assignment';
import { coercionOfDataElements, type ImportWarning } from './import-warnings';
import { extractFrames, pixelModule, type PixelFrame, type PixelModule } from './pixel-frames';

/**
 * One DICOM P10 file, read and split the way the metadata document needs it: attributes per
 * level (values already in document flavour), the VRs of hex-keyed elements, and (in
 * ParsedInstance) the pixel data cut into frames. The file meta group stays at instance level,
 * as in the real service.
 */
export interface InstanceHeader {
  studyInstanceUid: string;
  seriesInstanceUid: string;
  sopInstanceUid: string;
  transferSyntaxUid: string;
  patient: DicomAttributes;
  study: DicomAttributes;
  series: DicomAttributes;
  instance: DicomAttributes;
  /** VRs of private / unknown elements (hex keys), for the instance's `DICOMVRs`. */
  vrs: Record<string, string>;
  /** What the import changed or could not honour while reading the file (WARNING lines). */
  warnings: ImportWarning[];
}

export interface ParsedInstance extends InstanceHeader {
  frames: PixelFrame[];
}

const PIXEL_DATA_TAG = '7FE00010';

const TAG = {
  transferSyntaxUid: '00020010',
  mediaStorageSopInstanceUid: '00020003',
  sopInstanceUid: '00080018',
  studyInstanceUid: '0020000D',
  seriesInstanceUid: '0020000E',
};

function uid(dataset: RawDataset, tag: string): string | undefined {
  const value = dataset[tag]?.Value?.[0];
  if (typeof value !== 'string') return undefined;
  const trimmed = value.replace(/\0/g, '').trim();
  return trimmed === '' ? undefined : trimmed;
}

function requireUid(dataset: RawDataset, tag: string, keyword: string): string {
  const value = uid(dataset, tag);
  if (!value) throw new DicomReadError('MISSING_ATTRIBUTE', `required attribute ${keyword} is missing or empty`);
  if (!/^[0-9.]{1,64}$/.test(value)) {
    throw new DicomReadError('MALFORMED', `${keyword} is not a valid UID`);
  }
  return value;
}

type Read = { meta: RawDataset; dict: RawDataset; truncated: boolean; coerced: boolean };

/** The first 132 bytes of a file (or all of a shorter one) must end in the DICM prefix. */
export function assertDicmPrefix(bytes: Uint8Array): void {
  if (bytes.length < 132 || Buffer.from(bytes.subarray(128, 132)).toString('latin1') !== 'DICM') {
    throw new DicomReadError('NOT_DICOM', 'not a DICOM Part 10 file (no DICM prefix after the 128-byte preamble)');
  }
}

function parse(bytes: Uint8Array): Read {
  assertDicmPrefix(bytes);
  try {
    return { ...readP10(bytes), coerced: false };
  } catch (error) {
    if (isCharacterSetError(error)) return readP10Lenient(bytes);
    // dcmjs messages can echo bytes of the file, so only the fact of the failure is reported.
    throw new DicomReadError(
      'TRUNCATED',
      'the DICOM data set ends before its last element is complete, or is malformed',
    );
  }
}

function readP10Lenient(bytes: Uint8Array): Read {
  try {
    return { ...readP10(bytes, true), coerced: true };
  } catch {
    throw new DicomReadError('MALFORMED', 'the DICOM data set cannot be decoded (character set or structure)');
  }
}

/**
 * A file cut exactly between two elements parses cleanly, so a cut before the pixel data shows
 * only as an image whose pixel data element is missing (the Image Pixel module requires one of
 * the pixel data elements whenever Rows and Columns are given, PS3.3 C.7.6.3).
 */
function lostPixelData(dict: RawDataset): boolean {
  const hasImageGeometry = dict['00280010'] !== undefined && dict['00280011'] !== undefined;
  const pixelTags = ['7FE00010', '7FE00008', '7FE00009', '00287FE0'];
  return hasImageGeometry && pixelTags.every((tag) => dict[tag] === undefined);
}

/** dcmjs consumes (0002,0000) without returning it; the service's documents keep it. */
function fileMetaGroupLength(bytes: Uint8Array): number | undefined {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length < 144 || b.readUInt32LE(132) !== 0x00000002 || b.toString('latin1', 136, 138) !== 'UL') return undefined;
  return b.readUInt32LE(140);
}

interface Dataset {
  meta: RawDataset;
  dict: RawDataset;
  coerced: boolean;
  transferSyntaxUid: string;
  studyInstanceUid: string;
  seriesInstanceUid: string;
  sopInstanceUid: string;
}

/** Parses and checks what every instance needs, in the order failures are reported. */
function readDataset(bytes: Uint8Array): Dataset {
  const { meta, dict, truncated, coerced } = parse(bytes);
  if (truncated) {
    throw new DicomReadError('TRUNCATED', 'the file is truncated: an element value runs past the end of the file');
  }
  const transferSyntaxUid = uid(meta, TAG.transferSyntaxUid);
  if (!transferSyntaxUid) {
    throw new DicomReadError('MISSING_ATTRIBUTE', 'required file meta attribute TransferSyntaxUID is missing');
  }
  const studyInstanceUid = requireUid(dict, TAG.studyInstanceUid, 'StudyInstanceUID');
  const seriesInstanceUid = requireUid(dict, TAG.seriesInstanceUid, 'SeriesInstanceUID');
  const sopInstanceUid = requireUid(dict, TAG.sopInstanceUid, 'SOPInstanceUID');
  return { meta, dict, coerced, transferSyntaxUid, studyInstanceUid, seriesInstanceUid, sopInstanceUid };
}

function buildHeader(bytes: Uint8Array, dataset: Dataset): InstanceHeader {
  const { meta, dict, coerced, transferSyntaxUid, studyInstanceUid, seriesInstanceUid, sopInstanceUid } = dataset;
  const header: InstanceHeader = {
    studyInstanceUid,
    seriesInstanceUid,
    sopInstanceUid,
    transferSyntaxUid,
    patient: {},
    study: {},
    series: {},
    instance: {},
    vrs: {},
    warnings: coerced ? [coercionOfDataElements()] : [],
  };
  const target = { Patient: header.patient, Study: header.study, Series: header.series, Instance: header.instance };
  const groupLength = fileMetaGroupLength(bytes);
  if (groupLength !== undefined) header.instance.FileMetaInformationGroupLength = groupLength;
  for (const [tag, element] of Object.entries(meta)) {
    const { key, value } = convertElement(tag, element, header.vrs);
    header.instance[key] = value;
  }
  for (const [tag, element] of Object.entries(dict)) {
    const { key, value } = convertElement(tag, element, header.vrs);
    target[levelOf(key)][key] = value;
  }
  return header;
}

/** A whole P10 file, its pixel data cut into frames in memory. */
export function readDicomInstance(bytes: Uint8Array): ParsedInstance {
  const dataset = readDataset(bytes);
  const frames = extractFrames(dataset.dict, dataset.transferSyntaxUid);
  if (frames.length === 0 && lostPixelData(dataset.dict)) {
    throw new DicomReadError(
      'TRUNCATED',
      'the file ends before its pixel data: Rows and Columns are present, Pixel Data is not',
    );
  }
  return { ...buildHeader(bytes, dataset), frames };
}

/**
 * A P10 file whose top-level Pixel Data element (of VR `pixelDataVr`) was cut out before parsing
 * (see locate-pixel-data): the same header readDicomInstance gives, PixelData kept in place as
 * null, and the Image Pixel module the frames are cut by.
 */
export function readDicomHeader(
  bytes: Uint8Array,
  pixelDataVr: string,
): { header: InstanceHeader; pixels: PixelModule } {
  const dataset = readDataset(bytes);
  const pixels = pixelModule(dataset.dict);
  const entries = Object.entries(dataset.dict);
  const at = entries.findIndex(([tag]) => tag.toUpperCase() > PIXEL_DATA_TAG);
  entries.splice(at < 0 ? entries.length : at, 0, [PIXEL_DATA_TAG, { vr: pixelDataVr, Value: [] }]);
  return { header: buildHeader(bytes, { ...dataset, dict: Object.fromEntries(entries) }), pixels };
}
