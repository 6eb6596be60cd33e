import { HeaderMap, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';
import { BadUserInputError } from '../errors/gateway-errors';

/**
 * Rejects operations whose estimated cost exceeds `maxComplexity`, before any resolver runs.
 * Each field costs 1 unless it declares its own estimate (`complexity` in type-graphql), and
 * connection fields multiply their children by `first` (see `connectionComplexity`).
 */
export function queryComplexityPlugin<TContext extends BaseContext>(maxComplexity: number): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, schema }) {
          let complexity: number;
          try {
            complexity = getComplexity({
              schema,
              query: document,
              ...(request.operationName ? { operationName: request.operationName } : {}),
              variables: request.variables ?? {},
              estimators: [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })],
            });
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
