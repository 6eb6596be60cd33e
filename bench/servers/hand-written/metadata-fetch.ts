import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { GetImageSetMetadataCommand, type MedicalImagingClient } from '@aws-sdk/client-medical-imaging';
import type { MetadataJson } from './dicom-json';

const gunzipAsync = promisify(gunzip);

/** GetImageSetMetadata, read to the end, gunzipped off the main thread's critical path, parsed. */
export async function fetchMetadata(
  client: MedicalImagingClient,
  datastoreId: string,
  imageSetId: string,
  versionId?: string,
): Promise<MetadataJson> {
  const output = await client.send(
    new GetImageSetMetadataCommand({ datastoreId, imageSetId, ...(versionId ? { versionId } : {}) }),
  );
  if (!output.imageSetMetadataBlob) throw new Error('GetImageSetMetadata returned no body.');
  const bytes = await output.imageSetMetadataBlob.transformToByteArray();
  const plain = bytes[0] === 0x1f && bytes[1] === 0x8b ? await gunzipAsync(bytes) : Buffer.from(bytes);
  return JSON.parse(plain.toString('utf8')) as MetadataJson;
}
