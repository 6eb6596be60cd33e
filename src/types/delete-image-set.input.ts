import { Field, InputType } from 'type-graphql';

@InputType('DeleteImageSetInput', { description: 'Delete an image set (idempotent).' })
export class DeleteImageSetInput {
  @Field(() => String, { description: 'The data store holding the image set.' })
  datastoreId!: string;

  @Field(() => String, { description: 'Id of the image set to delete.' })
  imageSetId!: string;
}
