import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetDatastoreCommand } from '@aws-sdk/client-medical-imaging';
import { createMedicalImagingClient } from '../../../src/imaging/upstream/client-factory';
import type { TenantUpstreamConfig } from '../../../src/tenants/tenant-config';

const upstream = (endpoint: string): TenantUpstreamConfig => ({
  region: 'us-east-1',
  endpoint,
  credentials: { type: 'static', accessKeyIdEnv: 'ACME_KEY', secretAccessKeyEnv: 'ACME_SECRET' },
  resolvedStaticCredentials: { accessKeyId: 'AKIDACME', secretAccessKey: 'acme-secret' },
  maxConcurrency: 4,
  connectionTimeoutMs: 1000,
  requestTimeoutMs: 5000,
  maxReadAttempts: 1,
});

const datastoreId = 'a'.repeat(32);

/**
 * The SDK client resolves each command's middleware once (`cacheMiddleware`), which it only does
 * for sends without per-call options; the abort signal the upstream caller passes still ends the
 * HTTP request, over a real socket.
 */
describe('SDK client: cached middleware, abort signals by context', () => {
  let server: Server;
  let endpoint: string;
  let hang = false;
  const closed: string[] = [];
  const held: ServerResponse[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      res.on('close', () => closed.push(req.url ?? ''));
      if (hang) {
        held.push(res);
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          datastoreProperties: { datastoreId, datastoreName: 'x', datastoreStatus: 'ACTIVE' },
        }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('resolves a command class middleware once, also for sends given an abort signal', async () => {
    hang = false;
    const client = createMedicalImagingClient(upstream(endpoint));
    const resolveMiddleware = jest.spyOn(GetDatastoreCommand.prototype, 'resolveMiddleware');
    try {
      for (let i = 0; i < 3; i += 1) {
        const output = await client.send(new GetDatastoreCommand({ datastoreId }), {
          abortSignal: new AbortController().signal,
        });
        expect(output.datastoreProperties?.datastoreStatus).toBe('ACTIVE');
      }
      expect(resolveMiddleware).toHaveBeenCalledTimes(1);
    } finally {
      resolveMiddleware.mockRestore();
      client.destroy();
    }
  });

  it('aborts the HTTP request when the signal given to send aborts', async () => {
    hang = true;
    closed.length = 0;
    const client = createMedicalImagingClient(upstream(endpoint));
    const controller = new AbortController();
    try {
      const sent = client.send(new GetDatastoreCommand({ datastoreId }), { abortSignal: controller.signal });
      await new Promise((resolve) => setTimeout(resolve, 50));
      controller.abort(new Error('deadline'));
      await expect(sent).rejects.toBeTruthy();
      // The server sees its socket closed: the request was ended, not merely no longer awaited.
      for (let i = 0; i < 100 && closed.length === 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(closed).toHaveLength(1);
    } finally {
      for (const res of held.splice(0)) res.destroy();
      client.destroy();
    }
  });
});
