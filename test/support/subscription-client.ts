import { createClient, type Client, type FormattedExecutionResult } from 'graphql-ws';
import WebSocket from 'ws';

/** How a connection ended: the WebSocket close code and reason. */
export interface Closed {
  code: number;
  reason: string;
}

/** One event of a subscription, as graphql-ws delivers it. */
export type SubscriptionEvent<Data> = FormattedExecutionResult<Data>;

export interface SubscriptionClient {
  client: Client;
  /** Resolves when the connection closes (for whatever reason). */
  closed: Promise<Closed>;
  /** Starts a subscription; `next()` on the iterator waits for its next event. */
  subscribe<Data = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
  ): AsyncIterableIterator<SubscriptionEvent<Data>>;
  dispose(): Promise<void>;
}

/**
 * A graphql-ws client over a real WebSocket (the `ws` package) to a gateway's GraphQL URL, with
 * `connectionParams` as its `connection_init` payload. It never retries, so a refused connection
 * surfaces as the close event the server sent.
 */
export function subscriptionClient(graphqlUrl: string, connectionParams: Record<string, unknown>): SubscriptionClient {
  let resolveClosed: (closed: Closed) => void = () => undefined;
  const closed = new Promise<Closed>((resolve) => (resolveClosed = resolve));
  const client = createClient({
    url: graphqlUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    shouldRetry: () => false,
    on: {
      closed: (event) => {
        const { code, reason } = event as { code: number; reason: string };
        resolveClosed({ code, reason: String(reason) });
      },
    },
  });
  return {
    client,
    closed,
    subscribe: (query, variables) => client.iterate({ query, ...(variables ? { variables } : {}) }),
    dispose: async () => {
      await client.dispose();
    },
  };
}

/** The next event of a subscription, or `done` when it completed. */
export async function nextEvent<T>(events: AsyncIterator<T>): Promise<T | 'done'> {
  const next = await events.next();
  return next.done ? 'done' : next.value;
}
