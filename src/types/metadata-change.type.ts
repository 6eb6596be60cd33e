import { Field, ObjectType } from 'type-graphql';
import type { MetadataChange as MetadataChangeRecord } from '../imaging/metadata-changes';
import { MetadataChangeKind } from './metadata-change-kind.enum';
import { MetadataLevel } from './metadata-level.enum';
import { JsonScalar } from './scalars';

@ObjectType('MetadataChange', {
  description: 'One difference between the DICOM attributes of two versions of an image set.',
})
export class MetadataChange {
  constructor(change: MetadataChangeRecord) {
    this.level = change.level as MetadataLevel;
    this.kind = change.kind as MetadataChangeKind;
    this.seriesInstanceUid = change.seriesInstanceUid ?? null;
    this.sopInstanceUid = change.sopInstanceUid ?? null;
    this.keyword = change.keyword === '' ? null : change.keyword;
    this.before = change.before ?? null;
    this.after = change.after ?? null;
  }

  @Field(() => MetadataLevel, { description: 'The level the change is at.' })
  readonly level: MetadataLevel;

  @Field(() => MetadataChangeKind, { description: 'What changed.' })
  readonly kind: MetadataChangeKind;

  @Field(() => String, { nullable: true, description: 'The series, for SERIES and INSTANCE changes.' })
  readonly seriesInstanceUid: string | null;

  @Field(() => String, { nullable: true, description: 'The SOP instance, for INSTANCE changes.' })
  readonly sopInstanceUid: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'The DICOM keyword (or 8-hex-digit tag) of the attribute; null for series/instance additions and removals.',
  })
  readonly keyword: string | null;

  @Field(() => JsonScalar, {
    nullable: true,
    description: 'The value in the older version (null when absent or empty).',
  })
  readonly before: unknown;

  @Field(() => JsonScalar, {
    nullable: true,
    description: 'The value in the newer version (null when absent or empty).',
  })
  readonly after: unknown;
}
