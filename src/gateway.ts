import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { ApolloServer, HeaderMap, type HTTPGraphQLResponse } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import type { GraphQLSchema } from 'graphql';
import { createAuthenticator, type Authenticator } from './auth/authenticate';
import type { TenantConfig } from './auth/tenant-config';
import type { TenantRegistry } from './auth/tenant-registry';
import type { GatewayConfig } from './config';
import { createContextFactory, requestIdFrom, type GatewayContext } from './context';
import { createFormatError } from './errors/format-error';
import { requestIdPlugin } from './errors/request-id-plugin';
import { silentLogger, type Logger } from './errors/safe-log';
import { CorsPolicy } from './http/cors-policy';
import { BodyTooLargeError, isJsonContentType, readBody } from './http/request-body';
import { createMedicalImagingClient } from './imaging/client-factory';
import type { ImagingPort } from './imaging/imaging-port';
import type { ImagingLoaders } from './imaging/loaders';
import { ImagingService } from './imaging/imaging-service';
import { logUpstreamCall } from './imaging/upstream-call-log';
import type { UpstreamCallEvent } from './imaging/upstream-caller';
import { queryComplexityPlugin } from './limits/query-complexity.plugin';
import { maxDepthRule } from './limits/query-depth.rule';
import { buildGatewaySchema } from './schema';

export const GRAPHQL_PATH = '/graphql';
export const HEALTH_PATH = '/healthz';
/** GraphQL documents and variables are small; image data never travels through this endpoint. */
export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;
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
  const onUpstreamCall = (event: UpstreamCallEvent): void => {
    logCall(event);
    observe?.(event);
  };
  const serviceFor =
    deps.serviceFor ??
    ((tenant: TenantConfig): ImagingPort => {
      const client = createMedicalImagingClient(tenant.upstream);
      clients.push(client);
      return new ImagingService({ tenant, client, onUpstreamCall });
    });

  const contextFactory = createContextFactory({
    config,
    registry: deps.registry,
    authenticate: deps.authenticate ?? createAuthenticator(deps.registry, { logger }),
    serviceFor,
    ...(deps.loadersFor ? { loadersFor: deps.loadersFor } : {}),
    logger,
  });

  const server = new ApolloServer<GatewayContext>({
    schema,
    formatError: createFormatError({ logger }),
    includeStacktraceInErrorResponses: false,
    introspection: config.introspection,
    // Without introspection, "Did you mean …" suggestions would leak the schema piece by piece.
    hideSchemaDetailsFromClientErrors: !config.introspection,
    validationRules: [maxDepthRule(config.maxQueryDepth)],
    plugins: [
      // The gateway sets no cache hints and reports to no Apollo account; both defaults would
      // otherwise wrap every field resolution (cache control) or ship operations out (usage).
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginUsageReportingDisabled(),
      requestIdPlugin<GatewayContext>(),
      queryComplexityPlugin<GatewayContext>(config.maxQueryComplexity),
      config.landingPage
        ? ApolloServerPluginLandingPageLocalDefault({ embed: { runTelemetry: false }, footer: false, includeCookies: false })
        : ApolloServerPluginLandingPageDisabled(),
    ],
  });

  let started = false;

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const requestId = requestIdFrom(request.headers);
    response.setHeader('x-request-id', requestId);
    const url = new URL(request.url ?? '/', 'http://gateway.invalid');
    const method = (request.method ?? 'GET').toUpperCase();
    const startedAt = Date.now();
    // Any other path is whatever the client typed (it could be anything, a patient's name too).
    const loggedPath = url.pathname === GRAPHQL_PATH || url.pathname === HEALTH_PATH ? url.pathname : '(other)';
    const finish = (status: number): void =>
      logger.info('http.request', { requestId, method, path: loggedPath, status, durationMs: Date.now() - startedAt });

    if (!started) return finish(sendJsonError(response, { status: 503, code: 'UPSTREAM_UNAVAILABLE', message: 'The gateway is not ready.' }));
    if (url.pathname === HEALTH_PATH && (method === 'GET' || method === 'HEAD')) {
      response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
      response.end(method === 'HEAD' ? undefined : '{"status":"ok"}');
      return finish(200);
    }
    if (url.pathname !== GRAPHQL_PATH) {
      return finish(sendJsonError(response, { status: 404, code: 'NOT_FOUND', message: `Not found; the GraphQL endpoint is ${GRAPHQL_PATH}.` }));
    }

    const preflight = method === 'OPTIONS';
    const verdict = cors.evaluate({
      ...(typeof request.headers.origin === 'string' ? { origin: request.headers.origin } : {}),
      ...(request.headers.host ? { selfOrigin: `${'encrypted' in request.socket ? 'https' : 'http'}://${request.headers.host}` } : {}),
      preflight,
    });
    if (verdict.kind === 'denied') {
      return finish(sendJsonError(response, { status: 403, code: 'FORBIDDEN', message: 'This origin may not call the gateway.' }));
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
          return finish(sendJsonError(response, { status: 413, code: 'BAD_REQUEST', message: `The request body exceeds ${bodyLimit} bytes.` }));
        }
        throw error;
      }
      if (isJsonContentType(request.headers['content-type'])) {
        try {
          body = bytes.length === 0 ? undefined : JSON.parse(bytes.toString('utf8'));
        } catch {
          return finish(sendJsonError(response, { status: 400, code: 'BAD_REQUEST', message: 'The request body is not valid JSON.' }));
        }
      } else {
        body = bytes.toString('utf8');
      }
    }

    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    // The context derives the same id from this header, so logs, errors and the response agree.
    headers.set('x-request-id', requestId);

    const result = await server.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method, headers, search: url.search, body },
      context: () => contextFactory({ req: { headers } }),
    });
    await writeResponse(response, result);
    finish(result.status ?? 200);
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

function sendJsonError(response: ServerResponse, error: JsonError): number {
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
