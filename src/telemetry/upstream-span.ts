import { context, createContextKey, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import {
  ATTR_AWS_REQUEST_ID,
  ATTR_ERROR_TYPE,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_RPC_METHOD,
  ATTR_RPC_SERVICE,
  ATTR_RPC_SYSTEM,
  ATTR_TENANT_ID,
  ATTR_UPSTREAM_ATTEMPT,
  ATTR_UPSTREAM_RECONCILING,
  identifierOrUndefined,
} from './span-attributes';
import { gatewayTracer } from './tracer';

/**
 * One span per HTTP call to HealthImaging (each attempt of a retried read is its own span), active
 * while the SDK sends, so the trace-context middleware passes this span on as the `traceparent`
 * of the call and tells it the response's HTTP status and HealthImaging's request id. It records
 * the operation and the attempt number, and on failure the error's kind: never its message (the SDK's messages can quote the
 * service's, which can quote the data).
 */
export interface UpstreamSpanCall {
  tenantId: string;
  operation: string;
  attempt: number;
  reconciling?: boolean | undefined;
  /** The failure's kind (`throttled`, `timeout`, …), from the caller's own classification. */
  errorKindOf(error: unknown): string;
}

const UPSTREAM_REQUEST_ID = /^[A-Za-z0-9-]{1,128}$/;
const KIND = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

function kindOf(kind: string): string {
  return KIND.test(kind) ? kind : 'unknown';
}

const UPSTREAM_SPAN = createContextKey('healthimaging-gateway upstream call span');

/**
 * What the HTTP exchange said, told by the SDK middleware (src/imaging/upstream/trace-context.ts),
 * which sees every response, the streamed ones and the errors included, before anything decodes it.
 */
export function noteUpstreamResponse(response: { statusCode?: unknown; requestId?: unknown }): void {
  const span = context.active().getValue(UPSTREAM_SPAN) as Span | undefined;
  if (!span) return;
  const { statusCode, requestId } = response;
  if (typeof statusCode === 'number' && Number.isInteger(statusCode))
    span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, statusCode);
  if (typeof requestId === 'string' && UPSTREAM_REQUEST_ID.test(requestId))
    span.setAttribute(ATTR_AWS_REQUEST_ID, requestId);
}

export function traceUpstreamCall<T>(call: UpstreamSpanCall, send: () => Promise<T>): Promise<T> {
  const operation = identifierOrUndefined(call.operation) ?? 'unknown';
  const span = gatewayTracer().startSpan(`MedicalImaging/${operation}`, {
    kind: SpanKind.CLIENT,
    attributes: {
      [ATTR_RPC_SYSTEM]: 'aws-api',
      [ATTR_RPC_SERVICE]: 'MedicalImaging',
      [ATTR_RPC_METHOD]: operation,
      [ATTR_TENANT_ID]: call.tenantId,
      [ATTR_UPSTREAM_ATTEMPT]: call.attempt,
      ...(call.reconciling ? { [ATTR_UPSTREAM_RECONCILING]: true } : {}),
    },
  });
  const active = trace.setSpan(context.active(), span).setValue(UPSTREAM_SPAN, span);
  return context.with(active, async () => {
    try {
      return await send();
    } catch (error) {
      span.setAttribute(ATTR_ERROR_TYPE, kindOf(call.errorKindOf(error)));
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  });
}
