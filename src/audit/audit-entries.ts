import { Kind, type GraphQLError, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { getArgumentValues } from 'graphql/execution/values';
import type { Principal } from '../auth/principal';
import { isVersionId } from '../imaging/version-ids';
import { documentHash, type AuditEntry, type OperationType } from './audit-record';

/**
 * The audit entries one GraphQL request produced: one per mutation it ran (attempted, refused or
 * done, with its target and outcome code), and one `read` when it returned PHI. Built from the
 * executed operation, its variables and its errors; never from response data, so no attribute
 * value can reach the trail.
 */

export interface RequestFacts {
  requestId: string;
  principal: Principal;
  schema: GraphQLSchema;
  operation: OperationDefinitionNode | undefined;
  operationName: string | null;
  source: string;
  variables: Record<string, unknown>;
  errors: readonly GraphQLError[];
  /** PHI categories the response carried (empty: none). */
  phiCategories: readonly string[];
  /** The image sets whose PHI was read, when known. */
  phiTargets: ReadonlyArray<{ datastoreId: string; imageSetId: string; versionId?: string }>;
  upstreamRequestIds: readonly string[];
  occurredAt: Date;
}

interface Target {
  datastoreId: string | null;
  imageSetId: string | null;
  versionId: string | null;
}

const NO_TARGET: Target = { datastoreId: null, imageSetId: null, versionId: null };

const RESOURCE_ID = /^[0-9a-z]{32}$/;

/**
 * An id as the client sent it, only when it has the shape of one. A refused write may carry
 * anything where an id belongs (a patient id, a name), and the append-only trail cannot forget it.
 */
function idOf(value: unknown, shape: (value: string) => boolean): string | null {
  return typeof value === 'string' && shape(value) ? value : null;
}

const resourceId = (value: string): boolean => RESOURCE_ID.test(value);

/** The image set a mutation names in its `input` (copy: the source). */
function targetOf(input: unknown): Target {
  if (typeof input !== 'object' || input === null) return NO_TARGET;
  const fields = input as Record<string, unknown>;
  return {
    datastoreId: idOf(fields.datastoreId, resourceId),
    imageSetId: idOf(fields.imageSetId, resourceId) ?? idOf(fields.sourceImageSetId, resourceId),
    versionId: idOf(fields.latestVersionId, isVersionId) ?? idOf(fields.sourceLatestVersionId, isVersionId),
  };
}

/** The code of the first error under a response key (or of a request-level error), else OK. */
function outcomeOf(errors: readonly GraphQLError[], responseKey: string | undefined): string {
  const relevant = errors.find((error) => error.path === undefined || error.path[0] === responseKey);
  if (!relevant) return 'OK';
  const code =
    relevant.extensions?.code ??
    (relevant.originalError as { extensions?: { code?: unknown } } | undefined)?.extensions?.code;
  return typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR';
}

function clientOf(principal: Principal): Pick<AuditEntry, 'client' | 'clientKind'> {
  return principal.method === 'api-key'
    ? { client: principal.subject, clientKind: 'api-key' }
    : { client: principal.client ?? principal.subject, clientKind: 'jwt' };
}

export function auditEntriesOf(facts: RequestFacts): AuditEntry[] {
  const operationType: OperationType = facts.operation?.operation ?? 'query';
  const base = {
    occurredAt: facts.occurredAt,
    requestId: facts.requestId,
    tenantId: facts.principal.tenantId,
    subject: facts.principal.subject,
    ...clientOf(facts.principal),
    operationName: facts.operationName,
    operationType,
    documentHash: documentHash(facts.source),
    upstreamRequestIds: [...facts.upstreamRequestIds],
  };
  const entries: AuditEntry[] = [];

  if (operationType === 'mutation') {
    const mutationType = facts.schema.getMutationType();
    for (const selection of facts.operation?.selectionSet.selections ?? []) {
      if (selection.kind !== Kind.FIELD) continue;
      const field = mutationType?.getFields()[selection.name.value];
      let target = NO_TARGET;
      if (field) {
        try {
          target = targetOf(getArgumentValues(field, selection, facts.variables).input);
        } catch {
          // Arguments that do not coerce: the mutation was refused before it ran; no target to name.
        }
      }
      entries.push({
        ...base,
        action: selection.name.value,
        ...target,
        dataCategories: [],
        outcome: outcomeOf(facts.errors, selection.alias?.value ?? selection.name.value),
      });
    }
  }

  if (facts.phiCategories.length > 0) {
    const only = facts.phiTargets.length === 1 ? facts.phiTargets[0] : undefined;
    entries.push({
      ...base,
      action: 'read',
      datastoreId: only?.datastoreId ?? null,
      imageSetId: only?.imageSetId ?? null,
      versionId: only?.versionId ?? null,
      dataCategories: [...facts.phiCategories],
      outcome: facts.errors.length === 0 ? 'OK' : 'PARTIAL',
    });
  }
  return entries;
}
