import { Field, InputType } from 'type-graphql';
import { DateTimeScalar } from './scalars';

@InputType('DateTimeRangeInput', { description: 'An inclusive range of instants.' })
export class DateTimeRangeInput {
  @Field(() => DateTimeScalar, { description: 'Start of the range (included).' })
  from!: Date;

  @Field(() => DateTimeScalar, { description: 'End of the range (included, not before `from`).' })
  to!: Date;
}
