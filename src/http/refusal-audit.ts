import { OperationTypeNode, type GraphQLSchema } from 'graphql';
import { auditEntriesOf } from '../audit/audit-entries';
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
 * A refused write is still an attempted write: the trail records it (a refused read holds no PHI,
 * so it is not recorded). The request is refused whether or not the record is written.
 */
export function refusalAuditor(schema: GraphQLSchema, gate: RequestGate): AuditRefusal {
  return async (context, refusal, { method, body, search }) => {
    if (!context.audit || !context.principal) return;
    let params;
    try {
      params = graphqlParamsOf(method, body, search);
    } catch {
      return;
    }
    const named = gate.operationOf(params);
    if (named?.operation.operation !== OperationTypeNode.MUTATION) return;
    const entries = auditEntriesOf({
      requestId: context.requestId,
      principal: context.principal,
      schema,
      operation: named.operation,
      operationName: named.operation.name?.value ?? null,
      source: named.source,
      variables: params.variables,
      errors: [refusal.error],
      phiCategories: [],
      phiTargets: [],
      upstreamRequestIds: [],
      occurredAt: new Date(),
    });
    try {
      if (entries.length > 0) await context.audit.append(entries);
    } catch (error) {
      // The request is refused either way; the operator must still learn the trail failed.
      context.logger?.error('audit.append_failed', describeError(error));
    }
  };
}
