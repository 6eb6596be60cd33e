import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashApiKey } from '../../src/auth/authenticate';
import { startGatewayServer, type RunningGateway } from '../../src/main';
import { startTestHil, type TestHil } from '../support/hil-client';
import { createActiveDatastore } from '../support/hil-wait';

/**
 * `startGatewayServer(env)`, the entry `node dist/src/main.js` runs: HEALTHIMAGING_ENDPOINT and
 * AWS_REGION are the upstream of every tenant whose tenants file leaves `endpoint` / `region` out.
 */
describe('startGatewayServer', () => {
  let hil: TestHil;
  let datastoreId: string;
  let configDir: string;
  let gateway: RunningGateway | undefined;
  const apiKey = `partner-${randomBytes(16).toString('hex')}`;
  /** What every start here shares: port 0 on loopback, no log output, a fresh cursor secret. */
  const serverEnv = (env: Record<string, string>) => ({
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    CURSOR_SECRET: randomBytes(32).toString('base64url'),
    // The audit trail's default file is under the working directory's .data/; tests keep theirs in tmp.
    AUDIT_SQLITE_FILE: join(tmpdir(), `gateway-main-audit-${randomBytes(6).toString('hex')}.sqlite`),
    ...env,
  });

  beforeAll(async () => {
    hil = await startTestHil();
    datastoreId = await createActiveDatastore(hil.client(), 'deployment-default-store');
    configDir = mkdtempSync(join(tmpdir(), 'gateway-main-'));
    writeFileSync(
      join(configDir, 'tenants.json'),
      JSON.stringify({
        tenants: [
          {
            id: 'acme',
            name: 'Acme Radiology',
            datastoreIds: [datastoreId],
            // Neither region nor endpoint: both come from the deployment's environment.
            upstream: {
              credentials: { type: 'static', accessKeyIdEnv: 'ACME_KEY_ID', secretAccessKeyEnv: 'ACME_SECRET' },
            },
            apiKeys: [{ id: 'acme-partner', sha256: hashApiKey(apiKey), scopes: ['imagesets:read'] }],
          },
        ],
      }),
    );
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
  });

  afterAll(async () => {
    await gateway?.close();
    await hil?.close();
    rmSync(configDir, { recursive: true, force: true });
    jest.restoreAllMocks();
  });

  it('talks to HEALTHIMAGING_ENDPOINT in AWS_REGION for a tenant that names neither', async () => {
    gateway = await startGatewayServer(
      serverEnv({
        GATEWAY_ENV: 'test',
        TENANTS_FILE: join(configDir, 'tenants.json'),
        HEALTHIMAGING_ENDPOINT: hil.url,
        AWS_REGION: 'us-east-1',
        ACME_KEY_ID: hil.credentials.accessKeyId,
        ACME_SECRET: hil.credentials.secretAccessKey,
      }),
    );
    hil.hil.admin.resetStats();

    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
      body: JSON.stringify({ query: '{ datastores { datastoreId name status } }' }),
    });
    const body = (await response.json()) as { data?: { datastores: unknown[] }; errors?: unknown };

    expect(body.errors).toBeUndefined();
    expect(body.data?.datastores).toEqual([{ datastoreId, name: 'deployment-default-store', status: 'ACTIVE' }]);
    expect(hil.hil.admin.stats().operations).toEqual({ GetDatastore: 1 });
  });

  it('refuses in production a tenants file that verifies tokens with an HS256 secret', async () => {
    const file = join(configDir, 'hs256-tenants.json');
    writeFileSync(
      file,
      JSON.stringify({
        tenants: [
          {
            id: 'acme',
            name: 'Acme Radiology',
            datastoreIds: [datastoreId],
            upstream: { region: 'us-east-1', credentials: { type: 'default' } },
            jwt: { issuer: 'https://idp.acme.test', audience: 'gateway', hs256Secret: randomBytes(32).toString('hex') },
          },
        ],
      }),
    );
    await expect(startGatewayServer(serverEnv({ NODE_ENV: 'production', TENANTS_FILE: file }))).rejects.toThrow(
      /tenants\[0\]\.jwt\.hs256Secret: is for development only/,
    );
  });

  it('fails to start, naming the field and AWS_REGION, when a tenant has no region and none is configured', async () => {
    await expect(
      startGatewayServer(
        serverEnv({
          GATEWAY_ENV: 'test',
          TENANTS_FILE: join(configDir, 'tenants.json'),
          ACME_KEY_ID: 'unused',
          ACME_SECRET: 'unused',
        }),
      ),
    ).rejects.toThrow(/tenants\[0\]\.upstream\.region: is required \(or set AWS_REGION/);
  });
});
