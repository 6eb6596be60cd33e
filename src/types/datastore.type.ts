import { Field, ObjectType } from 'type-graphql';
import type { DatastoreRecord } from '../imaging/records';
import { DatastoreStatus, toDatastoreStatus } from './datastore-status.enum';
import { Node } from './node.type';
import { DateTimeScalar } from './scalars';

@ObjectType('Datastore', {
  implements: Node,
  description: "A HealthImaging data store granted to the caller's tenant.",
})
export class Datastore {
  constructor(record: DatastoreRecord) {
    this.datastoreId = record.datastoreId;
    this.name = record.name;
    this.status = toDatastoreStatus(record.status);
    this.arn = record.arn ?? null;
    this.createdAt = record.createdAt ?? null;
    this.updatedAt = record.updatedAt ?? null;
  }

  @Field(() => String, { description: 'The HealthImaging data store id (32 characters).' })
  datastoreId: string;

  @Field(() => String, { description: 'The data store name.' })
  name: string;

  @Field(() => DatastoreStatus, { description: 'Lifecycle status of the data store.' })
  status: DatastoreStatus;

  @Field(() => String, { nullable: true, description: 'The data store ARN, when HealthImaging reports it.' })
  arn: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the data store was created.' })
  createdAt: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the data store last changed.' })
  updatedAt: Date | null;
}
