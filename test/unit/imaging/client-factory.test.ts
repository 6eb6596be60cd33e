import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetImageSetCommand } from '@aws-sdk/client-medical-imaging';
import type { TenantUpstreamConfig } from '../../../src/tenants/tenant-config';
import { createMedicalImagingClient } from '../../../src/imaging/upstream/client-factory';

const staticUpstream = (endpoint?: string): TenantUpstreamConfig => ({
  region: 'us-east-1',
  ...(endpoint ? { endpoint } : {}),
  credentials: { type: 'static', accessKeyIdEnv: 'ACME_KEY', secretAccessKeyEnv: 'ACME_SECRET' },
  resolvedStaticCredentials: { accessKeyId: 'AKIDACME', secretAccessKey: 'acme-secret' },
  maxConcurrency: 4,
  connectionTimeoutMs: 1000,
  requestTimeoutMs: 300,
  maxReadAttempts: 3,
});

describe('createMedicalImagingClient', () => {
  let server: Server;
  let endpoint: string;
  const hostsSeen: string[] = [];
  let requests = 0;

  beforeAll(async () => {
    // Never answers: the client must give up by itself.
    server = createServer((req) => {
      requests += 1;
      hostsSeen.push(req.headers.host ?? '');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('makes one attempt per call, leaving retries to the gateway policy', async () => {
    const client = createMedicalImagingClient(staticUpstream(endpoint));
    expect(await client.config.maxAttempts()).toBe(1);
    client.destroy();
  });

  it('uses the static credentials resolved from the tenant file', async () => {
    const client = createMedicalImagingClient(staticUpstream(endpoint));
    const credentials = await client.config.credentials();
    expect(credentials).toMatchObject({ accessKeyId: 'AKIDACME', secretAccessKey: 'acme-secret' });
    client.destroy();
  });

  it('disables the runtime- host prefix only when an endpoint is set', () => {
    const local = createMedicalImagingClient(staticUpstream(endpoint));
    const aws = createMedicalImagingClient(staticUpstream());
    expect(local.config.disableHostPrefix).toBe(true);
    expect(aws.config.disableHostPrefix).toBe(false);
    local.destroy();
    aws.destroy();
  });

  it('fails a call to a hung upstream with a TimeoutError after one request, on the endpoint host itself', async () => {
    const client = createMedicalImagingClient(staticUpstream(endpoint));
    requests = 0;
    const error = await client
      .send(new GetImageSetCommand({ datastoreId: 'a'.repeat(32), imageSetId: 'b'.repeat(32) }))
      .catch((e: unknown) => e as Error);
    expect(error).toMatchObject({ name: 'TimeoutError' });
    expect(requests).toBe(1);
    expect(hostsSeen.at(-1)).toBe(new URL(endpoint).host);
    client.destroy();
  });

  it('refuses static credentials that were never resolved', () => {
    const { resolvedStaticCredentials: _resolved, ...upstream } = staticUpstream(endpoint);
    expect(() => createMedicalImagingClient(upstream)).toThrow(/not resolved/);
  });

  it('builds assume-role and default-chain clients without contacting AWS', () => {
    const assumed = createMedicalImagingClient({
      ...staticUpstream(),
      credentials: { type: 'assumeRole', roleArn: 'arn:aws:iam::123456789012:role/acme', externalId: 'acme-ext' },
    });
    const chained = createMedicalImagingClient({ ...staticUpstream(), credentials: { type: 'default' } });
    expect(typeof assumed.config.credentials).toBe('function');
    expect(typeof chained.config.credentials).toBe('function');
    assumed.destroy();
    chained.destroy();
  });
});
