import { setMaxListeners } from 'node:events';
import type { ApolloServer } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { ContextFactory, GatewayContext } from '../context';
import { DeadlineExceededError, UpstreamUnavailableError } from '../errors/gateway-errors';
import type { SignedIds } from '../auth/signed-ids';
import { abortable, withRequestSignal } from '../imaging/upstream/request-signal';
import { GateRefusal, type Admitted, type RequestGate } from '../limits/request-gate';
import type { RateLimits } from '../limits/rate-limits';
import { throttledErrorOf } from '../limits/rate-limits-error';
import type { GatewayMetrics } from '../metrics/gateway-metrics';
import { noteOutcome, outcomeOf, requestedOperationName } from '../metrics/request-outcome';
import { GraphQLParamsError, graphqlParamsOf, type GraphQLParams } from './graphql-params';
import { prefersHtml, readGraphQLBody, withAdmittedQuery } from './graphql-body';
import type { CorsPolicy } from './cors-policy';
import type { Idempotency } from './idempotency';
import { idempotencyStepOf, recordedResponse, writeReplay } from './idempotency-http';
import { IDEMPOTENCY_KEY_HEADER } from './idempotency-key';
import { sendJsonError, writeResponse, type SendGraphQLError } from './json-responses';
import { headerMapFromRaw } from './raw-headers';
import { noteRequestCaller, noteRequestOperation } from '../telemetry/request-facts';
import { tracedRoute } from '../telemetry/traced-route';
import type { AuditRefusal } from './refusal-audit';
import type { AuditReplay } from './replay-audit';
import type { Route } from './router';

/** Far above what the cost limit lets one operation call at once (each upstream call costs 5). */
const MAX_UPSTREAM_CALLS_PER_REQUEST = 1000;

export interface GraphQLRouteDeps {
  path: string;
  server: ApolloServer<GatewayContext>;
  contextFactory: ContextFactory;
  ids: SignedIds;
  cors: CorsPolicy;
  gate: RequestGate;
  rateLimits: RateLimits;
  idempotency: Idempotency;
  auditRefusal: AuditRefusal;
  auditReplay: AuditReplay;
  sendGraphQLError: SendGraphQLError;
  bodyLimitBytes: number;
  requestDeadlineMs: number;
  metrics?: GatewayMetrics;
}

/**
 * The GraphQL endpoint, in the order the steps must run: body, credentials, rate limits, the
 * request gate (before Apollo parses anything), idempotency, then execution under the deadline.
 * Each request runs inside its trace span (see src/telemetry/traced-route.ts).
 */
