import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { tagErrorWithRequestId } from './error-request-ids';

/**
 * Ties errors to their request (so `formatError` can print the request id on masked errors) and
 * echoes the id in an `x-request-id` response header for support tickets.
 */
export function requestIdPlugin<TContext extends BaseContext & { requestId: string }>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue }) {
          for (const error of errors) tagErrorWithRequestId(error, contextValue.requestId);
        },
        async willSendResponse({ response, contextValue }) {
          response.http.headers.set('x-request-id', contextValue.requestId);
        },
      };
    },
  };
}
