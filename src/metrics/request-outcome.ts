import type { ApolloServerPlugin, BaseContext, GraphQLResponse } from '@apollo/server';

/**
 * What a request's metrics need to know of its answer (the operation and the first error code),
 * noted where the answer is decided: by the gateway's own error answers (keyed by the HTTP
 * response) and by Apollo (keyed by the HTTPGraphQLRequest handed to it, the one object of the
 * request Apollo passes through as is: it clones the context). Weak keys: a note lives as long as
 * its request.
 */
export interface RequestOutcome {
  operationName?: string | null | undefined;
  code?: string | undefined;
}

interface Note extends RequestOutcome {
  /** Apollo's response, read only once every plugin is done with it. */
  graphqlResponse?: GraphQLResponse;
}

const notes = new WeakMap<object, Note>();

export function noteOutcome(key: object, outcome: Note): void {
  const note = notes.get(key);
  if (note) Object.assign(note, outcome);
  else notes.set(key, { ...outcome });
}

export function outcomeOf(key: object): RequestOutcome {
  const note = notes.get(key);
  if (!note) return {};
  const { graphqlResponse, ...outcome } = note;
  if (outcome.code !== undefined || graphqlResponse === undefined) return outcome;
  const { body } = graphqlResponse;
  return {
    ...outcome,
    code: outcomeCodeOf(body.kind === 'single' ? body.singleResult.errors : body.initialResult.errors),
  };
}

/** The `operationName` a GraphQL-over-HTTP request carries (body or query string), before anything parses it. */
export function requestedOperationName(body: unknown, search: URLSearchParams): string | undefined {
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
    const name = (body as { operationName?: unknown }).operationName;
    return typeof name === 'string' ? name : undefined;
  }
  return search.get('operationName') ?? undefined;
}

/** The first error's code, `OK` without errors. */
export function outcomeCodeOf(errors: ReadonlyArray<{ extensions?: Record<string, unknown> }> | undefined): string {
  const code = errors?.[0]?.extensions?.code;
  if (errors === undefined || errors.length === 0) return 'OK';
  return typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR';
}

/**
 * Notes, on the HTTP request Apollo was given, the operation it ran and its response. Plugins' hooks run
 * side by side and the audit plugin may still replace the answer (fail closed), so the code is
 * read from the response later, by `outcomeOf`, once Apollo has answered.
 */
export function outcomePlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ operationName, request, response }) {
          if (request.http)
            noteOutcome(request.http, {
              operationName: operationName ?? request.operationName ?? null,
              graphqlResponse: response,
            });
        },
      };
    },
  };
}
