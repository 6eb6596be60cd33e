import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PartnerStartDocument, UpdateImageSetMetadataDocument } from '../../examples/partner-client/src/documents';
import { GatewayClient, GatewayRequestError } from '../../examples/partner-client/src/gateway-client';
import manifest from '../../examples/partner-client/src/generated/persisted-documents.json';
import { runPartnerFlow } from '../../examples/partner-client/src/partner-flow';
import { timePointChange } from '../../examples/partner-client/src/time-point-change';
import { startDemoUpstream, demoGatewayEnv, type DemoUpstream } from '../../scripts/demo-upstream';
import { mintDemoToken } from '../../scripts/demo-tenants';
import { documentIdOf } from '../../src/limits/trusted-documents';
import { startGatewayServer, type RunningGateway } from '../../src/main';

/**
 * The partner kit (examples/partner-client) end to end against the embedded default, started the
 * way `npm start` starts it: HealthImaging Local with the demo tenants' synthetic studies, the demo
 * tenants file (whose partner key may run exactly the kit's trusted documents), and the gateway
 * over it. The kit talks to it over real HTTP and WebSocket, as a partner's process would.
 */
const REPO_ROOT = join(__dirname, '..', '..');
const KIT_MAIN = join(REPO_ROOT, 'examples/partner-client/src/main.ts');
/** Writes settle in seconds, and the command line transpiles the kit first: generous on 2 busy cores. */
const WRITE_TIMEOUT_MS = 60_000;
const CLI_TIMEOUT_MS = 120_000;

/** The README's Browse query: not one of the kit's documents. */
const BROWSE = `query Browse($ds: String!) { imageSets(datastoreId: $ds, first: 5) { edges { node { imageSetId } } } }`;

const ALL_IMAGE_SETS = `query All($ds: String!) {
  imageSets(datastoreId: $ds, first: 50) { edges { node { imageSetId latestVersionId } } pageInfo { hasNextPage } }
}`;
const METADATA = `query Metadata($ds: String!, $id: String!) {
  imageSet(datastoreId: $ds, imageSetId: $id) {
    latestVersionId
    metadata { study { studyDescription dicom series { seriesInstanceUid } } }
  }
}`;
const UPDATE_STUDY = `mutation UpdateStudy($input: UpdateImageSetMetadataInput!) {
  updateImageSetMetadata(input: $input) { imageSet { latestVersionId state } }
}`;

