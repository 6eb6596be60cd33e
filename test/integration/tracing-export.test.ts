import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestHil, type TestHil } from '../support/hil-client';
import { createActiveDatastore } from '../support/hil-wait';
import { writeOneTenantFile } from '../support/one-tenant-file';

/**
 * The OTLP exporter as production runs it: `src/main.ts` in a child process (the exporter loads
 * Node's http module in a way jest's sandbox cannot), configured by nothing but the standard
 * `OTEL_*` variables, in front of a stand-in collector. A batch delay longer than the test shows
 * that SIGTERM's drain flushes the spans before the process exits.
 */

interface ExportedSpan {
  name: string;
  traceId: string;
  parentSpanId?: string;
  kind: number;
  attributes: Array<{ key: string; value: Record<string, unknown> }>;
}

interface Export {
  path: string | undefined;
  headers: IncomingHttpHeaders;
  spans: ExportedSpan[];
  resource: Array<{ key: string; value: Record<string, unknown> }>;
}

describe('tracing: OTLP export from the gateway process', () => {
  let hil: TestHil;
  let collector: Server;
  let collectorUrl: string;
  const exports: Export[] = [];
  let configDir: string;
  let child: ChildProcess | undefined;
  const apiKey = `trace-${randomBytes(16).toString('hex')}`;

  beforeAll(async () => {
    hil = await startTestHil();
    const datastoreId = await createActiveDatastore(hil.client(), 'tracing-export-store');
    configDir = mkdtempSync(join(tmpdir(), 'gateway-tracing-'));
    writeOneTenantFile(configDir, { datastoreId, apiKey });
    collector = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          resourceSpans: Array<{
            resource: { attributes: Export['resource'] };
            scopeSpans: Array<{ spans: ExportedSpan[] }>;
          }>;
        };
        exports.push({
          path: req.url,
          headers: req.headers,
          spans: body.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)),
          resource: body.resourceSpans.flatMap((r) => r.resource.attributes),
        });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    collectorUrl = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    collector?.closeAllConnections();
    await new Promise((resolve) => collector?.close(resolve));
    await hil?.close();
    if (configDir) rmSync(configDir, { recursive: true, force: true });
  });

  it('exports the request and upstream spans of a traced request to OTEL_EXPORTER_OTLP_ENDPOINT on shutdown', async () => {
    const root = join(__dirname, '..', '..');
    const proc = spawn(process.execPath, ['-r', join(root, 'test/support/register-ts.js'), join(root, 'src/main.ts')], {
      cwd: root,
      env: {
        PATH: process.env.PATH,
        GATEWAY_ENV: 'test',
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'debug',
        CURSOR_SECRET: randomBytes(32).toString('base64url'),
        AUDIT_SQLITE_FILE: join(configDir, 'audit.sqlite'),
        TENANTS_FILE: join(configDir, 'tenants.json'),
        HEALTHIMAGING_ENDPOINT: hil.url,
        AWS_REGION: 'us-east-1',
        ACME_KEY_ID: hil.credentials.accessKeyId,
        ACME_SECRET: hil.credentials.secretAccessKey,
        OTEL_EXPORTER_OTLP_ENDPOINT: collectorUrl,
        OTEL_EXPORTER_OTLP_HEADERS: 'x-collector-key=k1',
        OTEL_SERVICE_NAME: 'gateway-under-test',
        // Longer than the test: only the shutdown's flush can send the spans.
        OTEL_BSP_SCHEDULE_DELAY: '600000',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    const output: string[] = [];
    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
    const ready = new Promise<string>((resolve, reject) => {
      const onData = (chunk: Buffer): void => {
        output.push(...chunk.toString('utf8').split('\n'));
        const url = output.map((line) => /GraphQL gateway ready at (\S+)/.exec(line)?.[1]).find(Boolean);
        if (url) resolve(url);
      };
      proc.stdout.on('data', onData);
      proc.stderr.on('data', onData);
      void exited.then((code) => reject(new Error(`the gateway exited (${code}):\n${output.join('\n')}`)));
    });
    const url = await ready;

    const traceId = randomBytes(16).toString('hex');
    const parentId = randomBytes(8).toString('hex');
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-api-key': apiKey,
        traceparent: `00-${traceId}-${parentId}-01`,
      },
      body: JSON.stringify({ query: 'query Stores { datastores { datastoreId } }' }),
    });
    expect(response.status).toBe(200);
    expect(exports).toEqual([]);

    proc.kill('SIGTERM');
    expect(await exited).toBe(0);

    expect(exports.map((e) => e.path)).toEqual(['/v1/traces']);
    const [exported] = exports;
    expect(exported?.headers['x-collector-key']).toBe('k1');
    expect(exported?.resource).toContainEqual({ key: 'service.name', value: { stringValue: 'gateway-under-test' } });
    const spans = exported?.spans ?? [];
    const request = spans.find((span) => span.name === 'Stores');
    expect(request).toMatchObject({ traceId, parentSpanId: parentId });
    const calls = spans.filter((span) => span.name.startsWith('MedicalImaging/'));
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) expect(call).toMatchObject({ traceId, parentSpanId: expect.any(String) });
    expect(calls.map((call) => call.parentSpanId)).not.toContain(parentId);

    // The process's own log lines of the request name the same trace.
    const lines = output
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const requestLine = lines.find((line) => line.msg === 'http.request' && line.path === '/graphql');
    expect(requestLine).toMatchObject({ trace_id: traceId, tenantId: 'acme', operationName: 'Stores' });
  });
});
