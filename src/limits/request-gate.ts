import {
  GraphQLError,
  parse,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { LRUCache } from 'lru-cache';
import type { Principal } from '../auth/principal';
import type { TenantConfig } from '../tenants/tenant-config';
import { ForbiddenError, LimitExceededError, UnauthenticatedError } from '../errors/gateway-errors';
import type { GraphQLParams } from '../http/graphql-params';
import { measureOperation, selectOperation, UnmeasurableDocumentError, type OperationShape } from './document-shape';
import { operationCost, VariablesMismatchError } from './operation-cost';
import { OPERATION_LIMIT_WORDING, type OperationLimits } from './operation-limits';
import { documentIdOf, normalizeDocumentId, trustedDocumentsFor } from './trusted-documents';

/**
 * Everything a GraphQL request must pass before Apollo validates or executes it, in the order
 * that keeps each step's cost bounded by the one before:
 * 1. no credentials: refused without parsing (development lets introspection through, for Sandbox);
 * 2. the document's text is resolved (a persisted-query or trusted-document id alone names a text
 *    seen before) and checked against the caller's trusted documents;
 * 3. parsed with a token limit, so any text costs at most one bounded parse;
 * 4. measured (linear, fragments once) against the shape limits, then costed with the variables.
 * Parses, shapes and costs are remembered per text, so a hot document is judged once.
 */

export interface GateRequest {
  params: GraphQLParams;
  principal?: Principal;
  tenant?: TenantConfig;
}

export interface GateOptions {
  schema: GraphQLSchema;
  limits: OperationLimits;
  /** Development only: anonymous introspection, so Apollo Sandbox can load the schema before a header is pasted. */
  allowAnonymousIntrospection: boolean;
}

/** A refusal: one error, the HTTP status it travels with. */
export class GateRefusal extends Error {
  constructor(
    readonly status: number,
    readonly error: GraphQLError,
  ) {
    super(error.message);
    this.name = 'GateRefusal';
  }
}

export interface Admitted {
  /** The text Apollo runs (substituted when the request named it by id only). */
  query: string;
  documentId: string;
  operationName: string | undefined;
  operationType: OperationShape['operationType'];
}

interface ParsedDocument {
  document?: DocumentNode;
  syntaxError?: GraphQLError;
  shapes: Map<string, OperationShape | UnmeasurableDocumentError>;
  costs: Map<string, number>;
}

/** Distinct variable sets whose cost is remembered per document. */
const MAX_COSTS_PER_DOCUMENT = 64;
const MAX_REMEMBERED_VARIABLES_LENGTH = 2048;

function codedError(message: string, code: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extensions } });
}

export class RequestGate {
  /** Document texts by id, for requests that send only the id (Apollo's persisted queries). */
  private readonly texts = new LRUCache<string, string>({
    max: 2000,
    maxSize: 32 * 1024 * 1024,
    sizeCalculation: (text) => text.length + 64,
  });
  private readonly parsed = new LRUCache<string, ParsedDocument>({ max: 1000 });

  constructor(private readonly options: GateOptions) {}

  admit(request: GateRequest): Admitted {
    const { params, principal, tenant } = request;
    const anonymous = principal === undefined || tenant === undefined;
    if (anonymous && !this.options.allowAnonymousIntrospection) throw new GateRefusal(401, new UnauthenticatedError());

    const { query, documentId } = this.resolveText(params);
    if (!anonymous) {
      const trusted = trustedDocumentsFor(tenant, principal);
      if (trusted && !trusted.has(documentId)) {
        throw new GateRefusal(
          403,
          new ForbiddenError(
            `This credential may run trusted documents only, and this document (id sha256:${documentId}) is not one of them.`,
          ),
        );
      }
    }

    const entry = this.parse(query);
    if (entry.syntaxError) throw new GateRefusal(400, entry.syntaxError);
    const shape = this.shapeOf(entry, params.operationName);
    if (anonymous && !shape.introspectionOnly) throw new GateRefusal(401, new UnauthenticatedError());
    this.checkShape(shape);
    this.checkCost(entry, params);
    return { query, documentId, operationName: params.operationName, operationType: shape.operationType };
  }

  /**
   * The operation a request names, when its text is known and parses within the token limit (the
   * parse is the cached one): the audit trail records refused mutations by it. Undefined otherwise.
   */
  operationOf(params: GraphQLParams): { operation: OperationDefinitionNode; source: string } | undefined {
    try {
      const { query } = this.resolveText(params);
      const { document } = this.parse(query);
      return document ? { operation: selectOperation(document, params.operationName), source: query } : undefined;
    } catch {
      return undefined;
    }
  }

