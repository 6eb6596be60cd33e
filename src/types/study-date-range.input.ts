import { Field, InputType } from 'type-graphql';

@InputType('StudyDateRangeInput', { description: 'An inclusive range of DICOM study dates.' })
export class StudyDateRangeInput {
  @Field(() => String, { description: 'First study date included, YYYYMMDD.' })
  from!: string;

  @Field(() => String, { description: 'Last study date included, YYYYMMDD (not before `from`).' })
  to!: string;
}
