import { GraphQLError, type GraphQLSchema } from 'graphql';
import type { GatewayContext } from '../context';
import type { RequestGate } from '../limits/request-gate';
import { describeError } from '../logging/logger';
import type { StoredResponse } from './idempotency-store';
import { mutationEntriesOf, type RefusedRequest } from './refusal-audit';

/** The action of a trail record written for an idempotent replay. */
export const REPLAYED_ACTION = 'replayed';

/** Resolves true when the replay may be answered: recorded, or nothing to record. */
export type AuditReplay = (
  context: GatewayContext,
  request: RefusedRequest,
  stored: StoredResponse,
) => Promise<boolean>;

/**
 * An idempotent replay hands the client a mutation's result again (which may hold PHI the caller
 * selected), so it is recorded like any request that returns data: before it is answered, fail
 * closed. One record per mutation of the document, action `replayed`, with the target ids the
 * run named and the outcome codes the stored answer carries; nothing from its data, and no
 * upstream request ids (a replay sends nothing upstream).
 */
export function replayAuditor(schema: GraphQLSchema, gate: RequestGate): AuditReplay {
  return async (context, request, stored) => {
    if (!context.audit) return true;
    const entries = mutationEntriesOf(schema, gate, context, request, storedErrorsOf(stored)).map((entry) => ({
      ...entry,
      action: REPLAYED_ACTION,
    }));
    if (entries.length === 0) return true;
    try {
      await context.audit.append(entries);
      return true;
    } catch (error) {
      context.logger?.error('audit.append_failed', describeError(error));
      return false;
    }
  };
}

/** The stored answer's errors reduced to what an outcome needs: the code and the response key. */
function storedErrorsOf(stored: StoredResponse): GraphQLError[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stored.body);
  } catch {
    return [new GraphQLError('', { extensions: { code: 'INTERNAL_SERVER_ERROR' } })];
  }
  const errors = (parsed as { errors?: unknown }).errors;
  if (!Array.isArray(errors)) return [];
  return errors.map((error: { path?: unknown; extensions?: { code?: unknown } }) => {
    const key = Array.isArray(error.path) && typeof error.path[0] === 'string' ? error.path[0] : undefined;
    const code = typeof error.extensions?.code === 'string' ? error.extensions.code : 'INTERNAL_SERVER_ERROR';
    return new GraphQLError('', { ...(key !== undefined ? { path: [key] } : {}), extensions: { code } });
  });
}
