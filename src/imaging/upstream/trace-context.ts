import { context, propagation } from '@opentelemetry/api';
import { noteUpstreamResponse } from '../../telemetry/upstream-span';
import type { BuildHandler, BuildHandlerArguments, BuildHandlerOptions, BuildMiddleware } from '@smithy/types';

/**
 * Passes the active trace on to HealthImaging: an SDK middleware that writes the W3C
 * `traceparent` (and `tracestate`) of the span active when the command is sent (the upstream
 * call's span) into the request's headers, so HealthImaging Local, or a proxy or collector in
 * front of the real service, can join the call to the gateway's trace; and that tells the span the
 * response's status and request id, read here because only here is every response seen whole
 * (a streamed body's command output carries neither once decoded). With tracing off the global
 * propagator is a no-op and no span listens: the request leaves unchanged.
 */
const REQUEST_ID_HEADERS = ['x-amzn-requestid', 'x-amzn-request-id', 'x-amz-request-id'];

interface SdkFailure {
  $metadata?: { httpStatusCode?: unknown; requestId?: unknown };
}

export const traceContextMiddleware: BuildMiddleware<object, object> =
  <Output extends object>(next: BuildHandler<object, Output>) =>
  async (args: BuildHandlerArguments<object>) => {
    const request = args.request as { headers?: Record<string, string> } | undefined;
    if (request?.headers) propagation.inject(context.active(), request.headers);
    try {
      const result = await next(args);
      const response = result.response as { statusCode?: unknown; headers?: Record<string, string> } | undefined;
      const headers = response?.headers ?? {};
      noteUpstreamResponse({
        statusCode: response?.statusCode,
        requestId: REQUEST_ID_HEADERS.map((name) => headers[name]).find((value) => value !== undefined),
      });
      return result;
    } catch (error) {
      const metadata = (error as SdkFailure | undefined)?.$metadata;
      noteUpstreamResponse({ statusCode: metadata?.httpStatusCode, requestId: metadata?.requestId });
      throw error;
    }
  };

/** Before signing (finalizeRequest), so SigV4 covers the header like any other. */
export const TRACE_CONTEXT_MIDDLEWARE: BuildHandlerOptions = { step: 'build', name: 'w3cTraceContextMiddleware' };

/** Adds the middleware to a client's stack. */
export function passTraceContext(client: {
  middlewareStack: { add(middleware: BuildMiddleware<object, object>, options: BuildHandlerOptions): void };
}): void {
  client.middlewareStack.add(traceContextMiddleware, TRACE_CONTEXT_MIDDLEWARE);
}
