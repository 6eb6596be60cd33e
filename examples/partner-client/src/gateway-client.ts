import { randomUUID } from 'node:crypto';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { OperationTypeNode } from 'graphql';
import { backoffDelayMs, sleep, type BackoffPolicy } from './backoff';
import { credentialHeaders, type Credentials } from './credentials';
import { persistedDocumentOf, persistedQueryExtension } from './persisted-documents';

/** One GraphQL error as the gateway answers it: always with `extensions.code`. */
export interface GatewayGraphQLError {
  message: string;
  path?: ReadonlyArray<string | number>;
  extensions?: { code?: string; [key: string]: unknown };
}

/** A request that answered GraphQL errors (or no data): the first error's code says what to do. */
export class GatewayRequestError extends Error {
  constructor(
    readonly operationName: string,
    readonly status: number,
    readonly errors: readonly GatewayGraphQLError[],
  ) {
    const summary = errors.map((error) => `${error.extensions?.code ?? 'ERROR'}: ${error.message}`).join('; ');
    super(`${operationName} failed (HTTP ${status}): ${summary || 'no data'}`);
    this.name = 'GatewayRequestError';
  }

  get code(): string | undefined {
    return this.errors[0]?.extensions?.code;
  }

  /** On VERSION_CONFLICT: the image set as the gateway saw it (`latestVersionId`, `state`, ...). */
  get current(): Record<string, unknown> | undefined {
    const current = this.errors[0]?.extensions?.current;
    return typeof current === 'object' && current !== null ? (current as Record<string, unknown>) : undefined;
  }
}

/** Why a request is sent again; the same request, with the same Idempotency-Key. */
export type RetryReason = 'throttled' | 'key-in-use' | 'unavailable' | 'network';

export interface RetryEvent {
  operationName: string;
  /** The attempt that failed, from 1. */
  attempt: number;
  reason: RetryReason;
  /** HTTP status, absent for a network failure. */
  status?: number;
  waitMs: number;
}

export interface GatewayClientOptions {
  /** The gateway's GraphQL endpoint, e.g. http://127.0.0.1:4000/graphql. */
  url: string;
  credentials: Credentials;
  /** Attempts per request, the first included (default 5). */
  maxAttempts?: number;
  /** Back-off between attempts when the gateway gives no Retry-After (default 250 ms doubling to 8 s). */
  backoff?: BackoffPolicy;
  /** Longest Retry-After the client honours; a longer one fails the request (default 60 s). */
  maxRetryAfterMs?: number;
  /** Per attempt (default 35 s: the gateway's own deadline is 30 s). */
  requestTimeoutMs?: number;
  onRetry?: (event: RetryEvent) => void;
}

export interface ExecuteOptions {
  /** For mutations: the key to send (default: a new UUID per call, reused by the call's retries). */
  idempotencyKey?: string;
}

export interface ExecuteResult<TData> {
  data: TData;
  /** The response's extensions, e.g. `phi: { withheld: true, ... }` when PHI was withheld. */
  extensions: Record<string, unknown> | undefined;
  /** The Idempotency-Key a mutation was sent with. */
  idempotencyKey?: string;
  /** True when the gateway answered a recorded response (`Idempotent-Replayed: true`). */
  replayed: boolean;
}

interface ResponseBody<TData> {
  data?: TData | null;
  errors?: GatewayGraphQLError[];
  extensions?: Record<string, unknown>;
}

/**
 * GraphQL over HTTP to the gateway with the kit's trusted documents. Each request sends the
 * document's exact manifest text with its id (the gateway checks both, and the id against the
 * credential's allow-list). Mutations carry an `Idempotency-Key`, so sending one again after a
 * lost answer, a 429, a 409 IDEMPOTENCY_KEY_IN_USE or a 502/503/504 can never write twice: the
 * gateway answers the recorded outcome instead. Everything else (GraphQL errors such as
 * VERSION_CONFLICT) is the caller's to handle, with a new request and so a new key.
 */
export class GatewayClient {
  private readonly maxAttempts: number;
  private readonly backoff: BackoffPolicy;
  private readonly maxRetryAfterMs: number;
  private readonly requestTimeoutMs: number;

  constructor(private readonly options: GatewayClientOptions) {
    this.maxAttempts = options.maxAttempts ?? 5;
    this.backoff = options.backoff ?? { baseDelayMs: 250, maxDelayMs: 8000 };
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 35_000;
  }

  get url(): string {
    return this.options.url;
  }

  get credentials(): Credentials {
    return this.options.credentials;
  }

