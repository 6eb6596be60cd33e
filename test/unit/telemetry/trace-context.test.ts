import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetImageSetCommand } from '@aws-sdk/client-medical-imaging';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { createMedicalImagingClient } from '../../../src/imaging/upstream/client-factory';
import type { TenantUpstreamConfig } from '../../../src/tenants/tenant-config';
import { startTelemetry } from '../../../src/telemetry/start-telemetry';
import { defaultTracingSettings } from '../../../src/telemetry/tracing-settings';
import { traceUpstreamCall } from '../../../src/telemetry/upstream-span';

/**
 * The SDK middleware of every tenant client, against a stand-in service that answers each call
 * with HealthImaging's 404 form: it passes the upstream call's span on as `traceparent` and tells
 * the span the response's status and request id; with tracing off it adds nothing.
 */
describe('trace context on SDK requests', () => {
  let server: Server;
  let endpoint: string;
  const seen: IncomingHttpHeaders[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(req.headers);
      req.resume();
      res.writeHead(404, {
        'content-type': 'application/json',
        'x-amzn-requestid': 'req-0123-abcd',
        'x-amzn-errortype': 'ResourceNotFoundException',
      });
      res.end(JSON.stringify({ message: 'not found' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const upstream = (): TenantUpstreamConfig => ({
    region: 'us-east-1',
    endpoint,
    credentials: { type: 'static', accessKeyIdEnv: 'K', secretAccessKeyEnv: 'S' },
    resolvedStaticCredentials: { accessKeyId: 'AKIDTRACE', secretAccessKey: 'trace-secret' },
    maxConcurrency: 2,
    connectionTimeoutMs: 1000,
    requestTimeoutMs: 2000,
    maxReadAttempts: 1,
  });

  async function getImageSet(): Promise<void> {
    const client = createMedicalImagingClient(upstream());
    try {
      await traceUpstreamCall(
        { tenantId: 'acme', operation: 'GetImageSet', attempt: 1, errorKindOf: () => 'not-found' },
        () => client.send(new GetImageSetCommand({ datastoreId: 'a'.repeat(32), imageSetId: 'b'.repeat(32) })),
      ).catch(() => undefined);
    } finally {
      client.destroy();
    }
  }

  it('adds no header when tracing is off', async () => {
    seen.length = 0;
    await getImageSet();
    expect(seen).toHaveLength(1);
    expect(seen[0]).not.toHaveProperty('traceparent');
    expect(seen[0]).not.toHaveProperty('tracestate');
  });

  it("sends the call span's traceparent, signed like any header, and records the answer on the span", async () => {
    const exporter = new InMemorySpanExporter();
    const telemetry = startTelemetry(defaultTracingSettings(), { spanExporter: exporter });
    let spans;
    try {
      seen.length = 0;
      await getImageSet();
      await telemetry.forceFlush();
      spans = exporter.getFinishedSpans();
    } finally {
      await telemetry.shutdown();
    }
    expect(spans).toHaveLength(1);
    const [span] = spans;
    const { traceId, spanId } = span?.spanContext() ?? {};
    expect(seen[0]?.traceparent).toBe(`00-${traceId}-${spanId}-01`);
    expect(seen[0]?.authorization).toMatch(/SignedHeaders=[^,]*traceparent/);
    expect(span?.attributes).toMatchObject({
      'http.response.status_code': 404,
      'aws.request_id': 'req-0123-abcd',
      'error.type': 'not-found',
    });
  });
});
