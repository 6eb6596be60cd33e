import { Field, ID, ObjectType } from 'type-graphql';
import type { AuditRecord } from '../audit/audit-record';
import { AuthMethod, toAuthMethod } from './auth-method.enum';
import { DateTimeScalar } from './scalars';

@ObjectType('AuditEvent', {
  description:
    "One record of the tenant's audit trail: who read patient data or wrote (or tried to), how, to which image set, and with what outcome. It names data by category only, never by value.",
})
export class AuditEvent {
  constructor(record: AuditRecord) {
    this.id = record.id;
    this.sequence = String(record.sequence);
    this.occurredAt = record.occurredAt;
    this.requestId = record.requestId;
    this.subject = record.subject;
    this.client = record.client;
    this.clientKind = toAuthMethod(record.clientKind);
    this.operationName = record.operationName;
    this.operationType = record.operationType;
    this.documentHash = record.documentHash;
    this.action = record.action;
    this.datastoreId = record.datastoreId;
    this.imageSetId = record.imageSetId;
    this.versionId = record.versionId;
    this.dataCategories = [...record.dataCategories];
    this.outcome = record.outcome;
    this.upstreamRequestIds = [...record.upstreamRequestIds];
    this.hash = record.hash;
  }

  @Field(() => ID, { description: 'The record id (a UUID).' })
  readonly id: string;

  @Field(() => String, {
    description:
      "Position in the tenant's trail, a decimal string: 1, 2, 3, ... without gaps (a gap means a removed record).",
  })
  readonly sequence: string;

  @Field(() => DateTimeScalar, { description: 'When the gateway handled the request.' })
  readonly occurredAt: Date;

  @Field(() => String, {
    description: 'The request id (the `x-request-id` response header), which also tags its log lines.',
  })
  readonly requestId: string;

  @Field(() => String, { description: 'Who called: the JWT subject, or the id of the API key.' })
  readonly subject: string;

  @Field(() => String, {
    description: "The calling application: the API key's id, or the JWT's `azp` (its `sub` when it has none).",
  })
  readonly client: string;

  @Field(() => AuthMethod, { description: 'How the caller authenticated.' })
  readonly clientKind: AuthMethod;

  @Field(() => String, { nullable: true, description: 'The GraphQL operation name the client sent, if any.' })
  readonly operationName: string | null;

  @Field(() => String, { description: 'The GraphQL operation type: `query` or `mutation`.' })
  readonly operationType: string;

  @Field(() => String, {
    description: 'SHA-256 (hex) of the GraphQL document, to match the record with a trusted document.',
  })
  readonly documentHash: string;

  @Field(() => String, {
    description:
      'What was done: `read`, the mutation (`copyImageSet`, `updateImageSetMetadata`, `revertImageSet`, `deleteImageSet`), or `replayed` (an Idempotency-Key repeat answered with a recorded result; nothing ran again).',
  })
  readonly action: string;

  @Field(() => String, { nullable: true, description: 'The HealthImaging data store acted on.' })
  readonly datastoreId: string | null;

  @Field(() => String, { nullable: true, description: 'The image set acted on.' })
  readonly imageSetId: string | null;

  @Field(() => String, { nullable: true, description: 'The image set version read or written, when known.' })
  readonly versionId: string | null;

  @Field(() => [String], {
    description: 'Categories of protected data read (e.g. `patient-identity`); empty when none was.',
  })
  readonly dataCategories: string[];

  @Field(() => String, {
    description:
      '`OK`, or the error code the request answered (`FORBIDDEN`, `NOT_FOUND`, `VERSION_CONFLICT`, `UPSTREAM_UNAVAILABLE`, ...).',
  })
  readonly outcome: string;

  @Field(() => [String], {
    description: "HealthImaging's request ids of the upstream calls made, to match the record with CloudTrail.",
  })
  readonly upstreamRequestIds: string[];

  @Field(() => String, {
    description:
      "SHA-256 (hex) chaining this record to the tenant's previous one; `npm run audit -- verify` recomputes it.",
  })
  readonly hash: string;
}
