import type { ServerResponse } from 'node:http';
import type { HTTPGraphQLResponse } from '@apollo/server';
import { IDEMPOTENT_REPLAYED_HEADER } from './idempotency-key';
import type { StoredResponse } from './idempotency-store';

/** Apollo's response as a record can hold it: an incrementally delivered body is read to its end. */
export async function storedResponseOf(result: HTTPGraphQLResponse): Promise<StoredResponse> {
  let body: string;
  if (result.body.kind === 'complete') {
    body = result.body.string;
  } else {
    const chunks: string[] = [];
    for await (const chunk of result.body.asyncIterator) chunks.push(chunk);
    body = chunks.join('');
  }
  return { status: result.status ?? 200, headers: [...result.headers], body };
}

/** Writes a recorded response; a replay says so (`Idempotent-Replayed: true`). */
export function writeStoredResponse(response: ServerResponse, stored: StoredResponse, replayed: boolean): void {
  for (const [name, value] of stored.headers) response.setHeader(name, value);
  if (replayed) response.setHeader(IDEMPOTENT_REPLAYED_HEADER, 'true');
  response.statusCode = stored.status;
  response.end(stored.body);
}
