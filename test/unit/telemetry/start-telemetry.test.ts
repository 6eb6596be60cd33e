import { Socket } from 'node:net';
import { context, propagation, trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { loadConfig } from '../../../src/config';
import { startRequestSpan } from '../../../src/telemetry/request-span';
import { startTelemetry } from '../../../src/telemetry/start-telemetry';
import { traceUpstreamCall } from '../../../src/telemetry/upstream-span';

const base = {
  GATEWAY_ENV: 'test',
  CURSOR_SECRET: 'start-telemetry-secret-0123456789abcdef',
  TENANTS_FILE: '/etc/t.json',
};
const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

/** Spans of one request and one upstream call, made the way the request path makes them. */
async function traceOneRequest(): Promise<{ carrier: Record<string, string> }> {
  const carrier: Record<string, string> = {};
  const request = startRequestSpan({
    method: 'POST',
    route: '/graphql',
    headers: { traceparent: TRACEPARENT },
    requestId: 'req-1',
  });
  await request.run(() =>
    traceUpstreamCall(
      { tenantId: 'acme', operation: 'GetImageSet', attempt: 1, errorKindOf: () => 'unknown' },
      async () => propagation.inject(context.active(), carrier),
    ),
  );
  request.operation('Viewer', 'query');
  request.end({ status: 200, code: 'OK' });
  return { carrier };
}

describe('startTelemetry', () => {
  it('with the default configuration registers nothing, records nothing, passes nothing on and opens no connection', async () => {
    const connect = jest.spyOn(Socket.prototype, 'connect');
    try {
      const telemetry = startTelemetry(loadConfig(base).tracing);
      expect(telemetry.enabled).toBe(false);
      const { carrier } = await traceOneRequest();
      expect(carrier).toEqual({});
      expect(trace.getTracer('any').startSpan('probe').isRecording()).toBe(false);
      await telemetry.forceFlush();
      await telemetry.shutdown();
      expect(connect).not.toHaveBeenCalled();
    } finally {
      connect.mockRestore();
    }
  });

  it('with a span exporter records the spans, passes the trace on, and unregisters itself on shutdown', async () => {
    const exporter = new InMemorySpanExporter();
    const telemetry = startTelemetry(loadConfig(base).tracing, { spanExporter: exporter });
    expect(telemetry.enabled).toBe(true);
    const { carrier } = await traceOneRequest();
    await telemetry.forceFlush();
    const spans = exporter.getFinishedSpans();
    expect(spans.map((span) => span.name).sort()).toEqual(['MedicalImaging/GetImageSet', 'Viewer']);
    const call = spans.find((span) => span.name === 'MedicalImaging/GetImageSet');
    expect(carrier.traceparent).toBe(`00-0af7651916cd43dd8448eb211c80319c-${call?.spanContext().spanId}-01`);
    expect(trace.getTracer('any').startSpan('probe').isRecording()).toBe(true);
    await telemetry.shutdown();
    expect(trace.getTracer('any').startSpan('probe').isRecording()).toBe(false);
    const after: Record<string, string> = {};
    propagation.inject(context.active(), after);
    expect(after).toEqual({});
  });
});
