import { GraphQLError, Kind, type SelectionSetNode, type ValidationContext, type ValidationRule } from 'graphql';

/**
 * Rejects operations nested deeper than `maxDepth` fields. Fragments count where they are spread;
 * introspection fields (`__schema`, `__type`) are not counted, so tools such as Apollo Sandbox
 * keep working with a tight limit.
 */
export function maxDepthRule(maxDepth: number): ValidationRule {
  return (context: ValidationContext) => ({
    OperationDefinition(operation) {
      const depth = selectionDepth(context, operation.selectionSet, new Set());
      if (depth > maxDepth) {
        context.reportError(
          new GraphQLError(`The operation is nested ${depth} levels deep; the limit is ${maxDepth}.`, { nodes: [operation] }),
        );
      }
      return false;
    },
  });
}

export function selectionDepth(context: ValidationContext, selectionSet: SelectionSetNode, spreading: ReadonlySet<string>): number {
  let deepest = 0;
  for (const selection of selectionSet.selections) {
    let depth = 0;
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value.startsWith('__')) continue;
      depth = 1 + (selection.selectionSet ? selectionDepth(context, selection.selectionSet, spreading) : 0);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      depth = selectionDepth(context, selection.selectionSet, spreading);
    } else {
      const name = selection.name.value;
      const fragment = context.getFragment(name);
      // Unknown and cyclic fragments are reported by graphql-js's own rules.
      if (!fragment || spreading.has(name)) continue;
      depth = selectionDepth(context, fragment.selectionSet, new Set([...spreading, name]));
    }
    deepest = Math.max(deepest, depth);
  }
  return deepest;
}
