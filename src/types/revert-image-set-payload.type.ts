import { Field, ObjectType } from 'type-graphql';
import { ImageSetVersion } from './image-set-version.type';
import { ImageSet } from './image-set.type';

@ObjectType('RevertImageSetPayload', {
  description:
    'The revert has started: the image set shows the state HealthImaging answered (LOCKED, UPDATING). Poll `imageSet.workflowStatus` until UPDATED or UPDATE_FAILED.',
})
export class RevertImageSetPayload {
  constructor(imageSet: ImageSet, version: ImageSetVersion) {
    this.imageSet = imageSet;
    this.version = version;
  }

  @Field(() => ImageSet, { description: 'The reverted image set.' })
  readonly imageSet: ImageSet;

  @Field(() => ImageSetVersion, {
    description: 'The new latest version, holding the content of the version reverted to.',
  })
  readonly version: ImageSetVersion;
}
