import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Redis } from 'ioredis';
import { ApolloServer, type HTTPGraphQLResponse } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { GraphQLError, OperationTypeNode, type GraphQLSchema } from 'graphql';
import { auditEntriesOf } from './audit/audit-entries';
import { auditPlugin } from './audit/audit-plugin';
import { phiExtensionPlugin } from './phi/phi-extension.plugin';
import type { AuditStore } from './audit/audit-store';
import { createAuthenticator, type Authenticator } from './auth/authenticate';
import type { TenantConfig } from './tenants/tenant-config';
import type { TenantRegistry } from './tenants/tenant-registry';
import type { GatewayConfig } from './config';
import { SignedIds } from './auth/signed-ids';
import { createContextFactory, requestIdFrom, type GatewayContext } from './context';
import { createFormatError, type FormatError } from './errors/format-error';
import { requestIdPlugin } from './errors/request-id-plugin';
import { describeError, silentLogger, type Logger } from './logging/logger';
import { CorsPolicy } from './http/cors-policy';
import { BodyTooLargeError, isJsonContentType, readBody } from './http/request-body';
import { createMedicalImagingClient } from './imaging/upstream/client-factory';
import type { ImagingPort } from './imaging/imaging-port';
import type { ImagingLoaders } from './imaging/loaders';
import { ImagingService } from './imaging/imaging-service';
import { logUpstreamCall } from './imaging/upstream/upstream-call-log';
import type { UpstreamCallEvent } from './imaging/upstream/upstream-caller';
import { GateRefusal, RequestGate, type Admitted } from './limits/request-gate';
import { RateLimits } from './limits/rate-limits';
import { throttledErrorOf } from './limits/rate-limits-error';
import { headerMapFromRaw } from './http/raw-headers';
import { GraphQLParamsError, graphqlParamsOf, type GraphQLParams } from './http/graphql-params';
import { Idempotency } from './http/idempotency';
import { idempotencyStepOf, recordedResponse, writeReplay } from './http/idempotency-http';
import { IDEMPOTENCY_KEY_HEADER } from './http/idempotency-key';
import { MemoryIdempotencyStore } from './http/idempotency-store';
import { RedisIdempotencyStore } from './http/idempotency-store-redis';
import { abortable, withRequestSignal } from './imaging/upstream/request-signal';
import { DeadlineExceededError } from './errors/gateway-errors';
import { tagErrorWithRequestId } from './errors/error-request-ids';
import { buildGatewaySchema } from './schema';
import {
  answerProbe,
  auditStoreCheck,
  HEALTH_PATH,
  Readiness,
  READY_PATH,
  redisCheck,
  tenantsCheck,
} from './http/health';
import type { GatewayMetrics } from './metrics/gateway-metrics';
import { metadataBudgetOf } from './metrics/observed-metadata-budget';
import { noteOutcome, outcomeOf, outcomePlugin, requestedOperationName } from './metrics/request-outcome';

export const GRAPHQL_PATH = '/graphql';
export { HEALTH_PATH, READY_PATH } from './http/health';
/** GraphQL documents and variables are small; image data never travels through this endpoint. */
export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;
/** How long after its deadline a running idempotent request may still record its outcome (reconciliation reads). */
const IDEMPOTENCY_LEASE_MARGIN_MS = 60_000;
/** The embedded Sandbox of the development landing page runs in an iframe on this origin. */
export const SANDBOX_EMBED_ORIGIN = 'https://sandbox.embed.apollographql.com';

