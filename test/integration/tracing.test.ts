import { randomBytes } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { smallCtStudy, smallMrStudy } from '../../scripts/synthetic-studies';
import { startTelemetry, type Telemetry } from '../../src/telemetry/start-telemetry';
import { defaultTracingSettings } from '../../src/telemetry/tracing-settings';
import { expectData } from '../support/gateway-expect';
import { startGatewayHarness, type GatewayHarness, type GatewayHarnessOptions } from '../support/gateway-harness';
import { leakMatchers, patientValuesIn, patientValuesOf } from '../support/phi-leak-scan';
import { present } from '../support/present';

/**
 * OpenTelemetry over the real request path: a gateway over HealthImaging Local, the SDK's spans
 * caught by an in-memory exporter (the test seam of `startTelemetry`), and a small HTTP proxy in
 * front of HealthImaging Local that records the headers the gateway's SDK clients send. A request
 * carrying a W3C `traceparent` must yield a request span in that trace, under that parent; each
 * upstream call a span under the request span; and each call must carry the trace on to the
 * upstream. No span may hold a patient value, even when the request's variables do.
 */

interface SeenUpstreamRequest {
  target: string | undefined;
  traceparent: string | undefined;
  tracestate: string | undefined;
}

/** Forwards every request to `target` as it came (Host included: SigV4 signed it) and notes its headers. */
async function startRecordingProxy(): Promise<{
  url: string;
  seen: SeenUpstreamRequest[];
  forwardTo(url: string): void;
  close(): Promise<void>;
}> {
  let target: URL | undefined;
  const seen: SeenUpstreamRequest[] = [];
  const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
    const value = headers[name];
    return Array.isArray(value) ? value.join(',') : value;
  };
  const server: Server = createServer((req, res) => {
    seen.push({
      target: `${req.method} ${req.url?.split('?')[0]}`,
      traceparent: header(req.headers, 'traceparent'),
      tracestate: header(req.headers, 'tracestate'),
    });
    if (!target) {
      res.writeHead(502).end();
      return;
    }
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    forwardTo: (url) => {
      target = new URL(url);
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const hex = (bytes: number): string => randomBytes(bytes).toString('hex');
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-0[01]$/;

const READ = `query TracedRead($ds: String!, $id: String!) {
  imageSet(datastoreId: $ds, imageSetId: $id) {
    imageSetId state
    metadata { patient { patientName patientId birthDate } study { accessionNumber studyDescription } }
  }
}`;
const SEARCH = `query TracedSearch($ds: String!, $filter: ImageSetSearchFilter) {
  imageSets(datastoreId: $ds, filter: $filter, first: 5) { edges { node { imageSetId dicomTags { patientName } } } }
}`;

describe('tracing: W3C trace context in, spans for the request and its upstream calls, trace context out', () => {
  let telemetry: Telemetry;
  const exporter = new InMemorySpanExporter();
  let proxy: Awaited<ReturnType<typeof startRecordingProxy>>;
  let h: GatewayHarness;
  let acme: Record<string, string>;

  beforeAll(async () => {
    // The default settings (tracing off); the seam's exporter turns it on.
    telemetry = startTelemetry(defaultTracingSettings(), { spanExporter: exporter });
    proxy = await startRecordingProxy();
    // The harness spreads `upstream` over each tenant's settings: the gateway's calls go through the proxy.
    const upstream: NonNullable<GatewayHarnessOptions['upstream']> & { endpoint: string } = {
      endpoint: proxy.url,
      maxReadAttempts: 1,
    };
    h = await startGatewayHarness({ upstream });
    proxy.forwardTo(h.hil.url);
    acme = h.as({ token: h.tokens.acme });
  });
  afterAll(async () => {
    await h?.close();
    await proxy?.close();
    await telemetry?.shutdown();
  });

  /** Sends one request and returns the spans of its trace, once exported. */
  async function traced(
    query: string,
    variables: Record<string, unknown>,
    headers: Record<string, string> = {},
  ): Promise<{
    response: Awaited<ReturnType<GatewayHarness['gql']>>;
    spans: ReadableSpan[];
    upstream: SeenUpstreamRequest[];
  }> {
    exporter.reset();
    proxy.seen.length = 0;
    const response = await h.gql(query, variables, { ...acme, ...headers });
    await telemetry.forceFlush();
    return { response, spans: exporter.getFinishedSpans(), upstream: [...proxy.seen] };
  }

  const requestSpanOf = (spans: ReadableSpan[]): ReadableSpan => {
    const servers = spans.filter((span) => span.kind === SpanKind.SERVER);
    expect(servers).toHaveLength(1);
    return present(servers[0], 'a server span');
  };

  it('makes the request span a child of the incoming traceparent, and the upstream calls children of it', async () => {
    const traceId = hex(16);
    const parentSpanId = hex(8);
    const { response, spans, upstream } = await traced(
      READ,
      { ds: h.datastores.acme, id: h.imageSets.acme[0] },
      { traceparent: `00-${traceId}-${parentSpanId}-01`, tracestate: 'vendor=opaque' },
    );
    expectData(response);

    const request = requestSpanOf(spans);
    expect(request.name).toBe('TracedRead');
    expect(request.spanContext().traceId).toBe(traceId);
    expect(request.parentSpanContext?.spanId).toBe(parentSpanId);
    expect(request.parentSpanContext?.isRemote).toBe(true);
    expect(request.attributes).toMatchObject({
      'graphql.operation.name': 'TracedRead',
      'graphql.operation.type': 'query',
      'gateway.tenant.id': 'acme',
      'gateway.outcome.code': 'OK',
      'gateway.request.id': response.headers['x-request-id'],
      'http.request.method': 'POST',
      'http.response.status_code': 200,
    });

    const calls = spans.filter((span) => span.kind === SpanKind.CLIENT);
    expect(calls.map((span) => span.name).sort()).toEqual([
      'MedicalImaging/GetImageSet',
      'MedicalImaging/GetImageSetMetadata',
    ]);
    for (const call of calls) {
      expect(call.spanContext().traceId).toBe(traceId);
      expect(call.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
      expect(call.status.code).not.toBe(SpanStatusCode.ERROR);
      expect(call.attributes).toMatchObject({
        'rpc.system': 'aws-api',
        'rpc.service': 'MedicalImaging',
        'rpc.method': call.name.split('/')[1],
        'gateway.tenant.id': 'acme',
        'gateway.upstream.attempt': 1,
        'http.response.status_code': 200,
        'aws.request_id': expect.stringMatching(/^[A-Za-z0-9-]+$/),
      });
    }

    // HealthImaging Local received the trace: each call under its own span, the caller's tracestate kept.
    expect(upstream).toHaveLength(calls.length);
    const callSpanIds = new Set(calls.map((call) => call.spanContext().spanId));
    for (const seen of upstream) {
      const [, seenTraceId, seenParentId] = TRACEPARENT.exec(seen.traceparent ?? '') ?? [];
      expect(seenTraceId).toBe(traceId);
      expect(callSpanIds.has(seenParentId ?? '')).toBe(true);
      expect(seen.tracestate).toBe('vendor=opaque');
    }
  });

  it('starts a new trace for a request without traceparent, and still passes it upstream', async () => {
    const { spans, upstream } = await traced(READ, { ds: h.datastores.acme, id: h.imageSets.acme[0] });
    const request = requestSpanOf(spans);
    expect(request.parentSpanContext).toBeUndefined();
    expect(upstream.length).toBeGreaterThan(0);
    for (const seen of upstream) expect(seen.traceparent).toContain(request.spanContext().traceId);
  });

  it("records a failed upstream call's status and kind, never its message", async () => {
    h.hil.hil.admin.faults.set({ operation: 'GetImageSet', mode: 'error' });
    let result: Awaited<ReturnType<typeof traced>>;
    try {
      result = await traced(READ, { ds: h.datastores.acme, id: h.imageSets.acme[0] });
    } finally {
      h.hil.hil.admin.faults.clear();
    }
    const failed = result.spans.find((span) => span.name === 'MedicalImaging/GetImageSet');
    expect(failed?.status).toEqual({ code: SpanStatusCode.ERROR });
    expect(failed?.attributes).toMatchObject({ 'error.type': 'server', 'http.response.status_code': 500 });
    expect(failed?.events).toEqual([]);
    const request = requestSpanOf(result.spans);
    expect(request.attributes['gateway.outcome.code']).toBe('UPSTREAM_UNAVAILABLE');
    expect(request.attributes['error.type']).toBe('UPSTREAM_UNAVAILABLE');
  });

  it('keeps variables and DICOM values out of every span, for answered and refused requests alike', async () => {
    const patient = smallCtStudy.patient;
    const { response, spans } = await traced(SEARCH, {
      ds: h.datastores.acme,
      filter: { patientId: patient.id, accessionNumber: smallCtStudy.accessionNumber },
    });
    expectData(response);
    const matchers = leakMatchers(patientValuesOf([smallCtStudy, smallMrStudy]));
    const everything = [...spans];
    const read = await traced(READ, { ds: h.datastores.acme, id: h.imageSets.acme[0] });
    everything.push(...read.spans);
    // Refused by the gateway's own check: a patient id where an image set id belongs.
    const refused = await traced(READ, { ds: h.datastores.acme, id: patient.id });
    expect(refused.response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    everything.push(...refused.spans);
    // The read's metadata document may come from the replica's cache (an earlier test read it).
    expect(everything.length).toBeGreaterThanOrEqual(5);
    const leaks = everything.flatMap((span) =>
      patientValuesIn(
        JSON.stringify({
          name: span.name,
          attributes: span.attributes,
          events: span.events,
          status: span.status,
          links: span.links,
          resource: span.resource.attributes,
        }),
        matchers,
      ).map((value) => `${span.name}: ${value}`),
    );
    expect(leaks).toEqual([]);
    // The positive control: the same matchers do find the values in what the caller sent and received.
    expect(patientValuesIn(JSON.stringify(read.response.data), matchers)).toContain(patient.name);
  });

  it("writes the request's id, tenant, subject, operation and trace on every log line of the request", async () => {
    const traceId = hex(16);
    const from = h.logs.length;
    const { response } = await traced(
      READ,
      { ds: h.datastores.acme, id: h.imageSets.acme[0] },
      { traceparent: `00-${traceId}-${hex(8)}-01` },
    );
    const requestId = response.headers['x-request-id'];
    const lines = h.logs.slice(from).filter((line) => line.requestId === requestId);
    expect(lines.map((line) => line.msg)).toEqual(expect.arrayContaining(['upstream.call', 'http.request']));
    for (const line of lines) {
      expect(line).toMatchObject({
        level: expect.any(String),
        time: expect.any(String),
        msg: expect.any(String),
        requestId,
        tenantId: 'acme',
        subject: 'alice@acme.test',
        operationName: 'TracedRead',
        operationType: 'query',
        trace_id: traceId,
      });
    }
  });
});
