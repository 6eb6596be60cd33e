import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayContext } from '../context';
import { describeError } from '../logging/logger';
import { auditEntriesOf } from './audit-entries';

/**
 * Writes each request's audit entries before its response leaves (fail closed): when the trail
 * cannot commit them, the caller gets an error instead of the answer, so nothing that had to be
 * recorded is ever answered unrecorded. Requests with nothing to record (reads without PHI)
 * cost nothing here.
 */
export function auditPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse(requestContext) {
          const context = requestContext.contextValue;
          if (!context.audit || !context.principal) return;
          const phi = context.phiReads?.readOut();
          const entries = auditEntriesOf({
            requestId: context.requestId,
            principal: context.principal,
            schema: requestContext.schema,
            operation: requestContext.operation ?? undefined,
            operationName: requestContext.operationName ?? null,
            source: requestContext.source ?? '',
            variables: requestContext.request.variables ?? {},
            errors: requestContext.errors ?? [],
            phiCategories: phi?.categories ?? [],
            phiTargets: phi?.targets ?? [],
            upstreamRequestIds: context.upstreamRequestIds ?? [],
            occurredAt: new Date(),
          });
          if (entries.length === 0) return;
          try {
            await context.audit.append(entries);
          } catch (error) {
            context.logger?.error('audit.append_failed', describeError(error));
            const { response } = requestContext;
            response.http.status = 503;
            response.body = {
              kind: 'single',
              singleResult: {
                errors: [
                  {
                    message:
                      'The request could not be recorded in the audit trail, so its answer is withheld; retry later.',
                    extensions: { code: 'UPSTREAM_UNAVAILABLE', requestId: context.requestId },
                  },
                ],
              },
            };
          }
        },
      };
    },
  };
}