export interface GatewayDeps {
  registry: TenantRegistry;
  logger?: Logger;
  /** Defaults to an authenticator over `registry` (JWT and API keys). */
  authenticate?: Authenticator;
  /** Defaults to an `ImagingService` over a per-tenant SDK client built from the tenant's upstream. */
  serviceFor?: (tenant: TenantConfig) => ImagingPort;
  /** Builds each request's loaders; defaults to `createLoaders` (a benchmark swaps in non-batching ones). */
  loadersFor?: (port: ImagingPort) => ImagingLoaders;
  /** Observes every upstream call of the default services (metrics, tests); each call is logged as well. */
  onUpstreamCall?: (event: UpstreamCallEvent) => void;
  bodyLimitBytes?: number;
  /** Defaults to `buildGatewaySchema()`. */
  schema?: GraphQLSchema;
  /** The audit trail, put on each authenticated request's context; whoever opened it closes it. */
  audit?: AuditStore;
  /** Shares the rate limits and idempotency records between replicas (see src/limits/rate-limits.ts); whoever opened it closes it. */
  redis?: Redis;
  /** Counts requests, upstream calls, throttles and gate refusals (see src/metrics/); none when omitted. */
  metrics?: GatewayMetrics;
}

export interface Gateway {
  server: ApolloServer<GatewayContext>;
  /** A Node `http` request listener serving `/graphql` (and `/healthz`); it never listens itself. */
  handler: RequestListener;
  start(): Promise<void>;
  /** Stops Apollo and releases the SDK clients this gateway created. */
  stop(): Promise<void>;
}

interface JsonError {
  status: number;
  code: string;
  message: string;
}

