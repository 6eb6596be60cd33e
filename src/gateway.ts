import type { RequestListener } from 'node:http';
import type { Redis } from 'ioredis';
import { ApolloServer } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
import type { AuditStore } from './audit/audit-store';
import { createAuthenticator, type Authenticator } from './auth/authenticate';
import type { TenantConfig } from './tenants/tenant-config';
import type { TenantRegistry } from './tenants/tenant-registry';
import type { GatewayConfig } from './config';
import { SignedIds } from './auth/signed-ids';
import { createContextFactory, type GatewayContext } from './context';
import { createFormatError } from './errors/format-error';
import { silentLogger, type Logger } from './logging/logger';
import { CorsPolicy } from './http/cors-policy';
import { createMedicalImagingClient } from './imaging/upstream/client-factory';
import type { ImagingPort } from './imaging/imaging-port';
import type { ImagingLoaders } from './imaging/loaders';
import { ImagingService } from './imaging/imaging-service';
import { MetadataCache } from './imaging/metadata-cache';
import { createUpstreamAdmission } from './imaging/upstream/upstream-admission';
import { logUpstreamCall } from './imaging/upstream/upstream-call-log';
import type { UpstreamCallEvent } from './imaging/upstream/upstream-caller';
import { RequestGate } from './limits/request-gate';
import { RateLimits } from './limits/rate-limits';
import { Idempotency } from './http/idempotency';
import { MemoryIdempotencyStore } from './http/idempotency-store';
import { RedisIdempotencyStore } from './http/idempotency-store-redis';
import { buildGatewaySchema } from './schema';
import { createApolloServer } from './http/apollo-server';
import {
  auditStoreCheck,
  HEALTH_PATH,
  healthRoute,
  Readiness,
  READY_PATH,
  redisCheck,
  tenantsCheck,
} from './http/health';
import type { GatewayMetrics } from './metrics/gateway-metrics';
import { metadataBudgetOf } from './metrics/observed-metadata-budget';
import { outcomeOf } from './metrics/request-outcome';
import { graphqlRoute } from './http/graphql-route';
import { sendGraphQLErrorWith } from './http/json-responses';
import { refusalAuditor } from './http/refusal-audit';
import { replayAuditor } from './http/replay-audit';
import { createRouter, type Route } from './http/router';
import { explorerRoutes } from './http/explorer/explorer-route';
import { explorerSettingsOf } from './http/explorer/explorer-page';
import { FrameTokens } from './frames/frame-tokens';
import { FrameUrls } from './frames/frame-urls';
import { framesRoute } from './frames/frame-route';
import { TenantServices } from './tenants/tenant-services';
import { createImageSetFeed } from './subscriptions/image-set-feed';
import { publishingPort } from './subscriptions/publishing-port';
import { createSubscriptionServer, type SubscriptionServer } from './subscriptions/subscription-server';

