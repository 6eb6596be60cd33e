import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, gunzipSync } from 'node:zlib';
import { GetImageFrameCommand, GetImageSetMetadataCommand } from '@aws-sdk/client-medical-imaging';
import { smallMrStudy, type SyntheticStudySpec } from '../../scripts/synthetic-studies';
import { SqliteAuditStore } from '../../src/audit/sqlite-audit-store';
import { loadConfig } from '../../src/config';
import { FrameTokens, type FrameGrant } from '../../src/frames/frame-tokens';
import { createGateway, type Gateway } from '../../src/gateway';
import { ImagingService } from '../../src/imaging/imaging-service';
import type { TenantConfig } from '../../src/tenants/tenant-config';
import { TenantRegistry } from '../../src/tenants/tenant-registry';
import { startGatewayHarness, type GatewayHarness } from '../support/gateway-harness';
import { pollUntil } from '../support/hil-wait';
import { leakMatchers, patientValuesIn, patientValuesOf } from '../support/phi-leak-scan';

/**
 * Pixel frames through the gateway, over real HTTP, against HealthImaging Local with a real
 * imported multi-frame study: every frame URL of a series streams exactly the bytes HealthImaging
 * Local serves for that frame (and matches the checksum its metadata records); tokens that grant
 * nothing are refused alike and cost no upstream call; a fetch lands in the audit trail.
 */

/** One MR series of four instances with three frames each: twelve frames to fetch at once. */
const multiFrameStudy: SyntheticStudySpec = {
  ...smallMrStudy,
  patient: { name: 'Frames^Fiona', id: 'FRAMES-001', birthDate: '19910203', sex: 'F' },
  accessionNumber: 'FRAMES0001',
  studyId: 'FRAMES1',
  studyDescription: 'MR FRAMES FIXTURE',
  series: [
    {
      modality: 'MR',
      seriesNumber: 7,
      description: 'Cine multi-frame',
      bodyPart: 'HEAD',
      instances: 4,
      rows: 24,
      columns: 20,
      frames: 3,
    },
  ],
  seed: 'fixture-frames',
};

const FRAMES_QUERY = `query Frames($ds: String!, $id: String!) {
  imageSet(datastoreId: $ds, imageSetId: $id) {
    latestVersionId
    metadata { study { series {
      seriesInstanceUid
      instances(first: 50) { edges { node { sopInstanceUid frames { id url urlExpiresAt sizeInBytes } } } }
    } } }
  }
}`;

interface FrameRow {
  id: string;
  url: string;
  urlExpiresAt: string;
  sizeInBytes: number | null;
}

interface BinaryResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A plain GET with no credentials, as a browser or viewer would fetch the URL. */
function getPath(port: number, path: string, method = 'GET'): Promise<BinaryResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** The value, which the test's own setup guarantees; a clear failure otherwise. */
function present<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('expected a value');
  return value;
}

function portOf(h: GatewayHarness): number {
  return Number(new URL(h.url).port);
}

/** What every refusal looks like: nothing tells an expired URL from a forged or revoked one. */
function expectNotFound(res: BinaryResponse): void {
  expect(res.status).toBe(404);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(res.headers['cache-control']).toBe('no-store');
  expect(JSON.parse(res.body.toString('utf8'))).toEqual({
    errors: [{ message: 'The requested resource was not found.', extensions: { code: 'NOT_FOUND' } }],
  });
}

/** The checksum HealthImaging Local's metadata records for each frame id (CRC32 of the stored bytes). */
async function recordedChecksums(h: GatewayHarness, datastoreId: string, imageSetId: string) {
  const out = await h.admin.send(new GetImageSetMetadataCommand({ datastoreId, imageSetId }));
  const document = JSON.parse(gunzipSync(await out.imageSetMetadataBlob?.transformToByteArray()).toString('utf8'));
  const checksums = new Map<string, number>();
  for (const series of Object.values<any>(document.Study.Series)) {
    for (const instance of Object.values<any>(series.Instances)) {
      expect(instance.ChecksumType).toBe('DECOMPRESSED');
      for (const frame of instance.ImageFrames) {
        const levels = frame.PixelDataChecksumFromBaseToFullResolution as Array<{ Width: number; Checksum: number }>;
        checksums.set(frame.ID, present(levels.at(-1)).Checksum);
      }
    }
  }
  return checksums;
}

