import { Field, Int, ObjectType } from 'type-graphql';
import type { SearchSummaryRecord } from '../imaging/records';

@ObjectType('ImageSetDicomTags', {
  description:
    'The DICOM attributes HealthImaging returns with every search result, available without fetching the metadata document.',
})
export class ImageSetDicomTags {
  /**
   * Read lazily: for a caller without `phi:read` the search path hands in tags whose PHI members
   * are guarded, so a value is withheld (and noted as withheld) only when a client selects it.
   */
  constructor(private readonly tags: SearchSummaryRecord['dicomTags']) {}

  @Field(() => String, { nullable: true, description: 'Patient ID (0010,0020). Null without `phi:read`.' })
  get patientId(): string | null {
    return this.tags.patientId ?? null;
  }

  @Field(() => String, {
    nullable: true,
    description: "Patient's Name (0010,0010), DICOM PN format. Null without `phi:read`.",
  })
  get patientName(): string | null {
    return this.tags.patientName ?? null;
  }

  @Field(() => String, {
    nullable: true,
    description: "Patient's Birth Date (0010,0030), YYYYMMDD. Null without `phi:read`.",
  })
  get patientBirthDate(): string | null {
    return this.tags.patientBirthDate ?? null;
  }

  @Field(() => String, { nullable: true, description: "Patient's Sex (0010,0040). Null without `phi:read`." })
  get patientSex(): string | null {
    return this.tags.patientSex ?? null;
  }

  @Field(() => String, { nullable: true, description: 'Study Instance UID (0020,000D).' })
  get studyInstanceUid(): string | null {
    return this.tags.studyInstanceUid ?? null;
  }

  @Field(() => String, { nullable: true, description: 'Study ID (0020,0010). Null without `phi:read`.' })
  get studyId(): string | null {
    return this.tags.studyId ?? null;
  }

  @Field(() => String, { nullable: true, description: 'Study Description (0008,1030). Null without `phi:read`.' })
  get studyDescription(): string | null {
    return this.tags.studyDescription ?? null;
  }

  @Field(() => String, { nullable: true, description: 'Study Date (0008,0020), YYYYMMDD. Null without `phi:read`.' })
  get studyDate(): string | null {
    return this.tags.studyDate ?? null;
  }

  @Field(() => String, {
    nullable: true,
    description: 'Study Time (0008,0030), HHMMSS.FFFFFF. Null without `phi:read`.',
  })
  get studyTime(): string | null {
    return this.tags.studyTime ?? null;
  }

  @Field(() => String, { nullable: true, description: 'Accession Number (0008,0050). Null without `phi:read`.' })
  get accessionNumber(): string | null {
    return this.tags.accessionNumber ?? null;
  }

  @Field(() => Int, { nullable: true, description: 'Number of Study Related Series (0020,1206).' })
  get numberOfStudyRelatedSeries(): number | null {
    return this.tags.numberOfStudyRelatedSeries ?? null;
  }

  @Field(() => Int, { nullable: true, description: 'Number of Study Related Instances (0020,1208).' })
  get numberOfStudyRelatedInstances(): number | null {
    return this.tags.numberOfStudyRelatedInstances ?? null;
  }

  @Field(() => String, { nullable: true, description: 'Series Instance UID (0020,000E).' })
  get seriesInstanceUid(): string | null {
    return this.tags.seriesInstanceUid ?? null;
  }

  @Field(() => String, { nullable: true, description: 'Modality (0008,0060) of the series.' })
  get seriesModality(): string | null {
    return this.tags.seriesModality ?? null;
  }

  @Field(() => String, { nullable: true, description: 'Body Part Examined (0018,0015) of the series.' })
  get seriesBodyPart(): string | null {
    return this.tags.seriesBodyPart ?? null;
  }

  @Field(() => Int, { nullable: true, description: 'Series Number (0020,0011).' })
  get seriesNumber(): number | null {
    return this.tags.seriesNumber ?? null;
  }
}
