import { context, propagation, trace } from '@opentelemetry/api';
import { loggingErrorHandler, setGlobalErrorHandler, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  NodeTracerProvider,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type Sampler,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-node';
import { describeError, type Logger } from '../logging/logger';
import { ATTR_SERVICE_NAME } from './span-attributes';
import type { TracingSettings } from './tracing-settings';

/**
 * Sets up the OpenTelemetry SDK for the gateway's spans, only when the settings ask for it: a
 * NodeTracerProvider (async-context propagation of the active span), the W3C trace-context
 * propagator (incoming `traceparent`/`tracestate`, and the header passed on upstream), and a
 * BatchSpanProcessor sending to the OTLP/HTTP exporter. Off, nothing is registered: the API's
 * no-op tracer makes every span call free, and nothing is sent anywhere.
 */
export interface Telemetry {
  readonly enabled: boolean;
  /** Exports the spans still queued (tests read them after this). */
  forceFlush(): Promise<void>;
  /** Flushes, stops the exporter and unregisters the globals (so a test can start again). */
  shutdown(): Promise<void>;
}

export interface TelemetryOptions {
  /** Where failed exports are reported (by error name and code only). */
  logger?: Logger;
  /** Test seam: replaces the OTLP exporter (tests pass an InMemorySpanExporter) and turns tracing on. */
  spanExporter?: SpanExporter;
}

const OFF: Telemetry = {
  enabled: false,
  forceFlush: () => Promise.resolve(),
  shutdown: () => Promise.resolve(),
};

function samplerOf(settings: TracingSettings): Sampler {
  const ratio = new TraceIdRatioBasedSampler(settings.samplerRatio);
  switch (settings.sampler) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return ratio;
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: ratio });
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
  }
}

function otlpExporterOf(settings: TracingSettings): SpanExporter {
  return new OTLPTraceExporter({
    url: settings.url,
    headers: { ...settings.headers },
    timeoutMillis: settings.timeoutMillis,
  });
}

export function startTelemetry(settings: TracingSettings, options: TelemetryOptions = {}): Telemetry {
  if (!settings.enabled && !options.spanExporter) return OFF;
  const exporter = options.spanExporter ?? otlpExporterOf(settings);
  const { logger } = options;
  // The SDK reports a failed export (collector down, refused) here; its message is not ours to write.
  if (logger) setGlobalErrorHandler((error) => logger.warn('telemetry.export_failed', describeError(error)));
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ ...settings.resourceAttributes, [ATTR_SERVICE_NAME]: settings.serviceName }),
    sampler: samplerOf(settings),
    spanProcessors: [new BatchSpanProcessor(exporter, { ...settings.batch })],
  });
  provider.register({ propagator: new W3CTraceContextPropagator() });
  let stopped: Promise<void> | undefined;
  return {
    enabled: true,
    forceFlush: () => provider.forceFlush(),
    shutdown: () =>
      (stopped ??= provider.shutdown().finally(() => {
        trace.disable();
        context.disable();
        propagation.disable();
        setGlobalErrorHandler(loggingErrorHandler());
      })),
  };
}
