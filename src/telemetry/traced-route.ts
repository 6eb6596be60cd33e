import { outcomeOf } from '../metrics/request-outcome';
import type { Route } from '../http/router';
import { startRequestSpan } from './request-span';

/**
 * A route whose every request runs inside its request span (see request-span.ts): started from the
 * incoming trace context, ended with the status the route answered and the outcome code the
 * answer carried. The route itself names the span through `noteRequestOperation`.
 */
export function tracedRoute(route: Route): Route {
  return {
    path: route.path,
    async handle(request, response, routed) {
      const span = startRequestSpan({
        method: routed.method,
        route: route.path,
        headers: request.headers,
        requestId: routed.requestId,
      });
      let status = 500;
      try {
        status = await span.run(() => route.handle(request, response, routed));
        return status;
      } finally {
        span.end({ status, code: outcomeOf(response).code });
      }
    },
  };
}
