import { Field, Int, ObjectType } from 'type-graphql';
import { dicomInt, dicomString } from './dicom-values.mapper';
import type { MetadataKey } from './metadata-key';
import type { SeriesEntry } from './metadata-document.view';
import { JsonObjectScalar } from './scalars';

@ObjectType('DicomSeries', { description: 'One series of the Study level, with its instances.' })
export class DicomSeries {
  constructor(
    readonly key: MetadataKey,
    seriesInstanceUid: string,
    readonly entry: SeriesEntry,
  ) {
    this.seriesInstanceUid = seriesInstanceUid;
    this.dicom = entry.DICOM ?? {};
  }

  @Field(() => String, { description: 'Series Instance UID (0020,000E).' })
  readonly seriesInstanceUid: string;

  @Field(() => JsonObjectScalar, {
    description: 'Every Series-level attribute, keyed by DICOM keyword, values as HealthImaging stores them.',
  })
  readonly dicom: Record<string, unknown>;

  @Field(() => String, { nullable: true, description: 'Modality (0008,0060), e.g. CT or MR.' })
  get modality(): string | null {
    return dicomString(this.dicom.Modality);
  }

  @Field(() => Int, { nullable: true, description: 'Series Number (0020,0011).' })
  get seriesNumber(): number | null {
    return dicomInt(this.dicom.SeriesNumber);
  }

  @Field(() => String, { nullable: true, description: 'Series Description (0008,103E).' })
  get seriesDescription(): string | null {
    return dicomString(this.dicom.SeriesDescription);
  }

  @Field(() => String, { nullable: true, description: 'Body Part Examined (0018,0015).' })
  get bodyPartExamined(): string | null {
    return dicomString(this.dicom.BodyPartExamined);
  }

  @Field(() => Int, { description: 'How many SOP instances the series holds in this version.' })
  get instanceCount(): number {
    return Object.keys(this.entry.Instances ?? {}).length;
  }
}
