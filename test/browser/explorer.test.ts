import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { hashApiKey } from '../../src/auth/authenticate';
import { SCOPES } from '../../src/auth/principal';
import { startGatewayServer } from '../../src/main';
import { startGatewayHarness, type GatewayHarness } from '../support/gateway-harness';

/**
 * The offline explorer in a real browser: Debian's Chromium opens /explorer on a gateway over
 * HealthImaging Local, a demo header is pasted into GraphiQL's Headers editor, the README's Browse
 * query runs, and the result pane shows the tenant's image sets. Every request the page makes
 * must go to the gateway (127.0.0.1): the explorer works with no internet.
 */
const CHROMIUM = '/usr/bin/chromium';
const REPO_ROOT = join(__dirname, '..', '..');
const OUTPUT_DIR = join(REPO_ROOT, 'test-output', 'explorer');
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** CodeMirror 5 draws only the lines in view; the editor object behind the element has the whole text. */
function editorText(page: Page, selector: string): Promise<string> {
  return page.$eval(selector, (element) =>
    (element as unknown as { CodeMirror: { getValue(): string } }).CodeMirror.getValue(),
  );
}

/** What a paste does to a CodeMirror editor: select everything, then one input of the new text. */
async function pasteInto(page: Page, selector: string, text: string): Promise<void> {
  await page.click(selector);
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(text);
}

/** A page whose requests off the gateway's origin are refused and remembered, with its console errors. */
async function watchedPage(context: BrowserContext, origin: string) {
  const page = await context.newPage();
  const requested: string[] = [];
  const outside: string[] = [];
  const problems: string[] = [];
  page.on('request', (request) => requested.push(request.url()));
  // Refused at once, so an attempt fails the test without waiting on a network.
  await page.route(
    (url) => url.origin !== origin && url.protocol !== 'data:',
    (route) => {
      outside.push(route.request().url());
      return route.abort();
    },
  );
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  return { page, requested, outside, problems };
}

function readmeBrowseQuery(): string {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const block = /```graphql\n(query Browse[\s\S]*?)```/.exec(readme);
  if (!block?.[1]) throw new Error('README.md shows no "query Browse" block');
  return block[1];
}