export const GRAPHQL_PATH = '/graphql';
export { HEALTH_PATH, READY_PATH } from './http/health';
/** GraphQL documents and variables are small; image data never travels through this endpoint. */
export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;
/** How long after its deadline a running idempotent request may still record its outcome (reconciliation reads). */
const IDEMPOTENCY_LEASE_MARGIN_MS = 60_000;
/** How long start waits to hear the other replicas' image set changes (Redis pub/sub) before serving anyway. */
const REDIS_FEED_WAIT_MS = 1000;
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
  /** The http server's `upgrade` listener: GraphQL over WebSocket (subscriptions) on `/graphql`. */
  upgrade: SubscriptionServer['upgrade'];
  /**
   * Closes every WebSocket connection ("going away"). Call it before the http server's `close()`,
   * which otherwise waits for them; `stop()` calls it too.
   */
  closeSubscriptions(): Promise<void>;
  start(): Promise<void>;
  /** Stops Apollo and releases the SDK clients this gateway created. */
  stop(): Promise<void>;
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
  // One write queue and read budget per upstream account and operation, for every tenant of it.
  const admission = createUpstreamAdmission({
    settings: config.upstreamBudgets,
    ...(deps.redis ? { redis: deps.redis } : {}),
    keyPrefix: config.redisKeyPrefix,
    logger,
    ...(metrics ? { observer: metrics } : {}),
  });
  // One cache of settled versions' documents for every tenant of the replica (metadata-cache-reads.ts).
  const metadataCache = new MetadataCache(config.metadataCacheBytes);
  metrics?.observeMetadataCache(metadataCache);
  const serviceFor =
    deps.serviceFor ??
    ((tenant: TenantConfig): ImagingPort => {
      const client = createMedicalImagingClient(tenant.upstream);
      clients.push(client);
      return new ImagingService({ tenant, client, onUpstreamCall, metadataCache, ...(admission ? { admission } : {}) });
    });
  // One service (one SDK client, one upstream bound) per tenant, shared by GraphQL and frame fetches.
  // This replica's shared image set watches, fed by its own writes (the publishing port) and, with
  // Redis, by the other replicas.
  const feed = createImageSetFeed({
    settings: config.subscriptions,
    ...(deps.redis ? { redis: deps.redis } : {}),
    keyPrefix: config.redisKeyPrefix,
    logger,
  });
  const services = new TenantServices((tenant: TenantConfig) =>
    publishingPort(serviceFor(tenant), (change) => feed.watches.publish(change)),
  );
  const frameTokens = new FrameTokens(config.cursorSecret, config.frameUrlTtlSeconds);

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
  const contextFactory = createContextFactory({
    ids,
    metadataBudget: metadataBudgetOf(
      config.maxMetadataBytesInFlight,
      metrics && (() => metrics.throttled('metadata_budget')),
    ),
    config,
    registry: deps.registry,
    authenticate: deps.authenticate ?? createAuthenticator(deps.registry, { logger }),
    serviceFor: (tenant) => services.for(tenant),
    ...(deps.loadersFor ? { loadersFor: deps.loadersFor } : {}),
    ...(deps.audit ? { audit: deps.audit } : {}),
    frameUrls: new FrameUrls(frameTokens),
    logger,
  });

  const server = createApolloServer(schema, formatError, config);

  const readiness = new Readiness([
    tenantsCheck(deps.registry),
    ...(deps.audit ? [auditStoreCheck(deps.audit)] : []),
    ...(deps.redis ? [redisCheck(deps.redis)] : []),
  ]);
  let started = false;

  const routes: Route[] = [
    healthRoute(HEALTH_PATH, readiness),
    healthRoute(READY_PATH, readiness),
    graphqlRoute({
      path: GRAPHQL_PATH,
      server,
      contextFactory,
      ids,
      cors,
      gate,
      rateLimits,
      idempotency,
      auditRefusal: refusalAuditor(schema, gate),
      auditReplay: replayAuditor(schema, gate),
      sendGraphQLError: sendGraphQLErrorWith(formatError),
      bodyLimitBytes: bodyLimit,
      requestDeadlineMs: config.requestDeadlineMs,
      ...(metrics ? { metrics } : {}),
    }),
    framesRoute({
      tokens: frameTokens,
      registry: deps.registry,
      rateLimits,
      imagingFor: (tenant) => services.for(tenant),
      cors,
      logger,
      ...(deps.audit ? { audit: deps.audit } : {}),
      ...(metrics ? { onThrottled: (reason) => metrics.throttled(reason) } : {}),
    }),
    ...(config.explorer ? explorerRoutes({ settings: explorerSettingsOf(GRAPHQL_PATH, config), logger }) : []),
  ];
  const handler = createRouter({
    routes,
    logger,
    isServing: () => started,
    graphqlPath: GRAPHQL_PATH,
    onFinished: ({ path, status, durationMs, response }) => {
      if (path !== GRAPHQL_PATH || !metrics) return;
      const { operationName, code = 'OK' } = outcomeOf(response);
      metrics.requestFinished({ operationName, code, status, seconds: durationMs / 1000 });
    },
  });
  const subscriptions = createSubscriptionServer({
    schema,
    contextFactory,
    gate,
    formatError,
    watches: feed.watches,
    settings: config.subscriptions,
    maxPayloadBytes: bodyLimit,
    path: GRAPHQL_PATH,
    admit: (principal, tenant) => rateLimits.admit(principal, tenant),
    accepting: () => started,
    logger,
  });

  return {
    server,
    handler,
    upgrade: (request, socket, head) => subscriptions.upgrade(request, socket, head),
    closeSubscriptions: () => subscriptions.close(),
    async start() {
      await server.start();
      // Bounded: a Redis that does not answer leaves each replica's subscribers on its own pollers.
      await feed.ready(REDIS_FEED_WAIT_MS);
      started = true;
    },
    async stop() {
      started = false;
      await subscriptions.close();
      await feed.close();
      await server.stop();
      for (const client of clients.splice(0)) client.destroy();
    },
  };
}
