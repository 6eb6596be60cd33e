import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import type { MetadataDocument } from '../records';

const gunzipAsync = promisify(gunzip);

/** HealthImaging caps image set metadata at 50 MB; the margin covers JSON formatting differences. */
export const DEFAULT_MAX_METADATA_BYTES = 64 * 1024 * 1024;

/** Raised for documents over the size guard or not shaped like a metadata document. */
export class MetadataDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MetadataDecodeError';
  }
}

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Bytes from GetImageSetMetadata to a document. The service sends gzip; some transports (browser
 * fetch, proxies) inflate it on the way, so only bytes that start with the gzip magic are gunzipped.
 * The guard applies to the inflated size too, so a small gzip bomb cannot exhaust memory.
 */
export async function decodeMetadata(
  bytes: Uint8Array,
  maxBytes: number = DEFAULT_MAX_METADATA_BYTES,
): Promise<MetadataDocument> {
  if (bytes.length > maxBytes) {
    throw new MetadataDecodeError(`The metadata document exceeds ${maxBytes} bytes.`);
  }
  let plain: Uint8Array = bytes;
  if (isGzip(bytes)) {
    try {
      plain = await gunzipAsync(bytes, { maxOutputLength: maxBytes });
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code === 'ERR_BUFFER_TOO_LARGE') {
        throw new MetadataDecodeError(`The metadata document exceeds ${maxBytes} bytes once inflated.`);
      }
      throw new MetadataDecodeError('The metadata document is not valid gzip.');
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(plain.buffer, plain.byteOffset, plain.byteLength).toString('utf8'));
  } catch {
    // The parser's message quotes the document; it must not travel further.
    throw new MetadataDecodeError('The metadata document is not valid JSON.');
  }
  const document = asMetadataDocument(parsed);
  documentBytes.set(document, plain.byteLength);
  return document;
}

/** The JSON size of each decoded document, for the memory budget of requests (metadata-budget.ts). */
const documentBytes = new WeakMap<MetadataDocument, number>();

export function metadataBytesOf(document: MetadataDocument): number {
  return documentBytes.get(document) ?? 0;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks the skeleton the gateway navigates (levels and their maps) and fills absent levels. */
function asMetadataDocument(value: unknown): MetadataDocument {
  if (!isObject(value)) throw new MetadataDecodeError('The metadata document is not a JSON object.');
  const patient = value.Patient ?? { DICOM: {} };
  const study = value.Study ?? { DICOM: {}, Series: {} };
  if (!isObject(patient) || !isObject(study)) {
    throw new MetadataDecodeError('The metadata document has malformed Patient or Study levels.');
  }
  const series = study.Series ?? {};
  if (!isObject(series)) throw new MetadataDecodeError('The metadata document has a malformed Series map.');
  for (const entry of Object.values(series)) {
    if (!isObject(entry) || (entry.Instances !== undefined && !isObject(entry.Instances))) {
      throw new MetadataDecodeError('The metadata document has a malformed series entry.');
    }
    entry.DICOM = isObject(entry.DICOM) ? entry.DICOM : {};
    entry.Instances = entry.Instances ?? {};
    for (const instance of Object.values(entry.Instances as Record<string, unknown>)) {
      if (!isObject(instance)) throw new MetadataDecodeError('The metadata document has a malformed instance entry.');
      instance.DICOM = isObject(instance.DICOM) ? instance.DICOM : {};
    }
  }
  patient.DICOM = isObject(patient.DICOM) ? patient.DICOM : {};
  study.DICOM = isObject(study.DICOM) ? study.DICOM : {};
  study.Series = series;
  return {
    ...value,
    SchemaVersion: String(value.SchemaVersion ?? ''),
    DatastoreID: String(value.DatastoreID ?? ''),
    ImageSetID: String(value.ImageSetID ?? ''),
    Patient: patient as MetadataDocument['Patient'],
    Study: study as MetadataDocument['Study'],
  };
}
