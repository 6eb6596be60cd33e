import { Field, ObjectType } from 'type-graphql';
import type { MetadataDocument } from '../imaging/records';
import type { PhiAccess } from '../phi/phi-access';
import { PhiView } from '../phi/phi-view';
import { dicomString } from './dicom-values.mapper';
import type { MetadataKey } from './metadata-key';
import { JsonObjectScalar } from './scalars';

@ObjectType('DicomStudy', { description: "The Study level of an image set version's metadata." })
export class DicomStudy {
  constructor(
    readonly key: MetadataKey,
    readonly document: MetadataDocument,
    readonly phi: PhiAccess,
  ) {
    this.view = new PhiView(document.Study?.DICOM ?? {}, phi, key);
  }

  private readonly view: PhiView;

  @Field(() => JsonObjectScalar, {
    description:
      'Every Study-level attribute, keyed by DICOM keyword, values as HealthImaging stores them. Without the `phi:read` scope the attributes of the DICOM Basic Application Level Confidentiality Profile are left out (see `extensions.phi`).',
  })
  get dicom(): Record<string, unknown> {
    return this.view.dicom;
  }

  @Field(() => String, { nullable: true, description: 'Study Instance UID (0020,000D).' })
  get studyInstanceUid(): string | null {
    return dicomString(this.view.value('StudyInstanceUID'));
  }

  @Field(() => String, { nullable: true, description: 'Study Date (0008,0020), YYYYMMDD. Null without `phi:read`.' })
  get studyDate(): string | null {
    return dicomString(this.view.value('StudyDate'));
  }

  @Field(() => String, {
    nullable: true,
    description: 'Study Time (0008,0030), HHMMSS.FFFFFF. Null without `phi:read`.',
  })
  get studyTime(): string | null {
    return dicomString(this.view.value('StudyTime'));
  }

  @Field(() => String, { nullable: true, description: 'Study Description (0008,1030). Null without `phi:read`.' })
  get studyDescription(): string | null {
    return dicomString(this.view.value('StudyDescription'));
  }

  @Field(() => String, { nullable: true, description: 'Accession Number (0008,0050). Null without `phi:read`.' })
  get accessionNumber(): string | null {
    return dicomString(this.view.value('AccessionNumber'));
  }

  @Field(() => String, { nullable: true, description: 'Study ID (0020,0010). Null without `phi:read`.' })
  get studyId(): string | null {
    return dicomString(this.view.value('StudyID'));
  }
}
