import { promisify } from 'node:util';
import { gunzipSync, gzip, gzipSync, constants } from 'node:zlib';
import type { MetadataDocument } from '../shapes/metadata-document';

/** Documents are stored gzip'd, exactly the bytes GetImageSetMetadata sends. */
export function encodeDocument(doc: MetadataDocument): { gz: Buffer; jsonBytes: number } {
  const json = Buffer.from(JSON.stringify(doc));
  // Level 6 is zlib's default trade-off; documents are written rarely and read often.
  return { gz: gzipSync(json, { level: constants.Z_DEFAULT_COMPRESSION }), jsonBytes: json.length };
}

const gzipAsync = promisify(gzip);

/**
 * encodeDocument's bytes, compressed on libuv's thread pool: a document of thousands of frames
 * takes tens of milliseconds to gzip, too long to hold the event loop for.
 */
export async function encodeDocumentOffThread(doc: MetadataDocument): Promise<Buffer> {
  return gzipAsync(Buffer.from(JSON.stringify(doc)), { level: constants.Z_DEFAULT_COMPRESSION });
}

export function decodeDocument(gz: Buffer): MetadataDocument {
  return JSON.parse(gunzipSync(gz).toString('utf8')) as MetadataDocument;
}
