import {
  getNamedType,
  isCompositeType,
  isUnionType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type GraphQLError,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { getArgumentValues, getVariableValues } from 'graphql/execution/values';
import { fragmentsOf, UnmeasurableDocumentError } from './document-shape';

/**
 * The estimated cost of an operation, computed in one pass with each fragment costed once per
 * type it is spread on. A field costs 1, or what it declares (`complexity` in type-graphql: a
 * number added to its children, or an estimator given its arguments and its children's cost;
 * connections multiply their children by `first`, fields that call HealthImaging declare more).
 * Where a selection set holds fragments for several possible types, their costs add up: an upper
 * bound, never an underestimate. graphql-query-complexity was replaced because it costs a
 * fragment again at every spread (exponential for nested spreads) and its node-count guard threw
 * where a limit must refuse.
 */

/** The variables do not coerce to the operation's definitions; carries graphql-js's own error. */
export class VariablesMismatchError extends UnmeasurableDocumentError {
  constructor(readonly variableError: GraphQLError) {
    super('The variables do not match the operation.');
    this.name = 'VariablesMismatchError';
  }
}

export type ComplexityEstimator = (options: { args: Record<string, unknown>; childComplexity: number }) => number;

/** Costs beyond this are all "too much"; keeps sums finite for absurd documents. */
const COST_CEILING = Number.MAX_SAFE_INTEGER;

export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  rawVariables: Record<string, unknown>,
): number {
  const rootType = schema.getRootType(operation.operation);
  if (!rootType) throw new UnmeasurableDocumentError('The schema has no root type for this operation.');
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], rawVariables, { maxErrors: 1 });
  if (coerced.errors) {
    const [first] = coerced.errors;
    throw first
      ? new VariablesMismatchError(first)
      : new UnmeasurableDocumentError('The variables do not match the operation.');
  }
  const variables = coerced.coerced;
  const fragments = fragmentsOf(document);
  const fragmentCosts = new Map<string, number>();
  const inProgress = new Set<string>();

  const fieldCost = (parent: GraphQLCompositeType, selection: FieldNode): number => {
    const field: GraphQLField<unknown, unknown> | undefined = isUnionType(parent)
      ? undefined
      : parent.getFields()[selection.name.value];
    if (!field) return 1; // __typename and introspection, or a field validation will refuse.
    const childType = getNamedType(field.type);
    const childComplexity =
      selection.selectionSet && isCompositeType(childType) ? setCost(childType, selection.selectionSet) : 0;
    const declared = field.extensions?.complexity as number | ComplexityEstimator | undefined;
    if (typeof declared === 'number') return declared + childComplexity;
    if (typeof declared === 'function') {
      const args = getArgumentValues(field, selection, variables);
      return declared({ args, childComplexity });
    }
    return 1 + childComplexity;
  };

  const setCost = (parent: GraphQLCompositeType, selectionSet: SelectionSetNode): number => {
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        total += fieldCost(parent, selection);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const typeName = selection.typeCondition?.name.value;
        const type = typeName ? schema.getType(typeName) : parent;
        total += type && isCompositeType(type) ? setCost(type, selection.selectionSet) : 1;
      } else {
        total += fragmentCost(selection.name.value);
      }
      if (total > COST_CEILING) return COST_CEILING;
    }
    return total;
  };

  // A fragment's type condition fixes the type its fields are read on, so one cost per fragment.
  const fragmentCost = (name: string): number => {
    const known = fragmentCosts.get(name);
    if (known !== undefined) return known;
    const fragment = fragments.get(name);
    if (!fragment) throw new UnmeasurableDocumentError('The document spreads a fragment it does not define.');
    if (inProgress.has(name)) throw new UnmeasurableDocumentError('The document has a fragment cycle.');
    const type = schema.getType(fragment.typeCondition.name.value);
    inProgress.add(name);
    const cost = type && isCompositeType(type) ? setCost(type, fragment.selectionSet) : 1;
    inProgress.delete(name);
    fragmentCosts.set(name, cost);
    return cost;
  };

  return setCost(rootType, operation.selectionSet);
}
