import { Field, Int, ObjectType } from 'type-graphql';
import type { SearchSummaryRecord } from '../imaging/records';

@ObjectType('ImageSetDicomTags', {
  description:
    'The DICOM attributes HealthImaging returns with every search result, available without fetching the metadata document.',
})
export class ImageSetDicomTags {
  constructor(tags: SearchSummaryRecord['dicomTags']) {
    this.patientId = tags.patientId ?? null;
    this.patientName = tags.patientName ?? null;
    this.patientBirthDate = tags.patientBirthDate ?? null;
    this.patientSex = tags.patientSex ?? null;
    this.studyInstanceUid = tags.studyInstanceUid ?? null;
    this.studyId = tags.studyId ?? null;
    this.studyDescription = tags.studyDescription ?? null;
    this.studyDate = tags.studyDate ?? null;
    this.studyTime = tags.studyTime ?? null;
    this.accessionNumber = tags.accessionNumber ?? null;
    this.numberOfStudyRelatedSeries = tags.numberOfStudyRelatedSeries ?? null;
    this.numberOfStudyRelatedInstances = tags.numberOfStudyRelatedInstances ?? null;
    this.seriesInstanceUid = tags.seriesInstanceUid ?? null;
    this.seriesModality = tags.seriesModality ?? null;
    this.seriesBodyPart = tags.seriesBodyPart ?? null;
    this.seriesNumber = tags.seriesNumber ?? null;
  }

  @Field(() => String, { nullable: true, description: 'Patient ID (0010,0020).' })
  patientId: string | null;

  @Field(() => String, { nullable: true, description: "Patient's Name (0010,0010), DICOM PN format." })
  patientName: string | null;

  @Field(() => String, { nullable: true, description: "Patient's Birth Date (0010,0030), YYYYMMDD." })
  patientBirthDate: string | null;

  @Field(() => String, { nullable: true, description: "Patient's Sex (0010,0040)." })
  patientSex: string | null;

  @Field(() => String, { nullable: true, description: 'Study Instance UID (0020,000D).' })
  studyInstanceUid: string | null;

  @Field(() => String, { nullable: true, description: 'Study ID (0020,0010).' })
  studyId: string | null;

  @Field(() => String, { nullable: true, description: 'Study Description (0008,1030).' })
  studyDescription: string | null;

  @Field(() => String, { nullable: true, description: 'Study Date (0008,0020), YYYYMMDD.' })
  studyDate: string | null;

  @Field(() => String, { nullable: true, description: 'Study Time (0008,0030), HHMMSS.FFFFFF.' })
  studyTime: string | null;

  @Field(() => String, { nullable: true, description: 'Accession Number (0008,0050).' })
  accessionNumber: string | null;

  @Field(() => Int, { nullable: true, description: 'Number of Study Related Series (0020,1206).' })
  numberOfStudyRelatedSeries: number | null;

  @Field(() => Int, { nullable: true, description: 'Number of Study Related Instances (0020,1208).' })
  numberOfStudyRelatedInstances: number | null;

  @Field(() => String, { nullable: true, description: 'Series Instance UID (0020,000E).' })
  seriesInstanceUid: string | null;

  @Field(() => String, { nullable: true, description: 'Modality (0008,0060) of the series.' })
  seriesModality: string | null;

  @Field(() => String, { nullable: true, description: 'Body Part Examined (0018,0015) of the series.' })
  seriesBodyPart: string | null;

  @Field(() => Int, { nullable: true, description: 'Series Number (0020,0011).' })
  seriesNumber: number | null;
}
