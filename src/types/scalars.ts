import { GraphQLDateTime, GraphQLJSON, GraphQLJSONObject } from 'graphql-scalars';

/**
 * The non-standard scalars of the schema, taken from graphql-scalars so that every type
 * function names the same instance (two `DateTime` scalars would break the build).
 */
export const DateTimeScalar = GraphQLDateTime;
export const JsonObjectScalar = GraphQLJSONObject;
export const JsonScalar = GraphQLJSON;