describe('pixel frames over HTTP', () => {
  const secret = randomBytes(32).toString('base64url');
  let h: GatewayHarness;
  let auditDir: string;
  let audit: SqliteAuditStore;
  let imageSetId: string;

  beforeAll(async () => {
    auditDir = mkdtempSync(join(tmpdir(), 'frames-audit-'));
    audit = new SqliteAuditStore(join(auditDir, 'audit.sqlite'));
    h = await startGatewayHarness({ env: { CURSOR_SECRET: secret }, audit });
    [imageSetId] = (await h.importStudy('acme', 'frames', multiFrameStudy)) as [string];
  });
  afterAll(async () => {
    await h.close();
    await audit.close();
    rmSync(auditDir, { recursive: true, force: true });
  });

  async function seriesFrames(token = h.tokens.acme): Promise<{ latestVersionId: string; frames: FrameRow[] }> {
    const res = await h.gql(FRAMES_QUERY, { ds: h.datastores.acme, id: imageSetId }, h.as({ token }));
    expect(res.errors).toBeUndefined();
    const imageSet = res.data!.imageSet;
    const [series] = imageSet.metadata.study.series;
    const frames = series.instances.edges.flatMap((edge: any) => edge.node.frames as FrameRow[]);
    return { latestVersionId: imageSet.latestVersionId, frames };
  }

  it('streams every frame of a series, in parallel, byte for byte as HealthImaging Local serves it', async () => {
    const { frames } = await seriesFrames();
    expect(frames).toHaveLength(12);
    const checksums = await recordedChecksums(h, h.datastores.acme, imageSetId);
    const queriedAt = Date.now();

    const fetched = await Promise.all(frames.map((frame) => getPath(portOf(h), frame.url)));
    const direct = await Promise.all(
      frames.map(async (frame) => {
        const out = await h.admin.send(
          new GetImageFrameCommand({
            datastoreId: h.datastores.acme,
            imageSetId,
            imageFrameInformation: { imageFrameId: frame.id },
          }),
        );
        return { contentType: out.contentType, bytes: Buffer.from(await out.imageFrameBlob.transformToByteArray()) };
      }),
    );

    frames.forEach((frame, index) => {
      const res = present(fetched.at(index));
      const upstream = present(direct.at(index));
      expect(res.status).toBe(200);
      expect(res.body.length).toBeGreaterThan(0);
      expect(res.body.equals(upstream.bytes)).toBe(true);
      expect(crc32(res.body) >>> 0).toBe(checksums.get(frame.id));
      expect(res.body.length).toBe(frame.sizeInBytes);
      expect(res.headers['content-type']).toBe(upstream.contentType);
      expect(res.headers['content-length']).toBe(String(upstream.bytes.length));
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      const maxAge = Number(/^private, max-age=(\d+)$/.exec(String(res.headers['cache-control']))?.[1]);
      // At most the URL's remaining life, and a five-minute URL keeps at least 90% of it.
      expect(maxAge).toBeLessThanOrEqual(Math.ceil((Date.parse(frame.urlExpiresAt) - queriedAt) / 1000));
      expect(maxAge).toBeGreaterThanOrEqual(270 - Math.ceil((Date.now() - queriedAt) / 1000));
    });
    // Twelve different frames, not one frame twelve times.
    expect(new Set(fetched.map((res) => res.body.toString('base64'))).size).toBe(12);
  });

  it('mints URLs that reveal nothing, expire in about five minutes and answer GET only', async () => {
    const before = Date.now();
    const { frames } = await seriesFrames();
    for (const frame of frames) {
      expect(frame.url).toMatch(/^\/frames\/[A-Za-z0-9_-]+$/);
      // Neither the ids it is bound to nor the caller show in the URL.
      for (const hidden of [frame.id, imageSetId, h.datastores.acme, 'acme', 'alice']) {
        expect(frame.url).not.toContain(hidden);
      }
      const life = Date.parse(frame.urlExpiresAt) - before;
      expect(life).toBeGreaterThan(265_000);
      expect(life).toBeLessThanOrEqual(301_000);
    }
    const post = await getPath(portOf(h), present(frames.at(0)).url, 'POST');
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET');
  });

  it('refuses expired, forged and other-tenant tokens alike, with no upstream call', async () => {
    const { latestVersionId, frames } = await seriesFrames();
    const frameId = present(frames.at(0)).id;
    const grant: FrameGrant = {
      tenantId: 'acme',
      subject: 'alice@acme.test',
      method: 'jwt',
      datastoreId: h.datastores.acme,
      imageSetId,
      versionId: latestVersionId,
      imageFrameId: frameId,
    };
    // The gateway's own signer with its clock moved back past the URL's life.
    const expired = new FrameTokens(secret, 300, () => Date.now() - 301_000).mint(grant).token;
    const genuine = new FrameTokens(secret, 300).mint(grant).token;
    const flipped = `${genuine.slice(0, 10)}${genuine[10] === 'A' ? 'B' : 'A'}${genuine.slice(11)}`;
    const otherSecret = new FrameTokens(randomBytes(32).toString('base64url'), 300).mint(grant).token;
    // A genuine token naming globex's data store and image set for acme: outside acme's grant.
    const globexSet = present(h.imageSets.globex.at(0));
    const foreign = new FrameTokens(secret, 300).mint({
      ...grant,
      datastoreId: h.datastores.globex,
      imageSetId: globexSet,
    }).token;
    // And the other way round: globex's credential asking for acme's frame.
    const crossTenant = new FrameTokens(secret, 300).mint({
      ...grant,
      tenantId: 'globex',
      subject: 'gus@globex.test',
    }).token;

    h.resetUpstreamCalls();
    const refused = await Promise.all(
      [expired, flipped, otherSecret, foreign, crossTenant, 'not-a-token', genuine.slice(0, -2)].map((token) =>
        getPath(portOf(h), `/frames/${token}`),
      ),
    );
    refused.forEach(expectNotFound);
    expect(h.upstreamCalls('acme')).toEqual({});
    expect(h.upstreamCalls('globex')).toEqual({});

    // The same grant, freshly minted, does fetch: the refusals were about the tokens alone.
    expect((await getPath(portOf(h), `/frames/${genuine}`)).status).toBe(200);
    expect(h.upstreamCalls('acme').GetImageFrame).toBe(1);
    // No token reaches a log line.
    const logged = JSON.stringify(h.logs);
    for (const token of [expired, genuine, foreign]) expect(logged).not.toContain(token);
  });

  it('cancels the upstream call when the viewer hangs up before the frame arrives', async () => {
    const { frames } = await seriesFrames();
    h.resetUpstreamCalls();
    h.hil.hil.admin.faults.set({ operation: 'GetImageFrame', mode: 'hang', count: 1 });
    const logsBefore = h.logs.length;
    const req = httpRequest({ host: '127.0.0.1', port: portOf(h), method: 'GET', path: present(frames.at(2)).url });
    req.on('error', () => undefined);
    req.end();
    try {
      await pollUntil('the gateway to call GetImageFrame', async () => h.upstreamCalls('acme').GetImageFrame);
      req.destroy();
      const failed = await pollUntil('the upstream call to end', async () =>
        h.logs
          .slice(logsBefore)
          .find((line) => line.event === 'upstream.call_failed' && line.operation === 'GetImageFrame'),
      );
      expect(failed).toMatchObject({ tenantId: 'acme', operation: 'GetImageFrame' });
      const answered = await pollUntil('the request line', async () =>
        h.logs.slice(logsBefore).find((line) => line.event === 'http.request' && line.path === '/frames/*'),
      );
      expect(answered).toMatchObject({ status: 499 });
    } finally {
      h.hil.hil.admin.faults.clear();
    }
  });

  it('records each frame fetch in the audit trail as the caller, by id only', async () => {
    const { latestVersionId, frames } = await seriesFrames(h.tokens.acmeReadOnly);
    const res = await getPath(portOf(h), present(frames.at(1)).url);
    expect(res.status).toBe(200);
    const requestId = String(res.headers['x-request-id']);

    const page = await audit.list('acme', {
      first: 20,
      filter: { action: 'getImageFrame', subject: 'rita@acme.test' },
    });
    const record = page.records.find((candidate) => candidate.requestId === requestId);
    expect(record).toMatchObject({
      tenantId: 'acme',
      subject: 'rita@acme.test',
      clientKind: 'jwt',
      action: 'getImageFrame',
      operationName: null,
      datastoreId: h.datastores.acme,
      imageSetId,
      versionId: latestVersionId,
      dataCategories: ['pixel-data'],
      outcome: 'OK',
    });
    expect(record!.upstreamRequestIds).toHaveLength(1);
    const found = patientValuesIn(JSON.stringify(record), leakMatchers(patientValuesOf([multiFrameStudy])));
    expect(found).toEqual([]);
    expect(present((await audit.verify('acme')).at(0)).problem).toBeUndefined();
  });
});

