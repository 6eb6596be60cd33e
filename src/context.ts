import { randomUUID } from 'node:crypto';
import { HeaderMap } from '@apollo/server';
import type { GraphQLError } from 'graphql';
import type { AuditStore } from './audit/audit-store';
import { headerValue, type Authenticator, type HeaderSource } from './auth/authenticate';
import type { Principal } from './auth/principal';
import { SignedIds } from './auth/signed-ids';
import type { TenantConfig } from './tenants/tenant-config';
import type { TenantRegistry } from './tenants/tenant-registry';
import type { GatewayConfig } from './config';
import { tagErrorWithRequestId } from './errors/error-request-ids';
import { UnauthenticatedError, UpstreamUnavailableError } from './errors/gateway-errors';
import { silentLogger, type Logger } from './logging/logger';
import type { ImagingPort } from './imaging/imaging-port';
import { createLoaders, type ImagingLoaders } from './imaging/loaders';
import type { MetadataBudget, RequestMetadataBudget } from './imaging/metadata-budget';
import { PhiAccess } from './phi/phi-access';
import type { FrameUrls } from './frames/frame-urls';
import { TenantServices } from './tenants/tenant-services';

/**
 * Per-request state, built in one place. Anonymous requests get no service and no loaders (the
 * auth checker stops them before any resolver needs one). Authenticated requests get their
 * tenant's long-lived service and fresh loaders over it: a loader's cache lives exactly one
 * request and never sees another tenant's data.
 */
export interface GatewayContext {
  requestId: string;
  principal?: Principal;
  imaging?: ImagingPort;
  loaders?: ImagingLoaders;
  ids: SignedIds;
  tenant?: TenantConfig;
  /** HealthImaging request ids of the upstream calls made for this request (for its audit entries). */
  upstreamRequestIds?: string[];
  /** What PHI the response carried, when the request read any (for its audit entry). */
  phiReads?: PhiReadOut;
  /** Whether the caller holds `phi:read`, and what PHI the response carried or withheld. */
  phi?: PhiAccess;
  /** This request's share of the replica's metadata budget; released when the request ends. */
  metadataBudget?: RequestMetadataBudget;
  /** Bound to this request's id (and tenant when known). */
  logger?: Logger;
  /** The audit trail (authenticated requests, when the gateway has one). */
  audit?: AuditStore;
  /** Mints `DicomFrame.url` for the caller (authenticated requests, when the gateway serves frames). */
  frameUrls?: FrameUrls;
}

/** The categories of PHI a request returned, and the image sets they came from. */
export interface PhiReadOut {
  readOut(): {
    categories: readonly string[];
    targets: ReadonlyArray<{ datastoreId: string; imageSetId: string; versionId?: string }>;
  };
}

export interface ContextFactoryDeps {
  config: Pick<GatewayConfig, 'cursorSecret' | 'cursorTtlSeconds'>;
  registry: TenantRegistry;
  authenticate: Authenticator;
  /** Called once per tenant (the result is cached and reused across requests). */
  serviceFor: (tenant: TenantConfig) => ImagingPort;
  /** Called once per authenticated request. Defaults to `createLoaders`. */
  loadersFor?: (port: ImagingPort) => ImagingLoaders;
  /** The replica's bound on metadata held by requests in flight; unbounded when omitted. */
  metadataBudget?: MetadataBudget;
  /** Shared id signer; built from the config when omitted. */
  ids?: SignedIds;
  logger?: Logger;
  audit?: AuditStore;
  frameUrls?: FrameUrls;
}

/** Whatever carries the request's headers: Node's IncomingMessage, or Apollo's HTTPGraphQLRequest. */
export interface ContextRequest {
  req: { headers: HeaderSource };
}

export type ContextFactory = (request: ContextRequest) => Promise<GatewayContext>;

/** Ids a proxy or client may set; anything else is replaced, so a header cannot inject into logs. */
const REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

export function requestIdFrom(headers: HeaderSource): string {
  const presented = headerValue(headers, 'x-request-id');
  return presented !== undefined && REQUEST_ID.test(presented) ? presented : randomUUID();
}

/**
 * Apollo answers a context failure with HTTP 500 unless the error carries `extensions.http`.
 * Credentials that fail are a 401 (with the challenge RFC 6750 requires); an unreachable identity
 * provider is a 503.
 */
function withHttp<E extends GraphQLError>(error: E, status: number, requestId: string, challenge?: string): E {
  const headers = new HeaderMap([['x-request-id', requestId]]);
  if (challenge) headers.set('www-authenticate', challenge);
  (error.extensions as Record<string, unknown>).http = { status, headers };
  tagErrorWithRequestId(error, requestId);
  return error;
}

export function createContextFactory(deps: ContextFactoryDeps): ContextFactory {
  const ids =
    deps.ids ?? new SignedIds(deps.config.cursorSecret, Date.now, { cursorTtlSeconds: deps.config.cursorTtlSeconds });
  const services = new TenantServices(deps.serviceFor);
  const loadersFor = deps.loadersFor ?? createLoaders;
  const baseLogger = deps.logger ?? silentLogger;

  return async ({ req }) => {
    const requestId = requestIdFrom(req.headers);
    let principal: Principal | undefined;
    try {
      principal = await deps.authenticate(req.headers);
    } catch (error) {
      if (error instanceof UnauthenticatedError) throw withHttp(error, 401, requestId, 'Bearer');
      if (error instanceof UpstreamUnavailableError) throw withHttp(error, 503, requestId);
      tagErrorWithRequestId(error, requestId);
      throw error;
    }
    if (!principal) return { requestId, ids, logger: baseLogger.child({ requestId }) };

    const tenant = deps.registry.byId(principal.tenantId);
    // The authenticator only returns tenants from this registry; a miss means they disagree.
    if (!tenant) throw withHttp(new UnauthenticatedError(), 401, requestId, 'Bearer');
    const imaging = services.for(tenant);
    const metadataBudget = deps.metadataBudget?.openRequest();
    const phi = PhiAccess.forScopes(principal.scopes);
    return {
      phi,
      phiReads: phi,
      requestId,
      principal,
      tenant,
      imaging,
      loaders: loadersFor(metadataBudget ? metadataBudget.port(imaging) : imaging),
      ...(metadataBudget ? { metadataBudget } : {}),
      ids,
      logger: baseLogger.child({ requestId, tenantId: tenant.id, subject: principal.subject }),
      ...(deps.audit ? { audit: deps.audit } : {}),
      ...(deps.frameUrls ? { frameUrls: deps.frameUrls } : {}),
    };
  };
}
