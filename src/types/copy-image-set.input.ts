import { Field, InputType } from 'type-graphql';

@InputType('CopyDestinationInput', { description: 'An existing image set to copy into (merge).' })
export class CopyDestinationInput {
  @Field(() => String, { description: 'Id of the destination image set, in the same data store.' })
  imageSetId!: string;

  @Field(() => String, {
    description: "The destination's current latest version id; a stale value fails with VERSION_CONFLICT.",
  })
  latestVersionId!: string;
}

@InputType('CopySeriesSubsetInput', { description: 'One series to copy, whole or in part.' })
export class CopySeriesSubsetInput {
  @Field(() => String, { description: 'Series Instance UID of a series in the source image set.' })
  seriesInstanceUid!: string;

  @Field(() => [String], {
    nullable: true,
    description: 'SOP Instance UIDs to copy from this series; omitted: every instance of the series.',
  })
  sopInstanceUids?: string[] | null;
}

@InputType('CopySubsetInput', { description: 'Which part of the source to copy; omitted: everything.' })
export class CopySubsetInput {
  @Field(() => [CopySeriesSubsetInput], { description: 'The series (and optionally instances) to copy; at least one.' })
  series!: CopySeriesSubsetInput[];
}

@InputType('CopyImageSetInput', {
  description:
    'Copy the latest version of an image set into a new image set (split or duplicate) or into an existing one (merge).',
})
export class CopyImageSetInput {
  @Field(() => String, { description: 'The data store holding both image sets.' })
  datastoreId!: string;

  @Field(() => String, { description: 'Id of the image set to copy from.' })
  sourceImageSetId!: string;

  @Field(() => String, {
    description: "The source's current latest version id; a stale value fails with VERSION_CONFLICT.",
  })
  sourceLatestVersionId!: string;

  @Field(() => CopyDestinationInput, {
    nullable: true,
    description: 'Copy into this existing image set; omitted: HealthImaging creates a new image set.',
  })
  destination?: CopyDestinationInput | null;

  @Field(() => CopySubsetInput, {
    nullable: true,
    description: 'Copy only these series/instances; omitted: everything.',
  })
  subset?: CopySubsetInput | null;

  @Field(() => Boolean, {
    defaultValue: false,
    description:
      'Proceed although Patient/Study/Series metadata of source and destination differ; the destination keeps its own metadata and only instances come over.',
  })
  force!: boolean;

  @Field(() => Boolean, {
    defaultValue: false,
    description: 'Move the copied data into the primary collection (the result is a primary image set).',
  })
  promoteToPrimary!: boolean;
}
