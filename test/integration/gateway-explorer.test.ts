import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { hashApiKey } from '../../src/auth/authenticate';
import { BROWSE_QUERY } from '../../src/http/explorer/browse-query';
import { EXPLORER_CONTENT_SECURITY_POLICY } from '../../src/http/explorer/explorer-page';
import type { ExplorerSettings } from '../../src/http/explorer/explorer-settings';
import { startGatewayServer, type RunningGateway } from '../../src/main';

/**
 * /explorer over real HTTP from the real entry point (`startGatewayServer`): the page, its hashed
 * assets, their headers, and what the page and Apollo Sandbox open with. No request here reaches
 * the upstream, so the tenants file points at an address nothing answers on.
 */
describe('the offline explorer over HTTP', () => {
  let configDir: string;
  const running: RunningGateway[] = [];
  const devHeaders = { Authorization: 'Bearer not-a-real-token</script><!--' };

  const start = async (env: Record<string, string>): Promise<{ origin: string }> => {
    const gateway = await startGatewayServer({
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      CURSOR_SECRET: randomBytes(32).toString('base64url'),
      AUDIT_SQLITE_FILE: join(configDir, `audit-${randomBytes(4).toString('hex')}.sqlite`),
      TENANTS_FILE: join(configDir, 'tenants.json'),
      ACME_KEY_ID: 'AKIAEXPLORERTEST0001',
      ACME_SECRET: randomBytes(20).toString('hex'),
      ...env,
    });
    running.push(gateway);
    return { origin: new URL(gateway.url).origin };
  };

  const settingsOf = (html: string): ExplorerSettings => {
    const block = /<script type="application\/json" id="explorer-settings">([^<]*)<\/script>/.exec(html);
    if (!block?.[1]) throw new Error('the page holds no settings block');
    return JSON.parse(block[1]) as ExplorerSettings;
  };
  const assetsOf = (html: string): string[] =>
    [...html.matchAll(/(?:src|href)="(\/explorer\/assets\/[^"]+)"/g)].map((match) => match[1] ?? '');

  beforeAll(() => {
    configDir = mkdtempSync(join(tmpdir(), 'gateway-explorer-'));
    writeFileSync(
      join(configDir, 'tenants.json'),
      JSON.stringify({
        tenants: [
          {
            id: 'acme',
            name: 'Acme Radiology',
            datastoreIds: ['0123456789abcdef0123456789abcdef'],
            upstream: {
              region: 'us-east-1',
              endpoint: 'http://127.0.0.1:9',
              credentials: { type: 'static', accessKeyIdEnv: 'ACME_KEY_ID', secretAccessKeyEnv: 'ACME_SECRET' },
            },
            apiKeys: [
              {
                id: 'acme-app',
                sha256: hashApiKey(`acme-${randomBytes(8).toString('hex')}`),
                scopes: ['imagesets:read'],
              },
            ],
          },
        ],
      }),
    );
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
  });

  afterAll(async () => {
    await Promise.all(running.map((gateway) => gateway.close()));
    rmSync(configDir, { recursive: true, force: true });
    jest.restoreAllMocks();
  });

  it('opens on the README’s Browse query', () => {
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
    expect(readme).toContain(`\`\`\`graphql\n${BROWSE_QUERY}\`\`\``);
  });

  describe('in development, as `npm start` runs it', () => {
    let origin: string;
    beforeAll(async () => {
      ({ origin } = await start({
        GATEWAY_ENV: 'development',
        EXPLORER_DEFAULT_HEADERS: JSON.stringify(devHeaders),
        EXPLORER_DEFAULT_VARIABLES: JSON.stringify({ ds: '0123456789abcdef0123456789abcdef' }),
      }));
    });

    it('serves the page with a self-only policy, never cached, holding the default headers and variables', async () => {
      const response = await fetch(`${origin}/explorer`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(response.headers.get('content-security-policy')).toBe(EXPLORER_CONTENT_SECURITY_POLICY);
      expect(EXPLORER_CONTENT_SECURITY_POLICY).toContain("script-src 'self';");
      expect(EXPLORER_CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      const html = await response.text();
      // No script runs from the page itself: the only executable script is the bundle.
      expect(html.match(/<script(?![^>]*type="application\/json")[^>]*>/g)).toEqual([
        expect.stringMatching(/^<script defer src="\/explorer\/assets\/explorer-[A-Z0-9]+\.js">$/),
      ]);
      const settings = settingsOf(html);
      expect(settings).toEqual({
        endpoint: '/graphql',
        query: BROWSE_QUERY,
        variables: JSON.stringify({ ds: '0123456789abcdef0123456789abcdef' }, null, 2),
        headers: JSON.stringify(devHeaders, null, 2),
        headersPrefilled: true,
      });
    });

    it('serves the hashed script and stylesheet for a year, gzipped when asked', async () => {
      const html = await (await fetch(`${origin}/explorer`)).text();
      const assets = assetsOf(html);
      expect(assets).toHaveLength(2);
      for (const path of assets) {
        const plain = await fetch(`${origin}${path}`, { headers: { 'accept-encoding': 'identity' } });
        expect(plain.status).toBe(200);
        expect(plain.headers.get('content-type')).toBe(
          path.endsWith('.js') ? 'text/javascript; charset=utf-8' : 'text/css; charset=utf-8',
        );
        expect(plain.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
        expect(plain.headers.get('content-encoding')).toBeNull();
        const body = Buffer.from(await plain.arrayBuffer());
        expect(body.length).toBeGreaterThan(1000);

        // Node's fetch would unzip on its own; the raw bytes are what a browser receives.
        const zipped = await rawGet(`${origin}${path}`, { 'accept-encoding': 'gzip, deflate' });
        expect(zipped.headers['content-encoding']).toBe('gzip');
        expect(zipped.headers.vary).toBe('accept-encoding');
        expect(gunzipSync(zipped.body).equals(body)).toBe(true);
      }
    });

    it('answers HEAD without a body, refuses other methods, and knows no other files', async () => {
      const head = await fetch(`${origin}/explorer`, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(await head.text()).toBe('');
      const post = await fetch(`${origin}/explorer`, { method: 'POST', body: '{}' });
      expect(post.status).toBe(405);
      expect(post.headers.get('allow')).toBe('GET, HEAD');
      expect((await fetch(`${origin}/explorer/assets/explorer-NOPE.js`)).status).toBe(404);
      // The manifest lies in the same folder but is not one of the page's files.
      expect((await fetch(`${origin}/explorer/assets/manifest.json`)).status).toBe(404);
      const slash = await fetch(`${origin}/explorer/`, { redirect: 'manual' });
      expect(slash.status).toBe(308);
      expect(slash.headers.get('location')).toBe('/explorer');
    });

    it('opens Apollo Sandbox on the Browse query with the same shared headers and variables', async () => {
      const response = await fetch(`${origin}/graphql`, { headers: { accept: 'text/html' } });
      const html = await response.text();
      expect(html).toContain('embeddable-sandbox');
      const config = /var embeddedSandboxConfig = (\{.*\});/.exec(html)?.[1];
      expect(config).toBeDefined();
      expect(JSON.parse(config!)).toMatchObject({
        initialState: {
          document: BROWSE_QUERY,
          variables: { ds: '0123456789abcdef0123456789abcdef' },
          sharedHeaders: devHeaders,
        },
      });
    });
  });

  describe('outside development', () => {
    it('serves no explorer unless EXPLORER=on, and then opens it without a credential', async () => {
      const off = await start({ GATEWAY_ENV: 'production' });
      expect((await fetch(`${off.origin}/explorer`)).status).toBe(404);

      const on = await start({ GATEWAY_ENV: 'production', EXPLORER: 'on' });
      const response = await fetch(`${on.origin}/explorer`);
      expect(response.status).toBe(200);
      const settings = settingsOf(await response.text());
      expect(settings).toMatchObject({ query: BROWSE_QUERY, headers: '{}', headersPrefilled: false });
    });
  });
});

/** A GET whose body is returned as sent (fetch would decode gzip itself). */
function rawGet(
  url: string,
  headers: Record<string, string>,
): Promise<{ headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ headers: response.headers, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}