  async execute<TData, TVariables extends Record<string, unknown>>(
    document: TypedDocumentNode<TData, TVariables>,
    variables: TVariables,
    options: ExecuteOptions = {},
  ): Promise<ExecuteResult<TData>> {
    const persisted = persistedDocumentOf(document);
    if (persisted.operationType === OperationTypeNode.SUBSCRIPTION) {
      throw new Error(`${persisted.operationName} is a subscription: use ImageSetWatcher (WebSocket).`);
    }
    const idempotencyKey =
      persisted.operationType === OperationTypeNode.MUTATION ? (options.idempotencyKey ?? randomUUID()) : undefined;
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...credentialHeaders(this.options.credentials),
      ...(idempotencyKey !== undefined ? { 'idempotency-key': idempotencyKey } : {}),
    };
    const body = JSON.stringify({
      query: persisted.text,
      operationName: persisted.operationName,
      variables,
      extensions: persistedQueryExtension(persisted),
    });

    for (let attempt = 1; ; attempt += 1) {
      const outcome = await this.send<TData>(persisted.operationName, headers, body);
      if (outcome.kind === 'answered') {
        const { response, parsed } = outcome;
        if ((parsed.errors?.length ?? 0) > 0 || parsed.data === undefined || parsed.data === null) {
          throw new GatewayRequestError(persisted.operationName, response.status, parsed.errors ?? []);
        }
        return {
          data: parsed.data,
          extensions: parsed.extensions,
          ...(idempotencyKey !== undefined ? { idempotencyKey } : {}),
          replayed: response.headers.get('idempotent-replayed') === 'true',
        };
      }
      if (attempt >= this.maxAttempts || outcome.waitMs > this.maxRetryAfterMs) throw outcome.error;
      const waitMs = Math.max(outcome.waitMs, backoffDelayMs(this.backoff, attempt));
      this.options.onRetry?.({
        operationName: persisted.operationName,
        attempt,
        reason: outcome.reason,
        ...(outcome.status !== undefined ? { status: outcome.status } : {}),
        waitMs,
      });
      await sleep(waitMs);
    }
  }

  /** One attempt: the parsed answer, or why and after how long to send the same request again. */
  private async send<TData>(
    operationName: string,
    headers: Record<string, string>,
    body: string,
  ): Promise<Attempt<TData>> {
    let response: Response;
    try {
      response = await fetch(this.options.url, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(this.requestTimeoutMs),
      });
    } catch (error) {
      // No answer: the request may or may not have run; the same key makes sending it again safe.
      const cause = error instanceof Error ? error : new Error(String(error));
      return { kind: 'retry', reason: 'network', waitMs: 0, error: cause };
    }
    const parsed = await readBody<TData>(response);
    const code = parsed.errors?.[0]?.extensions?.code;
    const reason = retryReasonOf(response.status, code);
    if (reason === undefined) return { kind: 'answered', response, parsed };
    return {
      kind: 'retry',
      reason,
      status: response.status,
      waitMs: retryAfterMs(response, parsed),
      error: new GatewayRequestError(operationName, response.status, parsed.errors ?? []),
    };
  }
}

type Attempt<TData> =
  | { kind: 'answered'; response: Response; parsed: ResponseBody<TData> }
  | { kind: 'retry'; reason: RetryReason; status?: number; waitMs: number; error: Error };

function retryReasonOf(status: number, code: string | undefined): RetryReason | undefined {
  if (status === 429 || code === 'THROTTLED') return 'throttled';
  if (status === 409 && code === 'IDEMPOTENCY_KEY_IN_USE') return 'key-in-use';
  if (status === 502 || status === 503 || status === 504) return 'unavailable';
  return undefined;
}

/** `Retry-After` in seconds (the gateway's form), else the THROTTLED error's `retryAfterSeconds`. */
function retryAfterMs(response: Response, parsed: ResponseBody<unknown>): number {
  const header = Number(response.headers.get('retry-after'));
  if (Number.isFinite(header) && header > 0) return header * 1000;
  const seconds = parsed.errors?.[0]?.extensions?.retryAfterSeconds;
  return typeof seconds === 'number' && seconds > 0 ? seconds * 1000 : 0;
}

async function readBody<TData>(response: Response): Promise<ResponseBody<TData>> {
  const text = await response.text();
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed === 'object' && parsed !== null) return parsed;
  } catch {
    // A proxy's HTML error page, say: described by its status below.
  }
  return {
    errors: [{ message: `HTTP ${response.status} without a GraphQL body`, extensions: { code: 'HTTP_ERROR' } }],
  };
}
