import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Logger } from '../logging/logger';
import { requestIdFrom } from '../context';
import { sendJsonError } from './json-responses';
import { addLogContext, runWithLogContext } from '../logging/log-context';

/** What every route gets besides the Node request and response. */
export interface RouteRequest {
  requestId: string;
  url: URL;
  /** Upper case. */
  method: string;
}

export interface Route {
  /**
   * An exact path, or a prefix ending in `/*` that matches every path below it. The pattern, not
   * the path, is what logs and metrics show: a path may carry a token or whatever a client typed.
   */
  path: string;
  /** Answers the request and returns the status it sent. */
  handle(request: IncomingMessage, response: ServerResponse, route: RouteRequest): Promise<number>;
}

export interface FinishedRequest extends RouteRequest {
  /** The matched route's pattern, or `(other)`. */
  path: string;
  status: number;
  durationMs: number;
  response: ServerResponse;
}

export interface RouterOptions {
  routes: readonly Route[];
  logger: Logger;
  /** While false, every request is answered 503 (before start and during shutdown). */
  isServing: () => boolean;
  /** Where the GraphQL endpoint is, for the 404's hint. */
  graphqlPath: string;
  onFinished?: (finished: FinishedRequest) => void;
}

/**
 * The gateway's one HTTP entry: request id, routing, one log line per request, and a last-resort
 * 500 that shows nothing of the failure. Routes hold everything else.
 */
export function createRouter(options: RouterOptions): RequestListener {
  const { routes, logger } = options;
  const match = (pathname: string): Route | undefined =>
    routes.find((route) =>
      route.path.endsWith('/*') ? pathname.startsWith(route.path.slice(0, -1)) : route.path === pathname,
    );

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const requestId = requestIdFrom(request.headers);
    addLogContext({ requestId });
    response.setHeader('x-request-id', requestId);
    const url = new URL(request.url ?? '/', 'http://gateway.invalid');
    const method = (request.method ?? 'GET').toUpperCase();
    const startedAt = Date.now();
    const route = match(url.pathname);
    const routed: RouteRequest = { requestId, url, method };
    let status: number;
    if (!options.isServing()) {
      status = sendJsonError(response, {
        status: 503,
        code: 'UPSTREAM_UNAVAILABLE',
        message: 'The gateway is not ready.',
      });
    } else if (!route) {
      status = sendJsonError(response, {
        status: 404,
        code: 'NOT_FOUND',
        message: `Not found; the GraphQL endpoint is ${options.graphqlPath}.`,
      });
    } else {
      status = await route.handle(request, response, routed);
    }
    const durationMs = Date.now() - startedAt;
    const path = route?.path ?? '(other)';
    logger.info('http.request', { requestId, method, path, status, durationMs });
    options.onFinished?.({ ...routed, path, status, durationMs, response });
  };

  return (request, response) => {
    // Every line logged while serving the request, by any logger, carries its id (and later its caller and operation).
    runWithLogContext({}, () => handle(request, response)).catch((error: unknown) => {
      logger.error('http.unhandled_error', { errorName: error instanceof Error ? error.name : typeof error });
      if (!response.headersSent) {
        sendJsonError(response, { status: 500, code: 'INTERNAL_SERVER_ERROR', message: 'Internal server error' });
      } else {
        response.destroy();
      }
    });
  };
}
