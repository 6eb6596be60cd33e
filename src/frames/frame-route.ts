import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { AuditStore } from '../audit/audit-store';
import type { Principal } from '../auth/principal';
import { GatewayError } from '../errors/gateway-errors';
import type { CorsPolicy } from '../http/cors-policy';
import type { Route } from '../http/router';
import type { ImageFrameRecord, ImagingPort } from '../imaging/imaging-port';
import { withRequestSignal } from '../imaging/upstream/request-signal';
import type { RateLimits, ThrottleReason } from '../limits/rate-limits';
import { describeError, silentLogger, type Logger } from '../logging/logger';
import type { TenantConfig } from '../tenants/tenant-config';
import type { TenantRegistry } from '../tenants/tenant-registry';
import { frameAuditEntry } from './frame-audit';
import { FRAMES_LOGGED_PATH, FRAMES_PATH_PREFIX } from './frame-paths';
import { sendFrameError, statusOfGatewayError, type FrameError } from './frame-errors';
import type { FrameGrant, FrameTokens } from './frame-tokens';

export interface FrameRouteDeps {
  tokens: FrameTokens;
  /** The tenants as they are now: a grant removed since the URL was minted makes it fail. */
  registry: TenantRegistry | (() => TenantRegistry);
  /** The same limits as the gateway's other requests: a frame fetch takes a token from the bucket of the credential that minted the URL. */
  rateLimits: RateLimits;
  /** The tenant's long-lived imaging service (the one its GraphQL requests use). */
  imagingFor: (tenant: TenantConfig) => ImagingPort;
  /** Every frame served is recorded here first; without a store nothing is recorded. */
  audit?: AuditStore;
  logger?: Logger;
  /** Epoch milliseconds, for `Cache-Control: max-age` (the tokens' own clock decides expiry). */
  clock?: () => number;
  onThrottled?: (reason: ThrottleReason) => void;
  /** The GraphQL endpoint's origins: a viewer on an allowed origin may read frames with fetch(). */
  cors?: CorsPolicy;
}

/** Answers one request under `/frames/`; resolves with the HTTP status it answered. */
export type FrameRoute = (request: IncomingMessage, response: ServerResponse, requestId: string) => Promise<number>;

/** The route for the gateway's router: every path under `/frames/`, logged as its pattern. */
export function framesRoute(deps: FrameRouteDeps): Route {
  const serve = createFrameRoute(deps);
  return {
    path: `${FRAMES_PATH_PREFIX}*`,
    handle: (request, response, { requestId }) => serve(request, response, requestId),
  };
}

/** One answer for every token that grants nothing: expired, forged, revoked or outside the grant look alike. */
const NOT_FOUND: FrameError = { status: 404, code: 'NOT_FOUND', message: 'The requested resource was not found.' };
/** Matches the audit plugin: nothing that had to be recorded is served unrecorded. */
const AUDIT_FAILED: FrameError = {
  status: 503,
  code: 'UPSTREAM_UNAVAILABLE',
  message: 'The request could not be recorded in the audit trail, so its answer is withheld; retry later.',
};
/** A client that hung up gets nothing; this only labels the request in logs and metrics. */
const CLIENT_CLOSED_STATUS = 499;