export async function createGateway(config: GatewayConfig, deps: GatewayDeps): Promise<Gateway> {
  const logger = deps.logger ?? silentLogger;
  const schema = deps.schema ?? (await buildGatewaySchema());
  const bodyLimit = deps.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  const cors = new CorsPolicy(config.landingPage ? [...config.corsOrigins, SANDBOX_EMBED_ORIGIN] : config.corsOrigins);

  const clients: Array<{ destroy(): void }> = [];
  const logCall = logUpstreamCall(logger);
  const observe = deps.onUpstreamCall;
  const metrics = deps.metrics;
  const onUpstreamCall = (event: UpstreamCallEvent): void => {
    logCall(event);
    observe?.(event);
    metrics?.upstreamCall(event);
  };
  const serviceFor =
    deps.serviceFor ??
    ((tenant: TenantConfig): ImagingPort => {
      const client = createMedicalImagingClient(tenant.upstream);
      clients.push(client);
      return new ImagingService({ tenant, client, onUpstreamCall });
    });

  const ids = new SignedIds(config.cursorSecret, Date.now, { cursorTtlSeconds: config.cursorTtlSeconds });
  const gate = new RequestGate({
    schema,
    limits: config.operationLimits,
    allowAnonymousIntrospection: config.introspection,
  });
  const rateLimits = new RateLimits({
    defaults: config.rateLimits,
    ...(deps.redis ? { redis: deps.redis } : {}),
    keyPrefix: config.redisKeyPrefix,
    logger,
  });
  const idempotency = new Idempotency({
    store: deps.redis ? new RedisIdempotencyStore(deps.redis, config.redisKeyPrefix) : new MemoryIdempotencyStore(),
    leaseMs: config.requestDeadlineMs + IDEMPOTENCY_LEASE_MARGIN_MS,
    logger,
  });
  const formatError = createFormatError({ logger });
  const sendGraphQLError = sendGraphQLErrorWith(formatError);
  const contextFactory = createContextFactory({
    ids,
    metadataBudget: metadataBudgetOf(
      config.maxMetadataBytesInFlight,
      metrics && (() => metrics.throttled('metadata_budget')),
    ),
    config,
    registry: deps.registry,
    authenticate: deps.authenticate ?? createAuthenticator(deps.registry, { logger }),
    serviceFor,
    ...(deps.loadersFor ? { loadersFor: deps.loadersFor } : {}),
    ...(deps.audit ? { audit: deps.audit } : {}),
    logger,
  });

  const server = new ApolloServer<GatewayContext>({
    schema,
    formatError,
    includeStacktraceInErrorResponses: false,
    // Apollo's own SIGTERM handler would stop it at once (failing the requests the drain waits for)
    // and then kill the process by the signal (exit 143): main.ts owns shutdown.
    stopOnTerminationSignals: false,
    introspection: config.introspection,
    // Without introspection, "Did you mean …" suggestions would leak the schema piece by piece.
    hideSchemaDetailsFromClientErrors: !config.introspection,
    plugins: [
      // The gateway sets no cache hints and reports to no Apollo account; both defaults would
      // otherwise wrap every field resolution (cache control) or ship operations out (usage).
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginUsageReportingDisabled(),
      requestIdPlugin<GatewayContext>(),
      auditPlugin(),
      phiExtensionPlugin(),
      outcomePlugin(),
      config.landingPage
        ? ApolloServerPluginLandingPageLocalDefault({
            embed: { runTelemetry: false },
            footer: false,
            includeCookies: false,
          })
        : ApolloServerPluginLandingPageDisabled(),
    ],
  });

  const readiness = new Readiness([
    tenantsCheck(deps.registry),
    ...(deps.audit ? [auditStoreCheck(deps.audit)] : []),
    ...(deps.redis ? [redisCheck(deps.redis)] : []),
  ]);
  let started = false;

  // A refused write is still an attempted write: the trail records it (a refused read holds no PHI).
  const auditRefusal = async (
    context: GatewayContext,
    refusal: GateRefusal,
    method: string,
    body: unknown,
    search: URLSearchParams,
  ): Promise<void> => {
    if (!context.audit || !context.principal) return;
    let params;
    try {
      params = graphqlParamsOf(method, body, search);
    } catch {
      return;
    }
    const named = gate.operationOf(params);
    if (named?.operation.operation !== OperationTypeNode.MUTATION) return;
    const entries = auditEntriesOf({
      requestId: context.requestId,
      principal: context.principal,
      schema,
      operation: named.operation,
      operationName: named.operation.name?.value ?? null,
      source: named.source,
      variables: params.variables,
      errors: [refusal.error],
      phiCategories: [],
      phiTargets: [],
      upstreamRequestIds: [],
      occurredAt: new Date(),
    });
    try {
      if (entries.length > 0) await context.audit.append(entries);
    } catch (error) {
      // The request is refused either way; the operator must still learn the trail failed.
      context.logger?.error('audit.append_failed', describeError(error));
    }
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const requestId = requestIdFrom(request.headers);
    response.setHeader('x-request-id', requestId);
    const url = new URL(request.url ?? '/', 'http://gateway.invalid');
    const method = (request.method ?? 'GET').toUpperCase();
    const startedAt = Date.now();
    // Any other path is whatever the client typed (it could be anything, a patient's name too).
    const loggedPath = [GRAPHQL_PATH, HEALTH_PATH, READY_PATH].includes(url.pathname) ? url.pathname : '(other)';
    const finish = (status: number): void => {
      logger.info('http.request', { requestId, method, path: loggedPath, status, durationMs: Date.now() - startedAt });
      const { operationName, code = 'OK' } = outcomeOf(response);
      if (loggedPath === GRAPHQL_PATH)
        metrics?.requestFinished({ operationName, code, status, seconds: (Date.now() - startedAt) / 1000 });
    };

    if (!started)
      return finish(
        sendJsonError(response, { status: 503, code: 'UPSTREAM_UNAVAILABLE', message: 'The gateway is not ready.' }),
      );
    if ((url.pathname === HEALTH_PATH || url.pathname === READY_PATH) && (method === 'GET' || method === 'HEAD')) {
      return finish(await answerProbe(url.pathname, method, response, readiness));
    }
    if (url.pathname !== GRAPHQL_PATH) {
      return finish(
        sendJsonError(response, {
          status: 404,
          code: 'NOT_FOUND',
          message: `Not found; the GraphQL endpoint is ${GRAPHQL_PATH}.`,
        }),
      );
    }

    const preflight = method === 'OPTIONS';
    const verdict = cors.evaluate({
      ...(typeof request.headers.origin === 'string' ? { origin: request.headers.origin } : {}),
      ...(request.headers.host
        ? { selfOrigin: `${'encrypted' in request.socket ? 'https' : 'http'}://${request.headers.host}` }
        : {}),
      preflight,
    });
    if (verdict.kind === 'denied') {
      return finish(
        sendJsonError(response, { status: 403, code: 'FORBIDDEN', message: 'This origin may not call the gateway.' }),
      );
    }
    if (verdict.kind === 'allowed') for (const [name, value] of verdict.headers) response.setHeader(name, value);
    if (preflight) {
      response.writeHead(204, { 'content-length': '0' });
      response.end();
      return finish(204);
    }

    let body: unknown;
    if (method === 'POST') {
      let bytes: Buffer;
      try {
        bytes = await readBody(request, bodyLimit);
      } catch (error) {
        if (error instanceof BodyTooLargeError) {
          response.setHeader('connection', 'close');
          return finish(
            sendJsonError(response, {
              status: 413,
              code: 'BAD_REQUEST',
              message: `The request body exceeds ${bodyLimit} bytes.`,
            }),
          );
        }
        throw error;
      }
      if (isJsonContentType(request.headers['content-type'])) {
        try {
          body = bytes.length === 0 ? undefined : JSON.parse(bytes.toString('utf8'));
        } catch {
          return finish(
            sendJsonError(response, {
              status: 400,
              code: 'BAD_REQUEST',
              message: 'The request body is not valid JSON.',
            }),
          );
        }
      } else {
        body = bytes.toString('utf8');
      }
    }

    noteOutcome(response, { operationName: requestedOperationName(body, url.searchParams) });
    const headers = headerMapFromRaw(request.rawHeaders);
    // The context derives the same id from this header, so logs, errors and the response agree.
    headers.set('x-request-id', requestId);
    const httpGraphQLRequest = { method, headers, search: url.search, body };

    // The landing page (development) is a static page: no credentials, no document.
    if (method === 'GET' && prefersHtml(headers.get('accept'))) {
      const page = await server.executeHTTPGraphQLRequest({
        httpGraphQLRequest,
        context: () => Promise.resolve({ requestId, ids }),
      });
      await writeResponse(response, page);
      return finish(page.status ?? 200);
    }

    let context: GatewayContext;
    try {
      context = await contextFactory({ req: { headers } });
    } catch (error) {
      return finish(sendGraphQLError(response, error, requestId));
    }
    // Anonymous requests reach the gate, which refuses them (or lets development's introspection by).
    if (context.principal && context.tenant) {
      const admission = await rateLimits.admit(context.principal, context.tenant);
      if (!admission.ok) {
        context.logger?.info('graphql.throttled', { code: 'THROTTLED', reason: admission.reason });
        metrics?.throttled(admission.reason);
        response.setHeader('retry-after', String(admission.retryAfterSeconds));
        return finish(sendGraphQLError(response, throttledErrorOf(admission), requestId, 429));
      }
      // 'close' follows every answer, early refusals and a client that hangs up included.
      response.once('close', admission.release);
    }
    let admitted: Admitted;
    let params: GraphQLParams;
    try {
      params = graphqlParamsOf(method, body, url.searchParams);
      admitted = gate.admit({
        params,
        ...(context.principal ? { principal: context.principal } : {}),
        ...(context.tenant ? { tenant: context.tenant } : {}),
      });
    } catch (error) {
      if (error instanceof GraphQLParamsError) {
        return finish(sendJsonError(response, { status: 400, code: 'BAD_REQUEST', message: error.message }));
      }
      if (error instanceof GateRefusal) {
        context.logger?.info('graphql.refused', {
          code: String(error.error.extensions.code),
          limit: error.error.extensions.limit,
        });
        metrics?.gateRefused(error.error.extensions.limit ?? error.error.extensions.code);
        await auditRefusal(context, error, method, body, url.searchParams);
        return finish(sendGraphQLError(response, error.error, requestId, error.status));
      }
      throw error;
    }
    withAdmittedQuery(httpGraphQLRequest, admitted.query);
    const idempotent = await idempotencyStepOf(idempotency, {
      header: headers.get(IDEMPOTENCY_KEY_HEADER),
      admitted,
      params,
      principal: context.principal,
    });
    if (idempotent.kind === 'refused') {
      context.logger?.info('graphql.idempotency_refused', { code: idempotent.code });
      for (const [name, value] of idempotent.headers ?? []) response.setHeader(name, value);
      const refusal = new GateRefusal(
        idempotent.status,
        new GraphQLError(idempotent.message, { extensions: { code: idempotent.code } }),
      );
      await auditRefusal(context, refusal, method, body, url.searchParams);
      return finish(sendJsonError(response, idempotent));
    }
    if (idempotent.kind === 'replay') {
      context.logger?.info('graphql.idempotent_replay', { status: idempotent.response.status });
      writeReplay(response, idempotent.response);
      return finish(idempotent.response.status);
    }

    // The deadline aborts the request's upstream calls (they see it through the request signal) and
    // answers at once, whatever is still running.
    const deadline = new AbortController();
    const upstreamRequestIds: string[] = [];
    context.upstreamRequestIds = upstreamRequestIds;
    const deadlineError = new DeadlineExceededError(config.requestDeadlineMs);
    const timer = setTimeout(() => deadline.abort(deadlineError), config.requestDeadlineMs);
    try {
      const execution = withRequestSignal(
        deadline.signal,
        () => server.executeHTTPGraphQLRequest({ httpGraphQLRequest, context: () => Promise.resolve(context) }),
        upstreamRequestIds,
      );
      const result = await abortable(
        idempotent.kind === 'run' ? recordedResponse(execution, idempotent) : execution,
        deadline.signal,
      );
      noteOutcome(response, outcomeOf(httpGraphQLRequest));
      await writeResponse(response, result);
      finish(result.status ?? 200);
    } catch (error) {
      if (error !== deadlineError) throw error;
      context.logger?.warn('graphql.deadline_exceeded', { deadlineMs: config.requestDeadlineMs });
      finish(sendGraphQLError(response, deadlineError, requestId, 504));
    } finally {
      clearTimeout(timer);
      context.metadataBudget?.release();
    }
  };

  const handler: RequestListener = (request, response) => {
    handle(request, response).catch((error: unknown) => {
      logger.error('http.unhandled_error', { errorName: error instanceof Error ? error.name : typeof error });
      if (!response.headersSent) {
        sendJsonError(response, { status: 500, code: 'INTERNAL_SERVER_ERROR', message: 'Internal server error' });
      } else {
        response.destroy();
      }
    });
  };

  return {
    server,
    handler,
    async start() {
      await server.start();
      started = true;
    },
    async stop() {
      started = false;
      await server.stop();
      for (const client of clients.splice(0)) client.destroy();
    },
  };
}

