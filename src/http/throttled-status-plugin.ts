import type { ApolloServerPlugin, BaseContext } from '@apollo/server';

/**
 * THROTTLED raised inside execution (the upstream write queue and read budgets, upstream
 * throttling, the metadata budget) answers the way the rate limits answer before execution:
 * `Retry-After` carries the longest of the errors' `retryAfterSeconds`, and the status is 429 when
 * nothing of the operation was answered (every error THROTTLED, every root field null). An
 * operation answered in part keeps 200: its data is still an answer, and the header still says
 * when the rest may be asked again.
 */
export function throttledStatusPlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const { errors, data } = response.body.singleResult;
          if (!errors || errors.length === 0) return;
          const throttled = errors.filter((error) => error.extensions?.code === 'THROTTLED');
          const hints = throttled
            .map((error) => Number(error.extensions?.retryAfterSeconds))
            .filter((seconds) => Number.isFinite(seconds) && seconds > 0);
          if (hints.length === 0) return;
          response.http.headers.set('retry-after', String(Math.ceil(Math.max(...hints))));
          const nothingAnswered =
            data === null || data === undefined || Object.values(data).every((value) => value === null);
          if (throttled.length === errors.length && nothingAnswered) response.http.status = 429;
        },
      };
    },
  };
}
