import { Field, ID, ObjectType } from 'type-graphql';
import { AuthMethod } from './auth-method.enum';

@ObjectType('Viewer', { description: 'The authenticated caller: tenant, identity and granted scopes.' })
export class Viewer {
  @Field(() => ID, { description: 'Id of the tenant the caller belongs to.' })
  tenantId!: string;

  @Field(() => String, { description: 'Display name of the tenant.' })
  tenantName!: string;

  @Field(() => String, { description: 'The JWT subject, or the id of the API key (never the key itself).' })
  subject!: string;

  @Field(() => [String], {
    description:
      "Scopes the caller holds: `imagesets:read` (queries), `imagesets:write` (copy, update, revert), `imagesets:delete` (delete), `phi:read` (patient-identifying DICOM attributes; withheld without it), `audit:read` (the tenant's audit trail).",
  })
  scopes!: string[];

  @Field(() => AuthMethod, { description: 'How the caller authenticated.' })
  authMethod!: AuthMethod;
}
