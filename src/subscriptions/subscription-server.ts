import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  GraphQLError,
  parse,
  validate,
  type ExecutionArgs,
  type GraphQLFormattedError,
  type GraphQLSchema,
} from 'graphql';
import type { SubscribePayload } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Principal } from '../auth/principal';
import type { ContextFactory } from '../context';
import { LimitExceededError, UpstreamUnavailableError } from '../errors/gateway-errors';
import type { FormatError } from '../errors/format-error';
import { GateRefusal, type RequestGate } from '../limits/request-gate';
import { throttledErrorOf } from '../limits/rate-limits-error';
import type { Admission } from '../limits/rate-limits';
import { silentLogger, type Logger } from '../logging/logger';
import { PhiAccess } from '../phi/phi-access';
import type { TenantConfig } from '../tenants/tenant-config';
import { credentialExpiresAt, credentialHeadersOf, credentialKey } from './connection-credentials';
import { CredentialSubscriptions } from './credential-subscriptions';
import type { ImageSetWatches } from './image-set-watches';
import type { SubscriptionContext } from './subscription-context';

/**
 * GraphQL over WebSocket (the graphql-ws protocol) on the GraphQL path: the gateway's request
 * pipeline for subscriptions. The `connection_init` payload authenticates the connection with the
 * same credentials as HTTP (no credentials, or bad ones: closed with 4401); each subscription then
 * passes the same gate as an HTTP request (rate limits, trusted documents, operation limits), the
 * per-credential subscription limit, and validation, and runs with a request context of its own.
 * Only subscriptions run here: queries and mutations keep HTTP, where the audit trail, idempotency
 * keys and deadlines apply.
 */

export const CLOSE_UNAUTHORIZED = 4401;
/** RFC 6455's "try again later": the identity provider could not be reached. */
const CLOSE_TRY_AGAIN_LATER = 1013;
const CLOSE_NORMAL = 1000;
const CLOSE_GOING_AWAY = 1001;
/** How long closing waits for clients to answer the close before cutting them. */
const CLOSE_GRACE_MS = 1000;

export interface SubscriptionSettings {
  /** Subscriptions one credential may hold at once on one replica. */
  maxPerCredential: number;
  /** A connection with no subscription for this long is closed. */
  idleTimeoutMs: number;
  /** The shared pollers' back-off: from this interval... */
  pollMinMs: number;
  /** ...to this one while nothing changes. */
  pollMaxMs: number;
}

export interface SubscriptionServerOptions {
  schema: GraphQLSchema;
  contextFactory: ContextFactory;
  gate: RequestGate;
  formatError: FormatError;
  watches: ImageSetWatches;
  settings: SubscriptionSettings;
  /** Largest message a client may send (documents and variables are small). */
  maxPayloadBytes: number;
  /** The path the GraphQL endpoint is served on; upgrades elsewhere are refused. */
  path: string;
  /** Takes a token from the credential's and tenant's buckets, as an HTTP request does. */
  admit?: (principal: Principal, tenant: TenantConfig) => Promise<Admission>;
  /** False while the gateway is starting or stopping: upgrades are refused. */
  accepting?: () => boolean;
  logger?: Logger;
  /** graphql-ws keep-alive pings (ms). */
  keepAliveMs?: number;
}

export interface SubscriptionServer {
  /** The http server's `upgrade` listener. */
  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Open WebSocket connections (for tests and metrics). */
  readonly connections: number;
  /** Closes every connection ("going away") and stops accepting. */
  close(): Promise<void>;
}

interface ConnectionState {
  principal: Principal;
  tenant: TenantConfig;
  headers: Record<string, string>;
  /** Running subscriptions by id: what each gives back when it ends. */
  running: Map<string, () => void>;
  expiryTimer?: NodeJS.Timeout;
  idleTimer?: NodeJS.Timeout | undefined;
}

function codedError(message: string, code: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code } });
}