describe('partner kit against the embedded default', () => {
  let dataDir: string;
  let upstream: DemoUpstream;
  let gateway: RunningGateway;
  let partnerKey: string;
  let appToken: string;
  let datastoreId: string;
  /** The demo data store's image set ids, sorted: tests that write each take their own. */
  let imageSetIds: string[];

  const gatewayEnv = (extra: Record<string, string> = {}) =>
    demoGatewayEnv(upstream, {
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      AUDIT_SQLITE_FILE: join(dataDir, `audit-${Object.keys(extra).length}.sqlite`),
      ...extra,
    });

  /** A request as the hospital's user (every scope, phi:read included), outside the kit. */
  const asUser = async (url: string, query: string, variables: Record<string, unknown>) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${appToken}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: any; errors?: any[] };
    if (body.errors) throw new Error(`user request failed: ${JSON.stringify(body.errors)}`);
    return body.data;
  };

  beforeAll(async () => {
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
    dataDir = mkdtempSync(join(tmpdir(), 'partner-kit-'));
    upstream = await startDemoUpstream(dataDir, () => undefined);
    gateway = await startGatewayServer(gatewayEnv());
    const acme = upstream.state.tenants.acme;
    partnerKey = acme.partnerApiKey!;
    datastoreId = acme.datastoreId!;
    appToken = await mintDemoToken(upstream.state, 'acme');
    const all = await asUser(gateway.url, ALL_IMAGE_SETS, { ds: datastoreId });
    expect(all.imageSets.pageInfo.hasNextPage).toBe(false);
    imageSetIds = all.imageSets.edges.map((edge: any) => edge.node.imageSetId).sort();
  }, 120_000);

  afterAll(async () => {
    await gateway?.close();
    await upstream?.hil.close();
    rmSync(dataDir, { recursive: true, force: true });
    jest.restoreAllMocks();
  });

  it("registers exactly the kit's documents for the demo partner key, under the ids the gateway computes", async () => {
    const ids = Object.keys(manifest);
    expect(ids.length).toBe(6);
    for (const [id, text] of Object.entries(manifest)) expect(id).toBe(`sha256:${documentIdOf(text)}`);

    const tenants = JSON.parse(readFileSync(upstream.tenantsFile, 'utf8')) as { tenants: any[] };
    const partner = tenants.tenants
      .find((tenant) => tenant.id === 'acme')
      .apiKeys.find((key: any) => key.id === 'acme-partner');
    expect([...partner.trustedDocuments].sort()).toEqual([...ids].sort());
    expect(partner.scopes).toEqual(['imagesets:read', 'imagesets:write']);

    const kit = new GatewayClient({ url: gateway.url, credentials: { apiKey: partnerKey } });
    const { data } = await kit.execute(PartnerStartDocument, {});
    expect(data.viewer).toEqual({
      tenantId: 'acme',
      subject: 'acme-partner',
      scopes: ['imagesets:read', 'imagesets:write'],
    });

    // Any other document, the README's own Browse query included, is refused before it runs.
    const refused = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': partnerKey },
      body: JSON.stringify({ query: BROWSE, variables: { ds: datastoreId } }),
    });
    expect(refused.status).toBe(403);
    const body = (await refused.json()) as { errors: any[] };
    expect(body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect(body.errors[0].message).toContain(`sha256:${documentIdOf(BROWSE)}`);
  });

  it(
    'pages every image set and version, then updates through a forced VERSION_CONFLICT and waits by subscription',
    async () => {
      const imageSetId = imageSetIds.at(0)!;
      const before = await asUser(gateway.url, METADATA, { ds: datastoreId, id: imageSetId });
      expect(before.imageSet.latestVersionId).toBe('1');
      let concurrent: { latestVersionId: string; state: string } | undefined;

      const report = await runPartnerFlow({
        url: gateway.url,
        credentials: { apiKey: partnerKey },
        pageSize: 3,
        versionsPageSize: 1,
        imageSetId,
        timePoint: 'BASELINE',
        // The first attempt has read version 1; the hospital's user writes version 2 before the
        // kit's write names version 1.
        change: async (current, attempt) => {
          if (attempt === 1) {
            const answer = await asUser(gateway.url, UPDATE_STUDY, {
              input: {
                datastoreId,
                imageSetId,
                latestVersionId: current.latestVersionId,
                updates: { study: { StudyDescription: 'Reviewed by radiology' } },
              },
            });
            concurrent = answer.updateImageSetMetadata.imageSet;
          }
          return timePointChange('BASELINE')(current, attempt);
        },
      });

      // Every image set, each once, over pages of at most 3.
      expect(report.viewer.subject).toBe('acme-partner');
      expect(report.datastoreId).toBe(datastoreId);
      expect(report.imageSetPageSizes.length).toBeGreaterThan(1);
      expect(report.imageSetPageSizes.every((size) => size <= 3)).toBe(true);
      const listed = report.imageSets.map((one) => one.summary.imageSetId);
      expect([...listed].sort()).toEqual(imageSetIds);

      // Every version of each, newest first, one per page; the search summary's selected metadata.
      for (const { summary, versions, versionPageSizes } of report.imageSets) {
        const ids = versions.map((version) => Number(version.versionId));
        expect(ids[0]).toBe(Number(summary.latestVersionId));
        expect(ids).toEqual([...Array(ids.length).keys()].map((index) => ids.length - index));
        expect(versionPageSizes.every((size) => size <= 1)).toBe(true);
        expect(summary.dicomTags?.numberOfStudyRelatedSeries).toBeGreaterThan(0);
        expect(summary.dicomTags?.seriesModality).toMatch(/^(CT|MR|CR)$/);
        // A partner key has no phi:read: free-text descriptions are withheld, and the gateway says so.
        expect(summary.dicomTags?.studyDescription).toBeNull();
      }
      expect(report.phiWithheld).toContain('free-text');

      // Attempt 1 named version 1 and lost to the user's write; attempt 2 re-read and named version 2.
      expect(concurrent).toEqual({ latestVersionId: '2', state: 'LOCKED' });
      const update = report.update!;
      expect(update.imageSetId).toBe(imageSetId);
      expect(update.outcome.kind).toBe('accepted');
      expect(
        update.outcome.attempts.map(({ attempt, fromVersionId, outcome }) => [attempt, fromVersionId, outcome]),
      ).toEqual([
        [1, '1', 'version-conflict'],
        [2, '2', 'accepted'],
      ]);
      expect(update.outcome.attempts.at(0)?.conflictWith?.latestVersionId).toBe('2');
      const accepted = update.outcome.kind === 'accepted' ? update.outcome.accepted : undefined;
      expect(accepted?.imageSet).toEqual({
        imageSetId,
        state: 'LOCKED',
        workflowStatus: 'UPDATING',
        latestVersionId: '3',
      });
      expect(accepted?.version.versionId).toBe('3');

      // The subscription's last event before it completed is the final state.
      expect(update.final).toEqual({
        imageSetId,
        state: 'ACTIVE',
        workflowStatus: 'UPDATED',
        latestVersionId: '3',
        message: null,
      });

      // Both writes are in version 3: the retry re-applied the change on top of the user's.
      const after = await asUser(gateway.url, METADATA, { ds: datastoreId, id: imageSetId });
      expect(after.imageSet.latestVersionId).toBe('3');
      expect(after.imageSet.metadata.study.studyDescription).toBe('Reviewed by radiology');
      expect(after.imageSet.metadata.study.dicom.LongitudinalTemporalEventType).toBe('BASELINE');

      // The accepted attempt carried an Idempotency-Key: the same request again is answered the
      // recorded response and writes nothing.
      const kit = new GatewayClient({ url: gateway.url, credentials: { apiKey: partnerKey } });
      const again = await kit.execute(
        UpdateImageSetMetadataDocument,
        {
          input: {
            datastoreId,
            imageSetId,
            latestVersionId: '2',
            force: false,
            updates: { study: { LongitudinalTemporalEventType: 'BASELINE' } },
          },
        },
        { idempotencyKey: update.outcome.attempts.at(1)!.idempotencyKey! },
      );
      expect(again.replayed).toBe(true);
      expect(again.data.updateImageSetMetadata).toEqual(accepted);
      expect((await asUser(gateway.url, METADATA, { ds: datastoreId, id: imageSetId })).imageSet.latestVersionId).toBe(
        '3',
      );
    },
    WRITE_TIMEOUT_MS,
  );

  it(
    'reports UPDATE_FAILED with its message when HealthImaging fails the write after accepting it',
    async () => {
      const imageSetId = imageSetIds.at(3)!;
      const before = await asUser(gateway.url, METADATA, { ds: datastoreId, id: imageSetId });
      const series = (before.imageSet.metadata.study.series as Array<{ seriesInstanceUid: string }>).at(0)!;
      const report = await runPartnerFlow({
        url: gateway.url,
        credentials: { apiKey: partnerKey },
        imageSetId,
        // Accepted (LOCKED / UPDATING), then failed: a primary image set's Series level is not writable.
        change: () => ({
          updates: {
            series: [{ seriesInstanceUid: series.seriesInstanceUid, attributes: { BodyPartExamined: 'LUNG' } }],
          },
        }),
      });
      expect(report.update?.outcome.kind).toBe('accepted');
      expect(report.update?.final).toMatchObject({ imageSetId, state: 'ACTIVE', workflowStatus: 'UPDATE_FAILED' });
      expect(report.update?.final?.message).toMatch(/Series level attributes of a primary image set/);
    },
    WRITE_TIMEOUT_MS,
  );

  it(
    'waits out 429 THROTTLED for the Retry-After the gateway sends, then succeeds',
    async () => {
      // A second gateway over the same upstream whose credentials may send one request a second.
      const throttled = await startGatewayServer(
        gatewayEnv({ RATE_LIMIT_CREDENTIAL_PER_SECOND: '1', RATE_LIMIT_CREDENTIAL_BURST: '1' }),
      );
      try {
        const retries: Array<{ reason: string; status?: number; waitMs: number }> = [];
        const kit = new GatewayClient({
          url: throttled.url,
          credentials: { apiKey: partnerKey },
          onRetry: (event) => retries.push(event),
        });
        for (let request = 0; request < 3; request += 1) {
          const { data } = await kit.execute(PartnerStartDocument, {});
          expect(data.viewer?.subject).toBe('acme-partner');
        }
        expect(retries.length).toBeGreaterThan(0);
        for (const retry of retries) {
          expect(retry).toMatchObject({ reason: 'throttled', status: 429 });
          expect(retry.waitMs).toBeGreaterThanOrEqual(1000);
        }
      } finally {
        await throttled.close();
      }
    },
    WRITE_TIMEOUT_MS,
  );

  it('fails a VERSION_CONFLICT the caller does not handle, naming the current version', async () => {
    const kit = new GatewayClient({ url: gateway.url, credentials: { apiKey: partnerKey } });
    const imageSetId = imageSetIds.at(2)!;
    const error = await kit
      .execute(UpdateImageSetMetadataDocument, {
        input: {
          datastoreId,
          imageSetId,
          latestVersionId: '7',
          force: false,
          updates: { study: { LongitudinalTemporalEventType: 'ENROLLMENT' } },
        },
      })
      .then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
    expect(error).toBeInstanceOf(GatewayRequestError);
    expect((error as GatewayRequestError).code).toBe('VERSION_CONFLICT');
    expect((error as GatewayRequestError).current).toMatchObject({ latestVersionId: '1' });
  });

  it(
    'runs as a partner runs it: the command line prints the pages, the conflict, the retry and the final state',
    async () => {
      const imageSetId = imageSetIds.at(1)!;
      const { code, stdout, stderr } = await runKit([
        '--url',
        gateway.url,
        '--api-key',
        partnerKey,
        '--image-set',
        imageSetId,
        '--page-size',
        '4',
        '--simulate-conflict',
      ]);
      expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
      expect(stdout).toContain('Signed in as acme-partner (tenant acme; scopes imagesets:read imagesets:write)');
      expect(stdout).toMatch(/page 1: 4 image set\(s\)/);
      expect(stdout).toContain(`Update image set ${imageSetId}: LongitudinalTemporalEventType -> BASELINE`);
      // The competing write may or may not have settled by then.
      expect(stdout).toMatch(
        /attempt 1: from version 1: VERSION_CONFLICT \(the image set is at version 2, (LOCKED|ACTIVE)\)/,
      );
      expect(stdout).toMatch(/attempt 2: from version 2: accepted, LOCKED\/UPDATING version 3/);
      expect(stdout).toMatch(/ACTIVE\/UPDATED version 3\n\s+done: UPDATED at version 3/);

      const documents = await runKit(['--documents']);
      expect(JSON.parse(documents.stdout)).toEqual({ trustedDocuments: Object.keys(manifest) });
    },
    CLI_TIMEOUT_MS,
  );
});

/** The kit's command line in a child process, its TypeScript transpiled on load (as `npm run partner-client` runs the compiled file). */
function runKit(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['-r', join(REPO_ROOT, 'test/support/register-ts.js'), KIT_MAIN, ...args], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}