/**
 * A second gateway over the same HealthImaging Local and CURSOR_SECRET, with its own tenants:
 * what a restart with an edited tenants file looks like to URLs minted before it.
 */
async function secondGateway(
  h: GatewayHarness,
  secret: string,
  acmeDatastores: string[],
  env: Record<string, string> = {},
): Promise<{ port: number; built: string[]; close(): Promise<void> }> {
  const acme: TenantConfig = {
    id: 'acme',
    name: 'Acme Radiology',
    datastoreIds: acmeDatastores,
    upstream: {
      region: 'us-east-1',
      endpoint: h.hil.url,
      credentials: { type: 'default' },
      maxConcurrency: 8,
      connectionTimeoutMs: 2000,
      requestTimeoutMs: 5000,
      maxReadAttempts: 1,
    },
    apiKeys: [],
  };
  const built: string[] = [];
  const config = loadConfig({ GATEWAY_ENV: 'test', CURSOR_SECRET: secret, TENANTS_FILE: '/unused', ...env });
  const gateway: Gateway = await createGateway(config, {
    registry: new TenantRegistry([acme]),
    serviceFor: (tenant) => {
      built.push(tenant.id);
      return new ImagingService({ tenant, client: h.admin });
    },
  });
  await gateway.start();
  const server: Server = createServer(gateway.handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    built,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await gateway.stop();
    },
  };
}

