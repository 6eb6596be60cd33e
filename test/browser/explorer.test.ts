import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
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

function readmeBrowseQuery(): string {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const block = /```graphql\n(query Browse[\s\S]*?)```/.exec(readme);
  if (!block?.[1]) throw new Error('README.md shows no "query Browse" block');
  return block[1];
}

describe('the offline explorer in Chromium', () => {
  const available = existsSync(CHROMIUM);
  let h: GatewayHarness;
  let context: BrowserContext;
  let userDataDir: string;

  beforeAll(async () => {
    if (!available) return;
    // Development, as `npm start` runs it, but without the launcher's prefilled header: the test pastes one.
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
    if (!available) {
      console.log(
        `skipped: ${CHROMIUM} is absent (apt-get install -y chromium); the explorer was not driven in a browser`,
      );
      return;
    }
    const origin = new URL(h.url).origin;
    const requested: string[] = [];
    const outside: string[] = [];
    const problems: string[] = [];
    context.on('request', (request) => requested.push(request.url()));
    // Anything not for the gateway is refused and remembered, so an attempt fails the test without waiting on a network.
    await context.route(
      (url) => url.origin !== origin && url.protocol !== 'data:',
      (route) => {
        outside.push(route.request().url());
        return route.abort();
      },
    );
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));

    await page.goto(`${origin}/explorer`);
    const queryEditor = 'section.graphiql-query-editor .CodeMirror';
    const toolEditor = 'section.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror';
    const resultPane = 'section.result-window .CodeMirror';
    await page.waitForSelector(queryEditor);
    expect(await editorText(page, queryEditor)).toBe(readmeBrowseQuery());

    // The Headers tab is open by default; the Variables tab takes the data store id.
    await pasteInto(page, toolEditor, JSON.stringify({ Authorization: `Bearer ${h.tokens.acme}` }, null, 2));
    await page.getByRole('button', { name: 'Variables' }).click();
    await pasteInto(page, toolEditor, JSON.stringify({ ds: h.datastores.acme }));
    await page.click('button.graphiql-execute-button');
    // The answer's first lines (the viewer, then the image sets) are in view once it has arrived.
    await page.locator(resultPane).getByText('"imageSets"').first().waitFor();

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
  });
});
