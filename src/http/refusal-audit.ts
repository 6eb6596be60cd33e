import { OperationTypeNode, type GraphQLError, type GraphQLSchema } from 'graphql';
import { auditEntriesOf } from '../audit/audit-entries';
import type { AuditEntry } from '../audit/audit-record';
import type { GatewayContext } from '../context';
import type { GateRefusal, RequestGate } from '../limits/request-gate';
import { describeError } from '../logging/logger';
import { graphqlParamsOf } from './graphql-params';

export interface RefusedRequest {
  method: string;
  body: unknown;
  search: URLSearchParams;
}

export type AuditRefusal = (context: GatewayContext, refusal: GateRefusal, request: RefusedRequest) => Promise<void>;

/**
 * The trail's entries for the mutations a request names, given the errors it was answered (their
 * codes become the outcomes); none for a query, an anonymous caller or a document that does not parse.
 */
export function mutationEntriesOf(
  schema: GraphQLSchema,
  gate: RequestGate,
  context: GatewayContext,
  request: RefusedRequest,
  errors: readonly GraphQLError[],
): AuditEntry[] {
  if (!context.principal) return [];
  let params;
  try {
    params = graphqlParamsOf(request.method, request.body, request.search);
  } catch {
    return [];
  }
  const named = gate.operationOf(params);
  if (named?.operation.operation !== OperationTypeNode.MUTATION) return [];
  return auditEntriesOf({
    requestId: context.requestId,
    principal: context.principal,
    schema,
    operation: named.operation,
    operationName: named.operation.name?.value ?? null,
    source: named.source,
    variables: params.variables,
    errors,
    phiCategories: [],
    phiTargets: [],
    upstreamRequestIds: [],
    occurredAt: new Date(),
  });
}

/**
 * A refused write is still an attempted write: the trail records it (a refused read holds no PHI,
 * so it is not recorded). The request is refused whether or not the record is written.
 */
export function refusalAuditor(schema: GraphQLSchema, gate: RequestGate): AuditRefusal {
  return async (context, refusal, request) => {
    if (!context.audit) return;
    const entries = mutationEntriesOf(schema, gate, context, request, [refusal.error]);
    try {
      if (entries.length > 0) await context.audit.append(entries);
    } catch (error) {
      // The request is refused either way; the operator must still learn the trail failed.
      context.logger?.error('audit.append_failed', describeError(error));
    }
  };
}
