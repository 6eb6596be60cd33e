import type { ServerResponse } from 'node:http';
import { HeaderMap, type HTTPGraphQLResponse } from '@apollo/server';
import type { Principal } from '../auth/principal';
import type { GraphQLParams } from './graphql-params';
import { checkIdempotencyKey, fingerprintOf, IDEMPOTENT_REPLAYED_HEADER } from './idempotency-key';
import type { Idempotency, IdempotencyStart, IdempotentRun } from './idempotency';
import type { StoredResponse } from './idempotency-store';

/**
 * The HTTP side of idempotent mutations: which requests take part, and how responses are recorded
 * and replayed. Only mutations do: a query is safe to repeat, so its `Idempotency-Key` is ignored.
 */

export interface IdempotencyInput {
  /** The `Idempotency-Key` header, if sent. */
  header: string | undefined;
  /** What the request gate admitted: the resolved document text and the operation's type. */
  admitted: { query: string; operationType: 'query' | 'mutation' | 'subscription' };
  params: GraphQLParams;
  principal: Principal | undefined;
}

export type IdempotencyStep = { kind: 'none' } | IdempotencyStart;

export async function idempotencyStepOf(idempotency: Idempotency, input: IdempotencyInput): Promise<IdempotencyStep> {
  const { header, admitted, params, principal } = input;
  if (header === undefined || admitted.operationType !== 'mutation' || principal === undefined) return { kind: 'none' };
  const check = checkIdempotencyKey(header);
  if (!check.ok) return { kind: 'refused', status: 400, code: 'BAD_REQUEST', message: check.message };
  return idempotency.begin({
    key: check.key,
    owner: { tenantId: principal.tenantId, method: principal.method, subject: principal.subject },
    fingerprint: fingerprintOf({
      query: admitted.query,
      operationName: params.operationName,
      variables: params.variables,
    }),
  });
}

/**
 * The run's response, recorded before it is answered (so a repeat sent the moment the answer
 * arrives is replayed, not refused as in flight). It settles after the request's deadline too:
 * a run that outlives its deadline still records the outcome it reaches.
 */
export async function recordedResponse(
  execution: Promise<HTTPGraphQLResponse>,
  run: IdempotentRun,
): Promise<HTTPGraphQLResponse> {
  const result = await execution;
  const stored = await storedResponseOf(result);
  await run.finish(stored);
  return {
    status: stored.status,
    headers: new HeaderMap([...result.headers]),
    body: { kind: 'complete', string: stored.body },
  };
}

/** Apollo's response as a record holds it: an incrementally delivered body is read to its end. */
export async function storedResponseOf(result: HTTPGraphQLResponse): Promise<StoredResponse> {
  let body: string;
  if (result.body.kind === 'complete') {
    body = result.body.string;
  } else {
    const chunks: string[] = [];
    for await (const chunk of result.body.asyncIterator) chunks.push(chunk);
    body = chunks.join('');
  }
  // A replay carries its own request's id, set by the handler.
  const headers = [...result.headers].filter(([name]) => name !== 'x-request-id');
  return { status: result.status ?? 200, headers, body };
}

/** Writes a recorded response as a replay (`Idempotent-Replayed: true`). */
export function writeReplay(response: ServerResponse, stored: StoredResponse): void {
  for (const [name, value] of stored.headers) response.setHeader(name, value);
  response.setHeader(IDEMPOTENT_REPLAYED_HEADER, 'true');
  response.statusCode = stored.status;
  response.end(stored.body);
}
