import { trace, type Tracer } from '@opentelemetry/api';

/** The instrumentation scope of the gateway's own spans. */
export const TRACER_NAME = 'healthimaging-gateway';

/**
 * The gateway's tracer, looked up through the global API on each use: a no-op until
 * `startTelemetry` registers a provider, and the registered one after (tests register their own).
 */
export function gatewayTracer(): Tracer {
  return trace.getTracer(TRACER_NAME);
}