  private resolveText(params: GraphQLParams): { query: string; documentId: string } {
    const persisted = params.extensions.persistedQuery as { sha256Hash?: unknown } | undefined;
    const namedRaw =
      params.documentId ?? (typeof persisted?.sha256Hash === 'string' ? persisted.sha256Hash : undefined);
    const named = namedRaw === undefined ? undefined : normalizeDocumentId(namedRaw);
    if (namedRaw !== undefined && named === undefined) {
      throw new GateRefusal(400, codedError('The document id must be sha256:<64 hex digits>.', 'BAD_REQUEST'));
    }
    if (params.query !== undefined) {
      const documentId = documentIdOf(params.query);
      if (named !== undefined && named !== documentId) {
        throw new GateRefusal(400, codedError('provided sha does not match query', 'BAD_REQUEST'));
      }
      if (named !== undefined) this.texts.set(documentId, params.query);
      return { query: params.query, documentId };
    }
    if (named === undefined)
      throw new GateRefusal(400, codedError('The request has no query (and no document id).', 'BAD_REQUEST'));
    const known = this.texts.get(named);
    // Apollo's code and wording: Apollo Client's persisted-query link then resends with the text.
    if (known === undefined)
      throw new GateRefusal(200, codedError('PersistedQueryNotFound', 'PERSISTED_QUERY_NOT_FOUND'));
    return { query: known, documentId: named };
  }

  private parse(query: string): ParsedDocument {
    const known = this.parsed.get(query);
    if (known) return known;
    let entry: ParsedDocument;
    try {
      entry = {
        document: parse(query, { noLocation: true, maxTokens: this.options.limits.tokens }),
        shapes: new Map(),
        costs: new Map(),
      };
    } catch (error) {
      const message = error instanceof GraphQLError ? error.message : 'Syntax Error';
      entry = /more th(?:an|at) \d+ tokens/.test(message)
        ? { syntaxError: this.limitError('tokens'), shapes: new Map(), costs: new Map() }
        : { syntaxError: codedError(message, 'GRAPHQL_PARSE_FAILED'), shapes: new Map(), costs: new Map() };
    }
    // Only texts within the token limit are kept (a refused text is refused again at the same
    // bounded cost), so the cache is bounded by its count times that size.
    if (entry.document) this.parsed.set(query, entry);
    return entry;
  }

  private shapeOf(entry: ParsedDocument, operationName: string | undefined): OperationShape {
    const key = operationName ?? '';
    let shape = entry.shapes.get(key);
    if (shape === undefined) {
      try {
        shape = measureOperation(entry.document!, selectOperation(entry.document!, operationName));
      } catch (error) {
        if (!(error instanceof UnmeasurableDocumentError)) throw error;
        shape = error;
      }
      entry.shapes.set(key, shape);
    }
    if (shape instanceof UnmeasurableDocumentError) {
      throw new GateRefusal(
        400,
        this.validationError(entry.document!) ?? codedError(shape.message, 'GRAPHQL_VALIDATION_FAILED'),
      );
    }
    return shape;
  }

  private checkShape(shape: OperationShape): void {
    const { limits } = this.options;
    const figures: Array<[keyof OperationLimits, number]> = [
      ['depth', shape.depth],
      ['aliases', shape.aliases],
      ['rootFields', shape.rootFields],
      ['directives', shape.directives],
      ['fieldRepetition', shape.fieldRepetition],
      ['mutations', shape.mutations],
    ];
    for (const [limit, value] of figures) if (value > limits[limit]) throw new GateRefusal(400, this.limitError(limit));
  }

  private checkCost(entry: ParsedDocument, params: GraphQLParams): void {
    const variablesKey = JSON.stringify(params.variables);
    const key = `${params.operationName ?? ''}\u0000${variablesKey}`;
    let cost = entry.costs.get(key);
    if (cost === undefined) {
      const document = entry.document!;
      try {
        cost = operationCost(
          this.options.schema,
          document,
          selectOperation(document, params.operationName),
          params.variables,
        );
      } catch (error) {
        throw new GateRefusal(400, this.uncostable(error, document));
      }
      if (entry.costs.size < MAX_COSTS_PER_DOCUMENT && variablesKey.length <= MAX_REMEMBERED_VARIABLES_LENGTH)
        entry.costs.set(key, cost);
    }
    if (cost > this.options.limits.cost) throw new GateRefusal(400, this.limitError('cost'));
  }

  /**
   * A cost that cannot be computed refuses (fail closed), with the error Apollo would have given:
   * the variable coercion error, or the document's first validation error (validation is bounded
   * by the token limit here). The formatter removes any value either quotes.
   */
  private uncostable(error: unknown, document: DocumentNode): GraphQLError {
    if (error instanceof VariablesMismatchError) {
      const { variableError } = error;
      return new GraphQLError(variableError.message, {
        ...(variableError.originalError ? { originalError: variableError.originalError } : {}),
        extensions: { code: 'BAD_USER_INPUT' },
      });
    }
    return this.validationError(document) ?? codedError('The operation cannot be costed.', 'GRAPHQL_VALIDATION_FAILED');
  }

  private validationError(document: DocumentNode): GraphQLError | undefined {
    const [first] = validate(this.options.schema, document, undefined, { maxErrors: 1 });
    return first
      ? new GraphQLError(first.message, { nodes: first.nodes ?? [], extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })
      : undefined;
  }

  private limitError(limit: keyof OperationLimits): GraphQLError {
    const maximum = this.options.limits[limit];
    return new LimitExceededError(
      `${OPERATION_LIMIT_WORDING[limit]} (limit "${limit}", maximum ${maximum}).`,
      limit,
      maximum,
    );
  }
}
