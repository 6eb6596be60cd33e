import type { IncomingHttpHeaders } from 'node:http';
import {
  context,
  createContextKey,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Span,
} from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_GRAPHQL_OPERATION_NAME,
  ATTR_GRAPHQL_OPERATION_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_OUTCOME_CODE,
  ATTR_REQUEST_ID,
  ATTR_TENANT_ID,
  identifierOrUndefined,
} from './span-attributes';
import { addLogContext } from '../logging/log-context';
import { traceFieldsOf } from '../logging/logger';
import { gatewayTracer } from './tracer';

/**
 * The span of one GraphQL request: a child of the caller's trace when the request carries a W3C
 * `traceparent` (and `tracestate`), a new trace otherwise. It is named after the operation once the
 * gate has parsed it, and ends with the answer's HTTP status and outcome code. It never holds the
 * document, the variables or anything of the response.
 */
export interface RequestSpan {
  /** Runs `work` with this span active, so the upstream calls it makes become its children. */
  run<T>(work: () => T): T;
  /** The operation the gate admitted. */
  operation(operationName: string | null | undefined, operationType: string | undefined): void;
  tenant(tenantId: string): void;
  end(outcome: { status: number; code?: string | undefined }): void;
}

const CODE = /^[A-Z0-9_]{1,64}$/;
const REQUEST_SPAN = createContextKey('healthimaging-gateway request span');

/** The span of the request being served; undefined outside one, and whenever tracing is off. */
export function currentRequestSpan(): RequestSpan | undefined {
  return context.active().getValue(REQUEST_SPAN) as RequestSpan | undefined;
}

export function startRequestSpan(request: {
  method: string;
  route: string;
  headers: IncomingHttpHeaders;
  requestId: string;
}): RequestSpan {
  const parent = propagation.extract(ROOT_CONTEXT, request.headers);
  const span: Span = gatewayTracer().startSpan(
    `${request.method} ${request.route}`,
    {
      kind: SpanKind.SERVER,
      attributes: {
        [ATTR_HTTP_REQUEST_METHOD]: request.method,
        [ATTR_HTTP_ROUTE]: request.route,
        [ATTR_REQUEST_ID]: request.requestId,
      },
    },
    parent,
  );
  // The request's lines written outside the span (the router's closing `http.request`) still name its trace.
  addLogContext({ ...traceFieldsOf(span) });
  let ended = false;
  const requestSpan: RequestSpan = {
    run: (work) => context.with(trace.setSpan(parent, span).setValue(REQUEST_SPAN, requestSpan), work),
    operation(operationName, operationType) {
      const name = identifierOrUndefined(operationName);
      const type = identifierOrUndefined(operationType);
      if (type) span.setAttribute(ATTR_GRAPHQL_OPERATION_TYPE, type);
      if (name) span.setAttribute(ATTR_GRAPHQL_OPERATION_NAME, name);
      if (name ?? type) span.updateName(name ?? `${type} (anonymous)`);
    },
    tenant(tenantId) {
      span.setAttribute(ATTR_TENANT_ID, tenantId);
    },
    end({ status, code }) {
      if (ended) return;
      ended = true;
      const outcome = code !== undefined && CODE.test(code) ? code : status < 400 ? 'OK' : 'INTERNAL_SERVER_ERROR';
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
      span.setAttribute(ATTR_OUTCOME_CODE, outcome);
      if (outcome !== 'OK') span.setAttribute(ATTR_ERROR_TYPE, outcome);
      // A server span is in error for the server's failures only; a refused request is the caller's.
      if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    },
  };
  return requestSpan;
}