/** A GraphQL error as a whole response, through the same formatter as Apollo's responses. */
function sendGraphQLErrorWith(formatError: FormatError) {
  return (response: ServerResponse, error: unknown, requestId: string, status?: number): number => {
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

/** Apollo's own test for serving the landing page rather than running a query. */
function prefersHtml(accept: string | undefined): boolean {
  if (!accept) return false;
  const types = accept.split(',').map((part) => part.split(';')[0].trim());
  return types.includes('text/html');
}

/** A request that named its document by id only runs the text the gate resolved. */
function withAdmittedQuery(request: { method: string; search: string; body: unknown }, query: string): void {
  if (request.method === 'GET') {
    const search = new URLSearchParams(request.search);
    if (search.get('query') === null) {
      search.set('query', query);
      request.search = `?${search.toString()}`;
    }
  } else if (
    typeof request.body === 'object' &&
    request.body !== null &&
    (request.body as { query?: unknown }).query === undefined
  ) {
    request.body = { ...(request.body as Record<string, unknown>), query };
  }
}

function sendJsonError(response: ServerResponse, error: JsonError): number {
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

async function writeResponse(response: ServerResponse, result: HTTPGraphQLResponse): Promise<void> {
  for (const [name, value] of result.headers) response.setHeader(name, value);
  response.statusCode = result.status ?? 200;
  if (result.body.kind === 'complete') {
    response.end(result.body.string);
    return;
  }
  for await (const chunk of result.body.asyncIterator) response.write(chunk);
  response.end();
}