export function createFrameRoute(deps: FrameRouteDeps): FrameRoute {
  const baseLogger = deps.logger ?? silentLogger;
  const clock = deps.clock ?? Date.now;
  const registry = typeof deps.registry === 'function' ? deps.registry : () => deps.registry as TenantRegistry;

  return async (request, response, requestId) => {
    const logger = baseLogger.child({ requestId, path: FRAMES_LOGGED_PATH });
    const method = (request.method ?? 'GET').toUpperCase();
    if (deps.cors) {
      const verdict = deps.cors.evaluate({
        ...(typeof request.headers.origin === 'string' ? { origin: request.headers.origin } : {}),
        ...(request.headers.host
          ? { selfOrigin: `${'encrypted' in request.socket ? 'https' : 'http'}://${request.headers.host}` }
          : {}),
        preflight: method === 'OPTIONS',
      });
      if (verdict.kind === 'denied')
        return sendFrameError(response, {
          status: 403,
          code: 'FORBIDDEN',
          message: 'This origin may not call the gateway.',
        });
      if (verdict.kind === 'allowed') for (const [name, value] of verdict.headers) response.setHeader(name, value);
      if (method === 'OPTIONS' && verdict.kind === 'allowed') {
        response.writeHead(204, { 'content-length': '0' });
        response.end();
        return 204;
      }
    }
    if (method !== 'GET') {
      response.setHeader('allow', 'GET');
      return sendFrameError(response, {
        status: 405,
        code: 'BAD_REQUEST',
        message: 'Frame URLs answer GET only.',
      });
    }
    const token = new URL(request.url ?? '/', 'http://gateway.invalid').pathname.slice(FRAMES_PATH_PREFIX.length);
    const opened = deps.tokens.open(token);
    if (!opened) {
      logger.info('frames.refused', { reason: 'invalid_token' });
      return sendFrameError(response, NOT_FOUND);
    }
    const { grant, expiresAt } = opened;
    const tenant = registry().byId(grant.tenantId);
    if (!tenant || !tenant.datastoreIds.includes(grant.datastoreId)) {
      logger.info('frames.refused', { reason: 'outside_grant', tenantId: grant.tenantId });
      return sendFrameError(response, NOT_FOUND);
    }
    const tenantLogger = logger.child({ tenantId: tenant.id });

    const admission = await deps.rateLimits.admit(principalOf(grant), tenant);
    if (!admission.ok) {
      tenantLogger.info('frames.throttled', { code: 'THROTTLED', reason: admission.reason });
      deps.onThrottled?.(admission.reason);
      response.setHeader('retry-after', String(admission.retryAfterSeconds));
      return sendFrameError(response, {
        status: 429,
        code: 'THROTTLED',
        message: `This credential's requests exceed their rate limit; retry after ${admission.retryAfterSeconds} s.`,
        extensions: { retryAfterSeconds: admission.retryAfterSeconds },
      });
    }
    // A client that hangs up aborts the upstream call (or, once streaming, the pipeline ends it).
    const hangUp = new AbortController();
    response.once('close', () => {
      admission.release();
      hangUp.abort(new Error('The client closed the connection.'));
    });

    const upstreamRequestIds: string[] = [];
    let frame: ImageFrameRecord;
    try {
      frame = await withRequestSignal(
        hangUp.signal,
        () => deps.imagingFor(tenant).getImageFrame(grant.datastoreId, grant.imageSetId, grant.imageFrameId),
        upstreamRequestIds,
      );
    } catch (error) {
      if (hangUp.signal.aborted) return CLIENT_CLOSED_STATUS;
      tenantLogger.info('frames.upstream_failed', describeError(error));
      return sendFrameError(response, frameErrorOf(error));
    }
    if (hangUp.signal.aborted) {
      frame.body.destroy();
      return CLIENT_CLOSED_STATUS;
    }

    if (deps.audit) {
      try {
        await deps.audit.append([frameAuditEntry(grant, { requestId, upstreamRequestIds, occurredAt: new Date() })]);
      } catch (error) {
        frame.body.destroy();
        tenantLogger.error('audit.append_failed', describeError(error));
        return sendFrameError(response, AUDIT_FAILED);
      }
    }

    const remainingSeconds = Math.max(0, Math.floor((expiresAt.getTime() - clock()) / 1000));
    response.writeHead(200, {
      'content-type': frame.contentType,
      ...(frame.contentLength !== undefined ? { 'content-length': String(frame.contentLength) } : {}),
      // Private: a shared cache must not hand one tenant's pixels to whoever presents the URL next.
      'cache-control': `private, max-age=${remainingSeconds}`,
      'x-content-type-options': 'nosniff',
    });
    try {
      await pipeline(frame.body, response);
    } catch (error) {
      // Headers are gone: the client sees a short body (Content-Length) or a reset, never a wrong frame.
      if (!hangUp.signal.aborted) tenantLogger.warn('frames.stream_failed', describeError(error));
      return hangUp.signal.aborted && !response.writableFinished ? CLIENT_CLOSED_STATUS : 200;
    }
    return 200;
  };
}

/** The identity the rate limits key by; scopes play no part there. */
function principalOf(grant: FrameGrant): Principal {
  return {
    tenantId: grant.tenantId,
    subject: grant.subject,
    scopes: [],
    method: grant.method,
    ...(grant.client !== undefined ? { client: grant.client } : {}),
  };
}

function frameErrorOf(error: unknown): FrameError {
  if (error instanceof GatewayError) {
    const status = statusOfGatewayError(error);
    // A malformed id inside a genuine token is still a frame that does not exist for this caller.
    if (error.code === 'BAD_USER_INPUT') return NOT_FOUND;
    const retryAfter = error.extensions.retryAfterSeconds;
    return {
      status,
      code: error.code,
      message: error.message,
      ...(typeof retryAfter === 'number' ? { extensions: { retryAfterSeconds: retryAfter } } : {}),
    };
  }
  return { status: 500, code: 'INTERNAL_SERVER_ERROR', message: 'Internal server error' };
}
