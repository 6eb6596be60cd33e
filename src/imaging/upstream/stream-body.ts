import { discardStream } from './upstream-errors';

/** The body exceeded the byte limit; the stream was destroyed. */
export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`The upstream response body exceeds ${limit} bytes.`);
    this.name = 'BodyTooLargeError';
  }
}

/**
 * Reads a streamed SDK payload (a Node Readable, or anything async-iterable of bytes) into one
 * buffer, stopping at `maxBytes`. On every failure path the stream is destroyed so its socket goes
 * back to the pool instead of idling until a timeout.
 */
export async function readBodyCapped(body: unknown, maxBytes: number, signal?: AbortSignal): Promise<Uint8Array> {
  if (body instanceof Uint8Array) {
    if (body.length > maxBytes) throw new BodyTooLargeError(maxBytes);
    return body;
  }
  if (typeof body !== 'object' || body === null || !(Symbol.asyncIterator in body)) {
    discardStream(body);
    throw new Error('The upstream response had no readable body.');
  }
  const chunks: Buffer[] = [];
  let total = 0;
  const onAbort = (): void => discardStream(body);
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    if (signal?.aborted) throw abortErrorFrom(signal);
    for await (const chunk of body as AsyncIterable<Uint8Array | string>) {
      const buffer =
        typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      total += buffer.length;
      if (total > maxBytes) throw new BodyTooLargeError(maxBytes);
      chunks.push(buffer);
    }
    if (signal?.aborted) throw abortErrorFrom(signal);
    return Buffer.concat(chunks, total);
  } catch (error) {
    discardStream(body);
    if (signal?.aborted && !(error instanceof BodyTooLargeError)) throw abortErrorFrom(signal);
    throw error;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

function abortErrorFrom(signal: AbortSignal): Error {
  const error = new Error('The upstream response was not read within the deadline.');
  error.name = 'AbortError';
  (error as { cause?: unknown }).cause = signal.reason;
  return error;
}
