import { HeaderMap, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';
import type { DocumentNode, GraphQLSchema } from 'graphql';
import { BadUserInputError } from '../errors/gateway-errors';

/** Distinct variable sets remembered per document; beyond it the cost is simply recomputed. */
const MAX_COSTS_PER_DOCUMENT = 64;
/** Variables larger than this (a metadata update, say) are not kept as a key. */
const MAX_REMEMBERED_KEY_LENGTH = 2048;

/**
 * Rejects operations whose estimated cost exceeds `maxComplexity`, before any resolver runs.
 * Each field costs 1 unless it declares its own estimate (`complexity` in type-graphql), and
 * connection fields multiply their children by `first` (see `connectionComplexity`).
 */
export function queryComplexityPlugin<TContext extends BaseContext>(maxComplexity: number): ApolloServerPlugin<TContext> {
  // Apollo hands out the same parsed DocumentNode for the same query text (its document store), and
  // a cost depends only on the document, the operation and the variables: remember it per document
  // so a hot query is not walked again on every request. A WeakMap lets documents go with Apollo's LRU.
  const costs = new WeakMap<DocumentNode, Map<string, number>>();
  const costOf = (schema: GraphQLSchema, document: DocumentNode, operationName: string | undefined, variables: Record<string, unknown>): number => {
    const key = `${operationName ?? ''}\u0000${JSON.stringify(variables)}`;
    let perDocument = costs.get(document);
    const known = perDocument?.get(key);
    if (known !== undefined) return known;
    const complexity = getComplexity({
      schema,
      query: document,
      ...(operationName ? { operationName } : {}),
      variables,
      estimators: [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })],
    });
    if (!perDocument) costs.set(document, (perDocument = new Map()));
    if (perDocument.size < MAX_COSTS_PER_DOCUMENT && key.length <= MAX_REMEMBERED_KEY_LENGTH) perDocument.set(key, complexity);
    return complexity;
  };
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, schema }) {
          let complexity: number;
          try {
            complexity = costOf(schema, document, request.operationName ?? undefined, request.variables ?? {});
          } catch {
            // Invalid variables: execution reports them with the usual coercion error.
            return;
          }
          if (complexity > maxComplexity) {
            throw new BadUserInputError(
              `The operation is too complex: its estimated cost is ${complexity}, the limit is ${maxComplexity}. Ask for smaller pages (first) or fewer fields.`,
              { complexity, maxComplexity, http: { status: 400, headers: new HeaderMap() } },
            );
          }
        },
      };
    },
  };
}