describe('the offline explorer in Chromium', () => {
  const available = existsSync(CHROMIUM);
  const queryEditor = 'section.graphiql-query-editor .CodeMirror';
  const toolEditor = 'section.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror';
  const resultPane = 'section.result-window .CodeMirror';
  let h: GatewayHarness;
  let context: BrowserContext;
  let userDataDir: string;

  beforeAll(async () => {
    if (!available) {
      console.log(
        `skipped: ${CHROMIUM} is absent (apt-get install -y chromium); the explorer was not driven in a browser`,
      );
      return;
    }
    // Development, but not `npm start`: nothing is prefilled, the first test pastes a header.
    h = await startGatewayHarness({ env: { GATEWAY_ENV: 'development' } });
    userDataDir = mkdtempSync(join(tmpdir(), 'explorer-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_FLAGS,
      viewport: { width: 1440, height: 900 },
    });
  });

  afterAll(async () => {
    await context?.close();
    await h?.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  });

  it('runs the README Browse query with a pasted header and shows the tenant’s image sets', async () => {
    if (!available) return;
    const origin = new URL(h.url).origin;
    const { page, requested, outside, problems } = await watchedPage(context, origin);

    await page.goto(`${origin}/explorer`);
    await page.waitForSelector(queryEditor);
    expect(await editorText(page, queryEditor)).toBe(readmeBrowseQuery());

    // The Headers tab is open by default; the Variables tab takes the data store id.
    await pasteInto(page, toolEditor, JSON.stringify({ Authorization: `Bearer ${h.tokens.acme}` }, null, 2));
    await page.getByRole('button', { name: 'Variables' }).click();
    await pasteInto(page, toolEditor, JSON.stringify({ ds: h.datastores.acme }));
    await page.click('button.graphiql-execute-button');
    // The answer's first lines (the viewer and the image sets, or the errors) are in view once it arrives.
    await page
      .locator(resultPane)
      .getByText(/"imageSets"|"errors"/)
      .first()
      .waitFor();

    const shown = JSON.parse(await editorText(page, resultPane)) as { data?: any; errors?: unknown };
    expect(shown.errors).toBeUndefined();
    expect(shown.data.viewer).toMatchObject({ tenantId: 'acme', subject: 'alice@acme.test' });
    const nodes = shown.data.imageSets.edges.map((edge: any) => edge.node);
    expect(nodes.map((node: any) => node.imageSetId).sort()).toEqual([...h.imageSets.acme].sort());
    expect(nodes[0].metadata.patient.patientName).toBe('Fixture^Carla');
    expect(nodes[0].metadata.study.studyDescription).toBe('CT CHEST FIXTURE');
    await expect(page.locator(resultPane).getByText('"acme"').first().isVisible()).resolves.toBe(true);

    // The screenshot shows the pasted header next to the answer.
    const headersTab = page.getByRole('button', { name: 'Headers' });
    await headersTab.click();
    await headersTab.blur();
    mkdirSync(OUTPUT_DIR, { recursive: true });
    await page.screenshot({ path: join(OUTPUT_DIR, 'browse-result.png') });

    expect(outside).toEqual([]);
    expect(requested.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith('data:'))).toEqual([]);
    expect(requested).toEqual(expect.arrayContaining([`${origin}/explorer`, `${origin}/graphql`]));
    expect(problems).toEqual([]);
    await page.close();
  });

  it('opens ready to run where the launcher set the default headers and variables: Run alone answers', async () => {
    if (!available) return;
    // The real entry point with the settings `npm start` passes, over the harness's HealthImaging Local.
    const dir = mkdtempSync(join(tmpdir(), 'explorer-prefilled-'));
    const apiKey = `acme-${randomBytes(16).toString('hex')}`;
    writeFileSync(
      join(dir, 'tenants.json'),
      JSON.stringify({
        tenants: [
          {
            id: 'acme',
            name: 'Acme Radiology',
            datastoreIds: [h.datastores.acme],
            upstream: {
              region: 'us-east-1',
              endpoint: h.hil.url,
              credentials: { type: 'static', accessKeyIdEnv: 'HIL_KEY_ID', secretAccessKeyEnv: 'HIL_SECRET' },
            },
            apiKeys: [{ id: 'acme-app', sha256: hashApiKey(apiKey), scopes: [...SCOPES] }],
          },
        ],
      }),
    );
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    const gateway = await startGatewayServer({
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      GATEWAY_ENV: 'development',
      CURSOR_SECRET: randomBytes(32).toString('base64url'),
      TENANTS_FILE: join(dir, 'tenants.json'),
      AUDIT_SQLITE_FILE: join(dir, 'audit.sqlite'),
      HIL_KEY_ID: h.hil.credentials.accessKeyId,
      HIL_SECRET: h.hil.credentials.secretAccessKey,
      EXPLORER_DEFAULT_HEADERS: JSON.stringify({ 'x-api-key': apiKey }),
      EXPLORER_DEFAULT_VARIABLES: JSON.stringify({ ds: h.datastores.acme }),
    });
    log.mockRestore();
    try {
      const origin = new URL(gateway.url).origin;
      const { page, outside, problems } = await watchedPage(context, origin);
      await page.goto(`${origin}/explorer`);
      await page.waitForSelector(queryEditor);
      expect(JSON.parse(await editorText(page, toolEditor))).toEqual({ 'x-api-key': apiKey });
      await page.click('button.graphiql-execute-button');
      await page
        .locator(resultPane)
        .getByText(/"imageSets"|"errors"/)
        .first()
        .waitFor();

      const shown = JSON.parse(await editorText(page, resultPane)) as { data?: any; errors?: unknown };
      expect(shown.errors).toBeUndefined();
      expect(shown.data.viewer.tenantId).toBe('acme');
      expect(shown.data.imageSets.edges.map((edge: any) => edge.node.imageSetId).sort()).toEqual(
        [...h.imageSets.acme].sort(),
      );
      expect(outside).toEqual([]);
      expect(problems).toEqual([]);
      await page.close();
    } finally {
      await gateway.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
