import { Field, ObjectType } from 'type-graphql';
import type { PhiAccess } from '../phi/phi-access';
import { PhiView } from '../phi/phi-view';
import { dicomString } from './dicom-values.mapper';
import type { MetadataKey } from './metadata-key';
import { JsonObjectScalar } from './scalars';

@ObjectType('DicomPatient', { description: "The Patient level of an image set version's metadata." })
export class DicomPatient {
  private readonly view: PhiView;

  constructor(key: MetadataKey, attributes: Record<string, unknown>, phi: PhiAccess) {
    this.view = new PhiView(attributes, phi, key);
  }

  @Field(() => JsonObjectScalar, {
    description:
      'Every Patient-level attribute, keyed by DICOM keyword (or 8-hex-digit tag for private ones), values as HealthImaging stores them. Without the `phi:read` scope the attributes of the DICOM Basic Application Level Confidentiality Profile are left out (see `extensions.phi`).',
  })
  get dicom(): Record<string, unknown> {
    return this.view.dicom;
  }

  @Field(() => String, {
    nullable: true,
    description: "Patient's Name (0010,0010), DICOM PN format (`Family^Given`). Null without `phi:read`.",
  })
  get patientName(): string | null {
    return dicomString(this.view.value('PatientName'));
  }

  @Field(() => String, { nullable: true, description: 'Patient ID (0010,0020). Null without `phi:read`.' })
  get patientId(): string | null {
    return dicomString(this.view.value('PatientID'));
  }

  @Field(() => String, {
    nullable: true,
    description: "Patient's Birth Date (0010,0030), YYYYMMDD. Null without `phi:read`.",
  })
  get birthDate(): string | null {
    return dicomString(this.view.value('PatientBirthDate'));
  }

  @Field(() => String, {
    nullable: true,
    description: "Patient's Sex (0010,0040): M, F or O. Null without `phi:read`.",
  })
  get sex(): string | null {
    return dicomString(this.view.value('PatientSex'));
  }
}
