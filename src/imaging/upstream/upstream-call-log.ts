import type { Logger } from '../../logging/logger';
import type { UpstreamCallEvent } from './upstream-caller';

/**
 * An upstream-call observer that writes one log line per call: debug when it succeeded, warn when
 * it failed (with the error's kind and code, never its message). Every field is an id, a code, a
 * count or a timing.
 */
export function logUpstreamCall(logger: Logger): (event: UpstreamCallEvent) => void {
  return (event) => {
    const fields = {
      tenantId: event.tenantId,
      operation: event.operation,
      attempt: event.attempt,
      durationMs: event.durationMs,
      outcome: event.outcome,
      ...(event.requestId !== undefined ? { upstreamRequestId: event.requestId } : {}),
      ...(event.reconciling ? { reconciling: true } : {}),
      ...(event.errorKind !== undefined ? { errorKind: event.errorKind } : {}),
      ...(event.error !== undefined ? { errorCode: event.error } : {}),
    };
    if (event.outcome === 'ok') logger.debug('upstream.call', fields);
    else logger.warn('upstream.call_failed', fields);
  };
}
