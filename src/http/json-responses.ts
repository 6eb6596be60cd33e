import type { ServerResponse } from 'node:http';
import type { HTTPGraphQLResponse } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { tagErrorWithRequestId } from '../errors/error-request-ids';
import type { FormatError } from '../errors/format-error';
import { noteOutcome } from '../metrics/request-outcome';

/** An error answered before GraphQL runs: a status and the same `{ errors: [...] }` shape. */
export interface JsonError {
  status: number;
  code: string;
  message: string;
}

export function sendJsonError(response: ServerResponse, error: JsonError): number {
  noteOutcome(response, { code: error.code });
  const payload = JSON.stringify({ errors: [{ message: error.message, extensions: { code: error.code } }] });
  response.writeHead(error.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
    'cache-control': 'no-store',
  });
  response.end(payload);
  return error.status;
}

export type SendGraphQLError = (response: ServerResponse, error: unknown, requestId: string, status?: number) => number;

/** A GraphQL error as a whole response, through the same formatter as Apollo's responses. */
export function sendGraphQLErrorWith(formatError: FormatError): SendGraphQLError {
  return (response, error, requestId, status) => {
    tagErrorWithRequestId(error, requestId);
    const graphqlError =
      error instanceof GraphQLError
        ? error
        : new GraphQLError('Internal server error', { originalError: error as Error });
    const http = graphqlError.extensions.http as { status?: number; headers?: Map<string, string> } | undefined;
    const formatted = formatError(graphqlError.toJSON(), graphqlError);
    const payload = JSON.stringify({ errors: [formatted] });
    for (const [name, value] of http?.headers ?? []) response.setHeader(name, value);
    const finalStatus = status ?? http?.status ?? 500;
    noteOutcome(response, {
      code: typeof formatted.extensions?.code === 'string' ? formatted.extensions.code : 'INTERNAL_SERVER_ERROR',
    });
    // RFC 6750: a 401 names the scheme the caller should use.
    if (finalStatus === 401 && !response.hasHeader('www-authenticate'))
      response.setHeader('www-authenticate', 'Bearer');
    response.writeHead(finalStatus, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(payload),
      'cache-control': 'no-store',
    });
    response.end(payload);
    return finalStatus;
  };
}

/** Apollo's answer, complete or incremental, onto the Node response. */
export async function writeResponse(response: ServerResponse, result: HTTPGraphQLResponse): Promise<void> {
  for (const [name, value] of result.headers) response.setHeader(name, value);
  response.statusCode = result.status ?? 200;
  if (result.body.kind === 'complete') {
    response.end(result.body.string);
    return;
  }
  for await (const chunk of result.body.asyncIterator) response.write(chunk);
  response.end();
}
