import { Field, Int, ObjectType } from 'type-graphql';
import { DicomFrame } from './dicom-frame.type';
import type { PhiAccess } from '../phi/phi-access';
import { PhiView } from '../phi/phi-view';
import { dicomInt, dicomString } from './dicom-values.mapper';
import type { MetadataKey } from './metadata-key';
import { frameViews, type InstanceEntry } from './metadata-document.view';
import { JsonObjectScalar } from './scalars';

@ObjectType('DicomInstance', { description: 'One SOP instance of a series: its attributes and image frames.' })
export class DicomInstance {
  private readonly view: PhiView;

  constructor(
    private readonly key: MetadataKey,
    sopInstanceUid: string,
    private readonly entry: InstanceEntry,
    phi: PhiAccess,
  ) {
    this.sopInstanceUid = sopInstanceUid;
    this.view = new PhiView(entry.DICOM ?? {}, phi, key);
  }

  @Field(() => String, { description: 'SOP Instance UID (0008,0018).' })
  readonly sopInstanceUid: string;

  @Field(() => JsonObjectScalar, {
    description:
      'Every Instance-level attribute, keyed by DICOM keyword (or 8-hex-digit tag for private ones), values as HealthImaging stores them. Without the `phi:read` scope the attributes of the DICOM Basic Application Level Confidentiality Profile (private attributes included, and inside sequences) are left out (see `extensions.phi`).',
  })
  get dicom(): Record<string, unknown> {
    return this.view.dicom;
  }

  @Field(() => String, { nullable: true, description: 'SOP Class UID (0008,0016).' })
  get sopClassUid(): string | null {
    return dicomString(this.view.value('SOPClassUID'));
  }

  @Field(() => Int, { nullable: true, description: 'Instance Number (0020,0013).' })
  get instanceNumber(): number | null {
    return dicomInt(this.view.value('InstanceNumber'));
  }

  @Field(() => String, { nullable: true, description: 'Transfer syntax UID in which HealthImaging stores the frames.' })
  get storedTransferSyntaxUid(): string | null {
    return this.entry.StoredTransferSyntaxUID ?? null;
  }

  @Field(() => JsonObjectScalar, {
    nullable: true,
    description:
      'Value representations of the private (hex-tag) attributes, keyed by tag, when HealthImaging records them.',
  })
  get dicomVrs(): Record<string, string> | null {
    return this.entry.DICOMVRs ?? null;
  }

  @Field(() => [DicomFrame], {
    description: 'The image frames, in frame order (empty for instances without pixel data).',
  })
  get frames(): DicomFrame[] {
    return frameViews(this.entry).map(
      (frame) => new DicomFrame(frame.id, frame.width, frame.height, frame.sizeInBytes, this.key),
    );
  }
}
