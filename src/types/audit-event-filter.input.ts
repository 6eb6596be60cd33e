import { Field, InputType } from 'type-graphql';
import { DateTimeRangeInput } from './date-time-range.input';

@InputType('AuditEventFilterInput', { description: 'Narrows `auditEvents`; every field given must match.' })
export class AuditEventFilterInput {
  @Field(() => String, {
    nullable: true,
    description:
      'Only this action: `read`, `copyImageSet`, `updateImageSetMetadata`, `revertImageSet`, `deleteImageSet` or `replayed`.',
  })
  action?: string | null;

  @Field(() => String, { nullable: true, description: 'Only requests with this GraphQL operation name.' })
  operationName?: string | null;

  @Field(() => String, { nullable: true, description: 'Only this outcome: `OK` or an error code such as `FORBIDDEN`.' })
  outcome?: string | null;

  @Field(() => String, { nullable: true, description: 'Only this subject (JWT `sub` or API key id).' })
  subject?: string | null;

  @Field(() => String, { nullable: true, description: 'Only this client (API key id or JWT `azp`).' })
  client?: string | null;

  @Field(() => String, { nullable: true, description: 'Only events on this data store.' })
  datastoreId?: string | null;

  @Field(() => String, { nullable: true, description: 'Only events on this image set.' })
  imageSetId?: string | null;

  @Field(() => DateTimeRangeInput, { nullable: true, description: 'Only events that occurred in this range.' })
  occurredAt?: DateTimeRangeInput | null;
}
