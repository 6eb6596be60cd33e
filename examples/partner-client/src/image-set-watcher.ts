import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { connectionParams, type Credentials } from './credentials';
import { ImageSetChangedDocument } from './documents';
import type { ImageSetChangedSubscription } from './generated/graphql';
import { persistedDocumentOf, persistedQueryExtension } from './persisted-documents';

/** One event of `imageSetChanged`: the image set's state after a change. */
export type ImageSetChange = NonNullable<ImageSetChangedSubscription['imageSetChanged']>;

export interface ImageSetWatcherOptions {
  /** The gateway's GraphQL URL (http or ws): subscriptions are served on the same path. */
  url: string;
  credentials: Credentials;
  /** How long one wait may take before it gives up (default 2 minutes). */
  timeoutMs?: number;
}

/**
 * Waits for writes to settle over the gateway's `imageSetChanged` subscription (GraphQL over
 * WebSocket, the graphql-ws protocol), instead of polling `imageSet` (each poll a billable,
 * rate-limited upstream read). One WebSocket, opened on the first wait and shared by all, with
 * the credential in `connection_init`. graphql-ws reconnects after a dropped connection and
 * subscribes again, which is safe: a subscription with `untilVersionId` completes at once when
 * that version has already settled.
 */
export class ImageSetWatcher {
  private readonly client: Client;
  private readonly timeoutMs: number;

  constructor(options: ImageSetWatcherOptions) {
    this.timeoutMs = options.timeoutMs ?? 120_000;
    this.client = createClient({
      url: options.url.replace(/^http(s?):/, 'ws$1:'),
      webSocketImpl: WebSocket,
      connectionParams: connectionParams(options.credentials),
      lazy: true,
      retryAttempts: 3,
    });
  }

  /**
   * Every event until the write that made `untilVersionId` (the `latestVersionId` a mutation
   * answered) has settled; the last one is the final state: `workflowStatus` UPDATED, or
   * UPDATE_FAILED with `message`. Resolves when the gateway completes the stream.
   */
  untilSettled(
    datastoreId: string,
    imageSetId: string,
    untilVersionId: string,
    onEvent?: (event: ImageSetChange) => void,
  ): Promise<ImageSetChange[]> {
    const persisted = persistedDocumentOf(ImageSetChangedDocument);
    const events: ImageSetChange[] = [];
    return new Promise((resolve, reject) => {
      let settled = false;
      let unsubscribe: () => void = () => undefined;
      const finish = (outcome: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        unsubscribe();
        outcome();
      };
      const timer = setTimeout(
        () => finish(() => reject(new Error(`Image set ${imageSetId} did not settle within ${this.timeoutMs} ms.`))),
        this.timeoutMs,
      );
      unsubscribe = this.client.subscribe<ImageSetChangedSubscription>(
        {
          query: persisted.text,
          operationName: persisted.operationName,
          variables: { datastoreId, imageSetId, untilVersionId },
          extensions: persistedQueryExtension(persisted),
        },
        {
          next: (result) => {
            if (result.errors?.length) {
              const codes = result.errors.map((error) => String(error.extensions?.code ?? 'ERROR')).join(', ');
              finish(() => reject(new Error(`imageSetChanged failed: ${codes}: ${result.errors?.[0]?.message}`)));
              return;
            }
            const event = result.data?.imageSetChanged;
            if (!event) return;
            events.push(event);
            onEvent?.(event);
          },
          error: (error: unknown) => finish(() => reject(subscriptionError(error))),
          complete: () => finish(() => resolve(events)),
        },
      );
    });
  }

  async dispose(): Promise<void> {
    await this.client.dispose();
  }
}

/** graphql-ws reports GraphQL errors as an array, a closed socket as its close event. */
function subscriptionError(error: unknown): Error {
  if (error instanceof Error) return error;
  if (Array.isArray(error)) {
    const first = error[0] as { message?: string; extensions?: { code?: string } } | undefined;
    return new Error(`imageSetChanged failed: ${first?.extensions?.code ?? 'ERROR'}: ${first?.message ?? ''}`);
  }
  const closed = error as { code?: number; reason?: string } | null;
  if (closed && typeof closed.code === 'number') {
    return new Error(`The subscription socket closed (${closed.code} ${closed.reason ?? ''}).`);
  }
  return new Error('The subscription failed.');
}
