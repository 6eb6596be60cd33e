import { Field, InputType } from 'type-graphql';
import { JsonObjectScalar } from './scalars';

@InputType('SeriesAttributesInput', { description: 'Attributes of one series.' })
export class SeriesAttributesInput {
  @Field(() => String, { description: 'Series Instance UID of a series in the image set.' })
  seriesInstanceUid!: string;

  @Field(() => JsonObjectScalar, {
    description: 'Series-level attributes keyed by DICOM keyword, e.g. `{"SeriesDescription": "AXIAL"}`.',
  })
  attributes!: Record<string, unknown>;
}

@InputType('InstanceAttributesInput', { description: 'Attributes of one SOP instance.' })
export class InstanceAttributesInput {
  @Field(() => String, { description: 'Series Instance UID of the series holding the instance.' })
  seriesInstanceUid!: string;

  @Field(() => String, { description: 'SOP Instance UID of the instance.' })
  sopInstanceUid!: string;

  @Field(() => JsonObjectScalar, {
    description:
      'Instance-level attributes keyed by DICOM keyword or 8-hex-digit private tag (private tags need `vrs` in updates).',
  })
  attributes!: Record<string, unknown>;

  @Field(() => JsonObjectScalar, {
    nullable: true,
    description: 'Value representations of private (hex-tag) attributes, keyed by tag, e.g. `{"00091001": "LO"}`.',
  })
  vrs?: Record<string, string> | null;
}

@InputType('LevelAttributesInput', {
  description:
    'DICOM attributes grouped by level, as HealthImaging stores them. Each attribute must be given at its proper level; keywords are checked against the DICOM dictionary.',
})
export class LevelAttributesInput {
  @Field(() => JsonObjectScalar, { nullable: true, description: 'Patient-level attributes keyed by DICOM keyword.' })
  patient?: Record<string, unknown> | null;

  @Field(() => JsonObjectScalar, { nullable: true, description: 'Study-level attributes keyed by DICOM keyword.' })
  study?: Record<string, unknown> | null;

  @Field(() => [SeriesAttributesInput], { nullable: true, description: 'Series-level attributes, per series.' })
  series?: SeriesAttributesInput[] | null;

  @Field(() => [InstanceAttributesInput], { nullable: true, description: 'Instance-level attributes, per instance.' })
  instances?: InstanceAttributesInput[] | null;
}

@InputType('InstanceRefInput', { description: 'Names one SOP instance.' })
export class InstanceRefInput {
  @Field(() => String, { description: 'Series Instance UID of the series holding the instance.' })
  seriesInstanceUid!: string;

  @Field(() => String, { description: 'SOP Instance UID of the instance.' })
  sopInstanceUid!: string;
}

@InputType('MetadataRemovalsInput', {
  description:
    'What to remove: attributes level by level (for a plain attribute the given value must equal the stored one), and whole series or instances.',
})
export class MetadataRemovalsInput extends LevelAttributesInput {
  @Field(() => [String], { nullable: true, description: 'Series Instance UIDs of whole series to remove.' })
  removeSeries?: string[] | null;

  @Field(() => [InstanceRefInput], { nullable: true, description: 'Whole SOP instances to remove.' })
  removeInstances?: InstanceRefInput[] | null;
}
