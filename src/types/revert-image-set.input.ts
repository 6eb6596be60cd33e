import { Field, InputType } from 'type-graphql';

@InputType('RevertImageSetInput', {
  description: 'Append a new version whose content is that of an earlier version (the version counter never rewinds).',
})
export class RevertImageSetInput {
  @Field(() => String, { description: 'The data store holding the image set.' })
  datastoreId!: string;

  @Field(() => String, { description: 'Id of the image set to revert.' })
  imageSetId!: string;

  @Field(() => String, { description: 'The current latest version id; a stale value fails with VERSION_CONFLICT.' })
  latestVersionId!: string;

  @Field(() => String, { description: 'The earlier version whose content the new version takes.' })
  toVersionId!: string;
}