export function createSubscriptionServer(options: SubscriptionServerOptions): SubscriptionServer {
  const logger = options.logger ?? silentLogger;
  const { schema, gate, settings } = options;
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayloadBytes });
  const states = new WeakMap<WebSocket, ConnectionState>();
  const perCredential = new CredentialSubscriptions(settings.maxPerCredential);
  const format = (error: GraphQLError): GraphQLFormattedError => options.formatError(error.toJSON(), error);

  const armIdle = (socket: WebSocket, state: ConnectionState): void => {
    if (state.idleTimer) clearTimeout(state.idleTimer);
    state.idleTimer = undefined;
    if (state.running.size > 0) return;
    state.idleTimer = setTimeout(() => socket.close(CLOSE_NORMAL, 'Idle timeout'), settings.idleTimeoutMs);
    state.idleTimer.unref();
  };

  const refuse = (socket: WebSocket, code: number, reason: string, logReason: string): false => {
    logger.info('subscriptions.connection_refused', { code, reason: logReason });
    socket.close(code, reason);
    return false;
  };

  const endSubscription = (socket: WebSocket, id: string): void => {
    const state = states.get(socket);
    const release = state?.running.get(id);
    if (!state || !release) return;
    state.running.delete(id);
    release();
    armIdle(socket, state);
  };

  const prepare = async (
    socket: WebSocket,
    state: ConnectionState,
    id: string,
    payload: SubscribePayload,
  ): Promise<ExecutionArgs | readonly GraphQLError[]> => {
    const leave = perCredential.tryEnter(credentialKey(state.principal));
    if (!leave) {
      const maximum = settings.maxPerCredential;
      return [
        new LimitExceededError(
          `This credential holds ${maximum} subscriptions already, the most it may (limit "subscriptions", maximum ${maximum}).`,
          'subscriptions',
          maximum,
        ),
      ];
    }
    let started = false;
    try {
      const admitted = await admit(state, payload);
      if (typeof admitted !== 'string') return admitted;
      const document = parse(admitted, { noLocation: true });
      const invalid = validate(schema, document, undefined, { maxErrors: 1 });
      if (invalid.length > 0) {
        return invalid.map(
          (error) => new GraphQLError(error.message, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }),
        );
      }
      // Re-authenticated per subscription, so a credential that stopped verifying stops subscribing.
      const requestContext = await options.contextFactory({ req: { headers: state.headers } });
      // Events are not audited, so they carry no PHI whatever the scopes.
      const phi = new PhiAccess(false);
      const contextValue: SubscriptionContext = {
        ...requestContext,
        phi,
        phiReads: phi,
        imageSetWatches: options.watches,
      };
      state.running.set(id, () => {
        leave();
        requestContext.metadataBudget?.release();
      });
      started = true;
      armIdle(socket, state);
      return {
        schema,
        document,
        ...(payload.operationName ? { operationName: payload.operationName } : {}),
        variableValues: payload.variables ?? {},
        contextValue,
      };
    } finally {
      if (!started) leave();
    }
  };

  /** The HTTP request's steps before execution: the text to run (a document named by id runs the text the gate resolved), or the one error to answer. */
  const admit = async (state: ConnectionState, payload: SubscribePayload): Promise<string | GraphQLError[]> => {
    const { principal, tenant } = state;
    if (options.admit) {
      const admission = await options.admit(principal, tenant);
      if (!admission.ok) return [throttledErrorOf(admission)];
      // A subscription is one request to the rate limits; it holds no in-flight slot while it runs.
      admission.release();
    }
    let admitted;
    try {
      admitted = gate.admit({
        params: {
          ...(payload.query !== '' ? { query: payload.query } : {}),
          ...(payload.operationName ? { operationName: payload.operationName } : {}),
          variables: payload.variables ?? {},
          extensions: payload.extensions ?? {},
        },
        principal,
        tenant,
      });
    } catch (error) {
      if (error instanceof GateRefusal) return [error.error];
      throw error;
    }
    if (admitted.operationType !== 'subscription') {
      return [
        codedError(
          'Only subscriptions are served over WebSocket; send queries and mutations over HTTP.',
          'BAD_REQUEST',
        ),
      ];
    }
    return admitted.query;
  };

  useServer<Record<string, unknown>, Record<PropertyKey, never>>(
    {
      schema,
      // Never put an exception's message in a close reason.
      isProd: true,
      onConnect: async (ctx) => {
        const socket = ctx.extra.socket;
        const headers = credentialHeadersOf(ctx.connectionParams);
        let context;
        try {
          context = await options.contextFactory({ req: { headers } });
        } catch (error) {
          if (error instanceof UpstreamUnavailableError)
            return refuse(socket, CLOSE_TRY_AGAIN_LATER, 'Try again later', 'identity_provider_unavailable');
          return refuse(socket, CLOSE_UNAUTHORIZED, 'Unauthorized', 'invalid_credentials');
        }
        context.metadataBudget?.release();
        const { principal, tenant } = context;
        if (!principal || !tenant) return refuse(socket, CLOSE_UNAUTHORIZED, 'Unauthorized', 'no_credentials');
        const state: ConnectionState = { principal, tenant, headers, running: new Map() };
        const expiresAt = credentialExpiresAt(principal, headers);
        if (expiresAt !== undefined) {
          // setTimeout holds at most 2^31-1 ms (24.8 days); tokens live at most a day.
          const delay = Math.min(Math.max(expiresAt - Date.now(), 0), 2 ** 31 - 1);
          state.expiryTimer = setTimeout(() => socket.close(CLOSE_UNAUTHORIZED, 'Token expired'), delay);
          state.expiryTimer.unref();
        }
        states.set(socket, state);
        armIdle(socket, state);
        return true;
      },
      onSubscribe: async (ctx, id, payload) => {
        const socket = ctx.extra.socket;
        const state = states.get(socket);
        if (!state) return [codedError('Valid credentials are required.', 'UNAUTHENTICATED')];
        try {
          return await prepare(socket, state, id, payload);
        } catch (error) {
          return [
            error instanceof GraphQLError
              ? error
              : new GraphQLError('Internal server error', { originalError: error as Error }),
          ];
        }
      },
      onNext: (_ctx, _id, _payload, _args, result) => {
        if (!result.errors) return undefined;
        return { ...(result.data !== undefined ? { data: result.data } : {}), errors: result.errors.map(format) };
      },
      onError: (_ctx, _id, _payload, errors) => errors.map(format),
      onComplete: (ctx, id) => endSubscription(ctx.extra.socket, id),
      onClose: (ctx) => {
        const socket = ctx.extra.socket;
        const state = states.get(socket);
        if (!state) return;
        for (const id of [...state.running.keys()]) endSubscription(socket, id);
        if (state.expiryTimer) clearTimeout(state.expiryTimer);
        if (state.idleTimer) clearTimeout(state.idleTimer);
        states.delete(socket);
      },
    },
    wss,
    options.keepAliveMs,
  );

  let closing: Promise<void> | undefined;
  return {
    upgrade(request, socket, head) {
      const path = new URL(request.url ?? '/', 'http://gateway.invalid').pathname;
      const accepting = !closing && (options.accepting?.() ?? true);
      if (path !== options.path || !accepting) {
        const status = path !== options.path ? '404 Not Found' : '503 Service Unavailable';
        socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
        return;
      }
      wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
    },
    get connections() {
      return wss.clients.size;
    },
    close() {
      closing ??= (async () => {
        // Clients reconnect elsewhere on "going away"; one that does not answer the close is cut.
        for (const client of wss.clients) client.close(CLOSE_GOING_AWAY, 'Going away');
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          new Promise<void>((resolve) => wss.close(() => resolve())),
          new Promise<void>((resolve) => (timer = setTimeout(resolve, CLOSE_GRACE_MS))),
        ]);
        clearTimeout(timer);
        for (const client of wss.clients) client.terminate();
      })();
      return closing;
    },
  };
}
