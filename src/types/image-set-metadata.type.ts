import { Field, ObjectType } from 'type-graphql';
import type { MetadataKey } from './metadata-key';

/**
 * The root object behind `ImageSetMetadata`: only the key. The document is fetched and decoded
 * (once per request and version, by the metadata loader) when one of its fields is selected.
 */
@ObjectType('ImageSetMetadata', {
  description:
    'The decoded DICOM metadata of one image set version, level by level (Patient, Study, Series, Instances). Fetched only when one of its fields is selected.',
})
export class ImageSetMetadata {
  constructor(readonly key: MetadataKey) {
    this.versionId = key.versionId;
  }

  @Field(() => String, { description: 'The version this metadata belongs to.' })
  readonly versionId: string;
}
