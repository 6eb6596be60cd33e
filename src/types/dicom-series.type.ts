import { Field, Int, ObjectType } from 'type-graphql';
import type { PhiAccess } from '../phi/phi-access';
import { PhiView } from '../phi/phi-view';
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
    readonly phi: PhiAccess,
  ) {
    this.seriesInstanceUid = seriesInstanceUid;
    this.view = new PhiView(entry.DICOM ?? {}, phi, key);
  }

  private readonly view: PhiView;

  @Field(() => String, { description: 'Series Instance UID (0020,000E).' })
  readonly seriesInstanceUid: string;

  @Field(() => JsonObjectScalar, {
    description:
      'Every Series-level attribute, keyed by DICOM keyword, values as HealthImaging stores them. Without the `phi:read` scope the attributes of the DICOM Basic Application Level Confidentiality Profile are left out (see `extensions.phi`).',
  })
  get dicom(): Record<string, unknown> {
    return this.view.dicom;
  }

  @Field(() => String, { nullable: true, description: 'Modality (0008,0060), e.g. CT or MR.' })
  get modality(): string | null {
    return dicomString(this.view.value('Modality'));
  }

  @Field(() => Int, { nullable: true, description: 'Series Number (0020,0011).' })
  get seriesNumber(): number | null {
    return dicomInt(this.view.value('SeriesNumber'));
  }

  @Field(() => String, { nullable: true, description: 'Series Description (0008,103E). Null without `phi:read`.' })
  get seriesDescription(): string | null {
    return dicomString(this.view.value('SeriesDescription'));
  }

  @Field(() => String, { nullable: true, description: 'Body Part Examined (0018,0015).' })
  get bodyPartExamined(): string | null {
    return dicomString(this.view.value('BodyPartExamined'));
  }

  @Field(() => Int, { description: 'How many SOP instances the series holds in this version.' })
  get instanceCount(): number {
    return Object.keys(this.entry.Instances ?? {}).length;
  }
}
