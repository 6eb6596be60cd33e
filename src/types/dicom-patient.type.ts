import { Field, ObjectType } from 'type-graphql';
import { dicomString } from './dicom-values.mapper';
import { JsonObjectScalar } from './scalars';

@ObjectType('DicomPatient', { description: "The Patient level of an image set version's metadata." })
export class DicomPatient {
  constructor(attributes: Record<string, unknown>) {
    this.dicom = attributes;
  }

  @Field(() => JsonObjectScalar, {
    description: 'Every Patient-level attribute, keyed by DICOM keyword (or 8-hex-digit tag for private ones), values as HealthImaging stores them.',
  })
  readonly dicom: Record<string, unknown>;

  @Field(() => String, { nullable: true, description: "Patient's Name (0010,0010), DICOM PN format (`Family^Given`)." })
  get patientName(): string | null {
    return dicomString(this.dicom.PatientName);
  }

  @Field(() => String, { nullable: true, description: 'Patient ID (0010,0020).' })
  get patientId(): string | null {
    return dicomString(this.dicom.PatientID);
  }

  @Field(() => String, { nullable: true, description: "Patient's Birth Date (0010,0030), YYYYMMDD." })
  get birthDate(): string | null {
    return dicomString(this.dicom.PatientBirthDate);
  }

  @Field(() => String, { nullable: true, description: "Patient's Sex (0010,0040): M, F or O." })
  get sex(): string | null {
    return dicomString(this.dicom.PatientSex);
  }
}
