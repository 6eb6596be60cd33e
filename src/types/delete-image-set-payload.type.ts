import { Field, ObjectType } from 'type-graphql';
import { ImageSet } from './image-set.type';

@ObjectType('DeleteImageSetPayload', {
  description:
    'The delete has started: the image set shows the state HealthImaging answered (LOCKED, DELETING). It ends DELETED.',
})
export class DeleteImageSetPayload {
  constructor(imageSet: ImageSet) {
    this.imageSet = imageSet;
  }

  @Field(() => ImageSet, { description: 'The image set being deleted.' })
  readonly imageSet: ImageSet;
}
