import { Field, ObjectType } from 'type-graphql';
import { ImageSetVersion } from './image-set-version.type';
import { ImageSet } from './image-set.type';

@ObjectType('CopyImageSetPayload', {
  description:
    'The copy has started: both image sets show the state HealthImaging answered (LOCKED, COPYING / COPYING_WITH_READ_ONLY_ACCESS). Poll `imageSet.workflowStatus` until COPIED or COPY_FAILED.',
})
export class CopyImageSetPayload {
  constructor(sourceImageSet: ImageSet, destinationImageSet: ImageSet, destinationVersion: ImageSetVersion) {
    this.sourceImageSet = sourceImageSet;
    this.destinationImageSet = destinationImageSet;
    this.destinationVersion = destinationVersion;
  }

  @Field(() => ImageSet, { description: 'The source image set; its latest version does not change.' })
  readonly sourceImageSet: ImageSet;

  @Field(() => ImageSet, { description: 'The destination image set (new, or the existing one given).' })
  readonly destinationImageSet: ImageSet;

  @Field(() => ImageSetVersion, { description: 'The destination version the copy creates ("1" for a new image set).' })
  readonly destinationVersion: ImageSetVersion;
}