export function graphqlRoute(deps: GraphQLRouteDeps): Route {
  const { server, gate, rateLimits, idempotency, sendGraphQLError, metrics } = deps;
  return tracedRoute({
    path: deps.path,
    async handle(request, response, { requestId, url, method }) {
      const preflight = method === 'OPTIONS';
      const verdict = deps.cors.evaluate({
        ...(typeof request.headers.origin === 'string' ? { origin: request.headers.origin } : {}),
        ...(request.headers.host
          ? { selfOrigin: `${'encrypted' in request.socket ? 'https' : 'http'}://${request.headers.host}` }
          : {}),
        preflight,
      });
      if (verdict.kind === 'denied') {
        return sendJsonError(response, {
          status: 403,
          code: 'FORBIDDEN',
          message: 'This origin may not call the gateway.',
        });
      }
      if (verdict.kind === 'allowed') for (const [name, value] of verdict.headers) response.setHeader(name, value);
      if (preflight) {
        response.writeHead(204, { 'content-length': '0' });
        response.end();
        return 204;
      }

      const read = await readGraphQLBody(request, method, deps.bodyLimitBytes);
      if (!read.ok) {
        if (read.closeConnection) response.setHeader('connection', 'close');
        return sendJsonError(response, read.error);
      }
      const { body } = read;

      noteOutcome(response, { operationName: requestedOperationName(body, url.searchParams) });
      const headers = headerMapFromRaw(request.rawHeaders);
      // The context derives the same id from this header, so logs, errors and the response agree.
      headers.set('x-request-id', requestId);
      const httpGraphQLRequest = { method, headers, search: url.search, body };

      // The landing page (development) is a static page: no credentials, no document.
      if (method === 'GET' && prefersHtml(headers.get('accept'))) {
        const page = await server.executeHTTPGraphQLRequest({
          httpGraphQLRequest,
          context: () => Promise.resolve({ requestId, ids: deps.ids }),
        });
        await writeResponse(response, page);
        return page.status ?? 200;
      }

      let context: GatewayContext;
      try {
        context = await deps.contextFactory({ req: { headers } });
      } catch (error) {
        return sendGraphQLError(response, error, requestId);
      }
      if (context.principal) noteRequestCaller(context.principal);
      // Anonymous requests reach the gate, which refuses them (or lets development's introspection by).
      if (context.principal && context.tenant) {
        const admission = await rateLimits.admit(context.principal, context.tenant);
        if (!admission.ok) {
          context.logger?.info('graphql.throttled', { code: 'THROTTLED', reason: admission.reason });
          metrics?.throttled(admission.reason);
          response.setHeader('retry-after', String(admission.retryAfterSeconds));
          return sendGraphQLError(response, throttledErrorOf(admission), requestId, 429);
        }
        // 'close' follows every answer, early refusals and a client that hangs up included.
        response.once('close', admission.release);
      }
      const refused = { method, body, search: url.searchParams };
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
          return sendJsonError(response, { status: 400, code: 'BAD_REQUEST', message: error.message });
        }
        if (error instanceof GateRefusal) {
          context.logger?.info('graphql.refused', {
            code: String(error.error.extensions.code),
            limit: error.error.extensions.limit,
          });
          metrics?.gateRefused(error.error.extensions.limit ?? error.error.extensions.code);
          await deps.auditRefusal(context, error, refused);
          return sendGraphQLError(response, error.error, requestId, error.status);
        }
        throw error;
      }
      // The gate admits the operation the request names; an unnamed request runs its document's only one.
      noteRequestOperation({ ...admitted, operationName: gate.operationOf(params)?.operation.name?.value });
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
        await deps.auditRefusal(context, refusal, refused);
        return sendJsonError(response, idempotent);
      }
      if (idempotent.kind === 'replay') {
        context.logger?.info('graphql.idempotent_replay', { status: idempotent.response.status });
        if (!(await deps.auditReplay(context, refused, idempotent.response))) {
          const unrecorded = new UpstreamUnavailableError(
            'The request could not be recorded in the audit trail, so its answer is withheld; retry later.',
          );
          return sendGraphQLError(response, unrecorded, requestId, 503);
        }
        writeReplay(response, idempotent.response);
        return idempotent.response.status;
      }

      // The deadline aborts the request's upstream calls (they see it through the request signal)
      // and answers at once, whatever is still running.
      const deadline = new AbortController();
      // Every upstream call of the request listens on this one signal while it runs: a page of 50
      // image sets is 50 listeners at once, legitimately. The operation limits bound how many.
      setMaxListeners(MAX_UPSTREAM_CALLS_PER_REQUEST, deadline.signal);
      const upstreamRequestIds: string[] = [];
      context.upstreamRequestIds = upstreamRequestIds;
      // Built only when the deadline passes: a GraphQLError captures a stack, which every request
      // paid for when it was built up front.
      let deadlineError: DeadlineExceededError | undefined;
      const timer = setTimeout(() => {
        deadlineError = new DeadlineExceededError(deps.requestDeadlineMs);
        deadline.abort(deadlineError);
      }, deps.requestDeadlineMs);
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
        return result.status ?? 200;
      } catch (error) {
        if (deadlineError === undefined || error !== deadlineError) throw error;
        context.logger?.warn('graphql.deadline_exceeded', { deadlineMs: deps.requestDeadlineMs });
        return sendGraphQLError(response, deadlineError, requestId, 504);
      } finally {
        clearTimeout(timer);
        context.metadataBudget?.release();
      }
    },
  });
}
