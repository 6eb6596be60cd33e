import { Field, ObjectType } from 'type-graphql';
import type { MetadataDocument } from '../imaging/records';
import { dicomString } from './dicom-values.mapper';
import type { MetadataKey } from './metadata-key';
import { JsonObjectScalar } from './scalars';

@ObjectType('DicomStudy', { description: "The Study level of an image set version's metadata." })
export class DicomStudy {
  constructor(
    readonly key: MetadataKey,
    readonly document: MetadataDocument,
  ) {
    this.dicom = document.Study?.DICOM ?? {};
  }

  @Field(() => JsonObjectScalar, {
    description: 'Every Study-level attribute, keyed by DICOM keyword, values as HealthImaging stores them.',
  })
  readonly dicom: Record<string, unknown>;

  @Field(() => String, { nullable: true, description: 'Study Instance UID (0020,000D).' })
  get studyInstanceUid(): string | null {
    return dicomString(this.dicom.StudyInstanceUID);
  }

  @Field(() => String, { nullable: true, description: 'Study Date (0008,0020), YYYYMMDD.' })
  get studyDate(): string | null {
    return dicomString(this.dicom.StudyDate);
  }

  @Field(() => String, { nullable: true, description: 'Study Time (0008,0030), HHMMSS.FFFFFF.' })
  get studyTime(): string | null {
    return dicomString(this.dicom.StudyTime);
  }

  @Field(() => String, { nullable: true, description: 'Study Description (0008,1030).' })
  get studyDescription(): string | null {
    return dicomString(this.dicom.StudyDescription);
  }

  @Field(() => String, { nullable: true, description: 'Accession Number (0008,0050).' })
  get accessionNumber(): string | null {
    return dicomString(this.dicom.AccessionNumber);
  }

  @Field(() => String, { nullable: true, description: 'Study ID (0020,0010).' })
  get studyId(): string | null {
    return dicomString(this.dicom.StudyID);
  }
}
