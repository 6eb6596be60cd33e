import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGatewayServer } from '../../src/main';
import { startTestHil, type TestHil } from '../support/hil-client';
import { createActiveDatastore } from '../support/hil-wait';
import { writeOneTenantFile } from '../support/one-tenant-file';
import { present } from '../support/present';

/**
 * Graceful shutdown: on SIGTERM the gateway stops accepting connections, lets the requests in
 * flight finish (up to SHUTDOWN_DRAIN_MS), then exits 0. A slow request is one whose upstream call
 * HealthImaging Local delays (a latency fault); a request that never ends hangs upstream.
 */
describe('graceful shutdown', () => {
  let hil: TestHil;
  let datastoreId: string;
  let configDir: string;
  const apiKey = `ops-${randomBytes(16).toString('hex')}`;
  const QUERY = JSON.stringify({ query: '{ datastores { datastoreId } }' });

  const env = (extra: Record<string, string> = {}): Record<string, string> => ({
    GATEWAY_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    CURSOR_SECRET: randomBytes(32).toString('base64url'),
    AUDIT_SQLITE_FILE: join(configDir, `audit-${randomBytes(4).toString('hex')}.sqlite`),
    TENANTS_FILE: join(configDir, 'tenants.json'),
    HEALTHIMAGING_ENDPOINT: hil.url,
    AWS_REGION: 'us-east-1',
    ACME_KEY_ID: hil.credentials.accessKeyId,
    ACME_SECRET: hil.credentials.secretAccessKey,
    ...extra,
  });
  const query = (url: string) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': apiKey }, body: QUERY });
  /** Resolves once HealthImaging Local has received a GetDatastore call: the request is in flight. */
  const upstreamReached = async (): Promise<void> => {
    while ((hil.hil.admin.stats().operations.GetDatastore ?? 0) < 1)
      await new Promise((resolve) => setTimeout(resolve, 10));
  };
  /** The error code of a connection attempt, or "connected". */
  const connectOutcome = async (url: string): Promise<string> => {
    try {
      await fetch(new URL('/healthz', url));
      return 'connected';
    } catch (error) {
      return String(((error as { cause?: { code?: unknown } }).cause ?? {}).code);
    }
  };

  beforeAll(async () => {
    hil = await startTestHil();
    datastoreId = await createActiveDatastore(hil.client(), 'shutdown-store');
    configDir = mkdtempSync(join(tmpdir(), 'gateway-shutdown-'));
    writeOneTenantFile(configDir, { datastoreId, apiKey });
  });
  beforeEach(() => {
    hil.hil.admin.faults.clear();
    hil.hil.admin.resetStats();
  });
  afterAll(async () => {
    await hil?.close();
    rmSync(configDir, { recursive: true, force: true });
  });

  it('close() refuses new connections and lets the request in flight finish', async () => {
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
    const gateway = await startGatewayServer(env({ LOG_LEVEL: 'silent' }));
    hil.hil.admin.faults.set({ operation: 'GetDatastore', mode: 'latency', latencyMs: 800, count: 1 });
    const slow = query(gateway.url);
    await upstreamReached();

    const closed = gateway.close();
    expect(await connectOutcome(gateway.url)).toBe('ECONNREFUSED');
    const response = await slow;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { datastores: [{ datastoreId }] } });
    await closed;
    jest.restoreAllMocks();
  });

  describe('the entry point as a child process', () => {
    let child: ChildProcess | undefined;
    afterEach(() => {
      if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });

    /** Starts `src/main.ts` as `node` would run the build; resolves with its URL and its log lines so far. */
    const startChild = async (extra: Record<string, string>) => {
      const root = join(__dirname, '..', '..');
      const proc = spawn(
        process.execPath,
        ['-r', join(root, 'test/support/register-ts.js'), join(root, 'src/main.ts')],
        {
          cwd: root,
          env: { PATH: process.env.PATH, ...env(extra) },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      child = proc;
      const output: string[] = [];
      const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
      let pending = '';
      const waiters: Array<{ pattern: RegExp; resolve: (line: string) => void }> = [];
      const onData = (chunk: Buffer): void => {
        pending += chunk.toString('utf8');
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) {
          output.push(line);
          for (const waiter of waiters.splice(0)) {
            if (waiter.pattern.test(line)) waiter.resolve(line);
            else waiters.push(waiter);
          }
        }
      };
      proc.stdout.on('data', onData);
      proc.stderr.on('data', onData);
      const lineMatching = (pattern: RegExp): Promise<string> => {
        const seen = output.find((line) => pattern.test(line));
        if (seen !== undefined) return Promise.resolve(seen);
        return new Promise((resolve, reject) => {
          waiters.push({ pattern, resolve });
          void exited.then((code) =>
            reject(new Error(`the gateway exited (${code}) before logging ${pattern}:\n${output.join('\n')}`)),
          );
        });
      };
      const ready = await lineMatching(/GraphQL gateway ready at /);
      const url = present(/ready at (\S+)/.exec(ready)?.[1], 'the URL the gateway is ready at');
      return { proc, url, exited, lineMatching, output };
    };

    it('on SIGTERM, finishes the slow request, refuses new connections and exits 0', async () => {
      const gateway = await startChild({});
      hil.hil.admin.faults.set({ operation: 'GetDatastore', mode: 'latency', latencyMs: 1500, count: 1 });
      const slow = query(gateway.url);
      await upstreamReached();

      gateway.proc.kill('SIGTERM');
      // The shutdown line is written in the same turn that closes the listener.
      await gateway.lineMatching(/"gateway\.shutdown"/);
      expect(await connectOutcome(gateway.url)).toBe('ECONNREFUSED');
      const response = await slow;
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ data: { datastores: [{ datastoreId }] } });
      expect(await gateway.exited).toBe(0);
    });

    it('cuts a request still running after SHUTDOWN_DRAIN_MS, and still exits 0', async () => {
      // Only the drain can end this request this early: its deadline is far away and the upstream
      // timeout (10 s) would answer it, not cut it.
      const gateway = await startChild({ SHUTDOWN_DRAIN_MS: '300', REQUEST_DEADLINE_MS: '600000' });
      hil.hil.admin.faults.set({ operation: 'GetDatastore', mode: 'hang', count: 1 });
      const hung = query(gateway.url).then(
        (response) => `answered ${response.status}`,
        () => 'cut',
      );
      await upstreamReached();

      gateway.proc.kill('SIGTERM');
      expect(await hung).toBe('cut');
      expect(await gateway.exited).toBe(0);
    });
  });
});