describe('pixel frames: grants and limits of the credential that minted the URL', () => {
  const secret = randomBytes(32).toString('base64url');
  let h: GatewayHarness;
  let imageSetId: string;

  beforeAll(async () => {
    h = await startGatewayHarness({ env: { CURSOR_SECRET: secret } });
    [imageSetId] = (await h.importStudy('acme', 'frames', multiFrameStudy)) as [string];
  });
  afterAll(async () => h.close());

  async function frameUrls(): Promise<string[]> {
    const res = await h.gql(FRAMES_QUERY, { ds: h.datastores.acme, id: imageSetId }, h.as({ token: h.tokens.acme }));
    expect(res.errors).toBeUndefined();
    const [series] = res.data!.imageSet.metadata.study.series;
    return series.instances.edges.flatMap((edge: any) => edge.node.frames.map((frame: FrameRow) => frame.url));
  }

  it("refuses a URL minted before the tenant's grant to the data store was revoked, with no upstream call", async () => {
    const [url] = (await frameUrls()) as [string];
    const revoked = await secondGateway(h, secret, []);
    const granted = await secondGateway(h, secret, [h.datastores.acme]);
    try {
      h.hil.hil.admin.resetStats();
      expectNotFound(await getPath(revoked.port, url));
      expect(revoked.built).toEqual([]);
      expect(h.hil.hil.admin.stats().operations.GetImageFrame ?? 0).toBe(0);
      // The same URL on a gateway that still grants the data store serves the frame.
      expect((await getPath(granted.port, url)).status).toBe(200);
    } finally {
      await revoked.close();
      await granted.close();
    }
  });

  it("takes each fetch from the minting credential's rate-limit bucket", async () => {
    const urls = await frameUrls();
    const limited = await secondGateway(h, secret, [h.datastores.acme], {
      RATE_LIMIT_CREDENTIAL_PER_SECOND: '1',
      RATE_LIMIT_CREDENTIAL_BURST: '2',
    });
    try {
      const started = Date.now();
      const answers = await Promise.all(urls.map((url) => getPath(limited.port, url)));
      // One per one-second window plus one burst: the windows the fetches spanned bound what may pass.
      const windows = Math.ceil((Date.now() - started) / 1000) + 1;
      const served = answers.filter((res) => res.status === 200);
      const throttled = answers.filter((res) => res.status === 429);
      expect(served.length + throttled.length).toBe(urls.length);
      expect(served.length).toBeGreaterThanOrEqual(1);
      expect(served.length).toBeLessThanOrEqual(1 + windows);
      for (const res of throttled) {
        expect(JSON.parse(res.body.toString('utf8')).errors[0].extensions.code).toBe('THROTTLED');
        expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      }
    } finally {
      await limited.close();
    }
  });
});
