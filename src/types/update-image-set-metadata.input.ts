import { Field, InputType } from 'type-graphql';
import { LevelAttributesInput, MetadataRemovalsInput } from './level-attributes.input';

@InputType('UpdateImageSetMetadataInput', {
  description: 'Insert, replace and/or remove DICOM attributes; creates a new version of the image set.',
})
export class UpdateImageSetMetadataInput {
  @Field(() => String, { description: 'The data store holding the image set.' })
  datastoreId!: string;

  @Field(() => String, { description: 'Id of the image set to update.' })
  imageSetId!: string;

  @Field(() => String, {
    description: 'The current latest version id; a stale value fails with VERSION_CONFLICT (re-read and retry).',
  })
  latestVersionId!: string;

  @Field(() => LevelAttributesInput, { nullable: true, description: 'Attributes to insert or replace.' })
  updates?: LevelAttributesInput | null;

  @Field(() => MetadataRemovalsInput, {
    nullable: true,
    description: 'Attributes, series or instances to remove. At least one of `updates` and `removals` is needed.',
  })
  removals?: MetadataRemovalsInput | null;

  @Field(() => Boolean, {
    defaultValue: false,
    description:
      'Needed to change Study/Series/SOP Instance UIDs or Study ID, private attributes, sequences and multi-valued attributes (never allowed for UIDs of primary image sets).',
  })
  force!: boolean;
}
