import { Field, ID, InterfaceType } from 'type-graphql';

/**
 * Relay Global Object Identification. Ids are opaque, signed and bound to the caller's tenant,
 * so an id copied from another tenant resolves to NOT_FOUND rather than to a guessable resource.
 */
@InterfaceType('Node', {
  description:
    'An object with a globally unique, opaque id that `Query.node` can fetch again. Ids are signed and only valid for the tenant that received them.',
})
export abstract class Node {
  @Field(() => ID, { description: 'Opaque global id; pass it to `Query.node` to fetch this object again.' })
  id!: string;
}
