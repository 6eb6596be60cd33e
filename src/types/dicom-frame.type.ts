import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { MetadataKey } from './metadata-key';

@ObjectType('DicomFrame', { description: 'One image frame of an instance, as HealthImaging stores it.' })
export class DicomFrame {
  constructor(
    id: string,
    width: number | null,
    height: number | null,
    sizeInBytes: number | null,
    /** The version whose metadata listed the frame: what a frame URL is bound to. */
    readonly source?: MetadataKey,
  ) {
    this.id = id;
    this.width = width;
    this.height = height;
    this.sizeInBytes = sizeInBytes;
  }

  @Field(() => ID, { description: 'The HealthImaging image frame id (the `imageFrameId` of GetImageFrame).' })
  readonly id: string;

  @Field(() => Int, { nullable: true, description: 'Width in pixels at full resolution.' })
  readonly width: number | null;

  @Field(() => Int, { nullable: true, description: 'Height in pixels at full resolution.' })
  readonly height: number | null;

  @Field(() => Int, { nullable: true, description: 'Size of the decoded frame in bytes, when reported.' })
  readonly sizeInBytes: number | null;
}
