import { Field, InputType } from 'type-graphql';
import { DateTimeRangeInput } from './date-time-range.input';
import { StudyDateRangeInput } from './study-date-range.input';

@InputType('ImageSetSearchFilter', {
  description:
    'Search criteria; set fields combine with AND. HealthImaging accepts at most two criteria per search. Identifiers match exactly; ranges are inclusive.',
})
export class ImageSetSearchFilter {
  @Field(() => String, { nullable: true, description: 'Patient ID (0010,0020), exact match, 1 to 512 characters.' })
  patientId?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Accession Number (0008,0050), exact match, 1 to 512 characters.',
  })
  accessionNumber?: string | null;

  @Field(() => String, { nullable: true, description: 'Study ID (0020,0010), exact match, 1 to 512 characters.' })
  studyId?: string | null;

  @Field(() => String, { nullable: true, description: 'Study Instance UID (0020,000D), exact match; digits and dots.' })
  studyInstanceUid?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Series Instance UID (0020,000E), exact match; digits and dots.',
  })
  seriesInstanceUid?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Only primary (true) or only non-primary (false) image sets.' })
  isPrimary?: boolean | null;

  @Field(() => StudyDateRangeInput, { nullable: true, description: 'Study Date (0008,0020) within this range.' })
  studyDate?: StudyDateRangeInput | null;

  @Field(() => DateTimeRangeInput, { nullable: true, description: 'Image set last changed within this range.' })
  updatedAt?: DateTimeRangeInput | null;

  @Field(() => DateTimeRangeInput, { nullable: true, description: 'Image set created within this range.' })
  createdAt?: DateTimeRangeInput | null;
}
