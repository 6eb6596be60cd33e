import type { MedicalImagingClient } from '@aws-sdk/client-medical-imaging';
import { GatewayError } from '../../src/errors/gateway-errors';
import { ImagingService } from '../../src/imaging/imaging-service';
import { MetadataCache } from '../../src/imaging/metadata-cache';
import { createMedicalImagingClient } from '../../src/imaging/upstream/client-factory';
import type { TenantConfig } from '../../src/tenants/tenant-config';
import { expectData, expectGraphQLError, waitUntilUnlocked } from '../support/gateway-expect';
import { startGatewayHarness, type GatewayHarness } from '../support/gateway-harness';
import { pollUntil } from '../support/hil-wait';

const DETAIL = `query ($ds: String!, $id: String!) {
  imageSet(datastoreId: $ds, imageSetId: $id) {
    latestVersionId
    metadata { patient { patientId } study { studyDescription series { seriesInstanceUid instanceCount instances(first: 3) { edges { node { sopInstanceUid } } } } } }
  }
}`;

/**
 * The replica's cache of decoded metadata, over real HTTP against HealthImaging Local, counted
 * by HealthImaging Local per access key: a settled version's document is downloaded once while it
 * stays cached, and a hit is only ever served after the request's own upstream read of the
 * version, so a deleted image set, a revoked grant and another tenant never get one.
 */
describe('gateway: metadata cache across requests', () => {
  let h: GatewayHarness;
  let acme: Record<string, string>;

  beforeAll(async () => {
    h = await startGatewayHarness();
    acme = h.as({ token: h.tokens.acme });
  });
  afterAll(async () => {
    await h?.close();
  });

  async function detail(imageSetId: string, headers = acme) {
    return h.gql(DETAIL, { ds: h.datastores.acme, id: imageSetId }, headers);
  }

  it('downloads a version once while it stays cached, whichever path reads it', async () => {
    const [id] = await h.importStudy('acme', 'cache-paths');
    const ds = h.datastores.acme;
    h.resetUpstreamCalls();
    const first = expectData(await detail(id));
    expect(h.upstreamCalls('acme')).toEqual({ GetImageSet: 1, GetImageSetMetadata: 1 });

    h.resetUpstreamCalls();
    expect(expectData(await detail(id))).toEqual(first);
    expect(h.upstreamCalls('acme')).toEqual({ GetImageSet: 1 });

    const study = first.imageSet.metadata.study;
    const paths: Array<[string, Record<string, unknown>, Record<string, number>]> = [
      [
        `query ($ds: String!, $id: String!) { imageSetVersion(datastoreId: $ds, imageSetId: $id, versionId: "1") { metadata { study { studyDescription } } } }`,
        { ds, id },
        { GetImageSet: 1 },
      ],
      [
        `query ($ds: String!, $series: String!) { imageSets(datastoreId: $ds, filter: { seriesInstanceUid: $series }) { edges { node { state metadata { study { studyDescription } } } } } }`,
        { ds, series: study.series[0].seriesInstanceUid },
        { SearchImageSets: 1, GetImageSet: 1 },
      ],
      // Nothing else asks for GetImageSet here: it is made in place of the download, because a
      // cached document needs this request's own evidence that the version still exists.
      [
        `query ($ds: String!, $series: String!) { imageSets(datastoreId: $ds, filter: { seriesInstanceUid: $series }) { edges { node { metadata { study { studyDescription } } } } } }`,
        { ds, series: study.series[0].seriesInstanceUid },
        { SearchImageSets: 1, GetImageSet: 1 },
      ],
      [
        `query ($ds: String!, $id: String!) { imageSet(datastoreId: $ds, imageSetId: $id) { state versions(first: 5) { edges { node { versionId } } } metadata { study { studyDescription } } } }`,
        { ds, id },
        { ListImageSetVersions: 1 },
      ],
    ];
    for (const [query, variables, calls] of paths) {
      h.resetUpstreamCalls();
      expect(JSON.stringify(expectData(await h.gql(query, variables, acme)))).toContain(study.studyDescription);
      expect(h.upstreamCalls('acme')).toEqual(calls);
    }
  });

  it('keys by version: a new version is downloaded, the old one stays cached', async () => {
    const [id] = await h.importStudy('acme', 'cache-versions');
    expectData(await detail(id));
    expectData(
      await h.gql(
        `mutation ($input: UpdateImageSetMetadataInput!) { updateImageSetMetadata(input: $input) { version { versionId } } }`,
        {
          input: {
            datastoreId: h.datastores.acme,
            imageSetId: id,
            latestVersionId: '1',
            updates: { study: { StudyDescription: 'CACHED V2' } },
          },
        },
        acme,
      ),
    );
    await waitUntilUnlocked(h, acme, h.datastores.acme, id);
    h.resetUpstreamCalls();
    const data = expectData(await detail(id));
    expect(data.imageSet.latestVersionId).toBe('2');
    expect(data.imageSet.metadata.study.studyDescription).toBe('CACHED V2');
    expect(h.upstreamCalls('acme')).toEqual({ GetImageSet: 1, GetImageSetMetadata: 1 });

    h.resetUpstreamCalls();
    const old = expectData(
      await h.gql(
        `query ($ds: String!, $id: String!) { imageSet(datastoreId: $ds, imageSetId: $id) { version(versionId: "1") { metadata { study { studyDescription } } } } }`,
        { ds: h.datastores.acme, id },
        acme,
      ),
    );
    expect(old.imageSet.version.metadata.study.studyDescription).not.toBe('CACHED V2');
    expect(h.upstreamCalls('acme')).toEqual({ GetImageSet: 2 });
  });

  it('gives a deleted image set no hit: every path answers NOT_FOUND from upstream', async () => {
    const [id] = await h.importStudy('acme', 'cache-deleted');
    const ds = h.datastores.acme;
    expectData(await detail(id));
    expectData(
      await h.gql(
        `mutation ($input: DeleteImageSetInput!) { deleteImageSet(input: $input) { imageSet { state } } }`,
        { input: { datastoreId: ds, imageSetId: id } },
        acme,
      ),
    );
    await pollUntil('the image set to be deleted', async () =>
      (await detail(id)).errors?.[0]?.extensions?.code === 'NOT_FOUND' ? true : undefined,
    );
    const queries = [
      DETAIL,
      `query ($ds: String!, $id: String!) { imageSetVersion(datastoreId: $ds, imageSetId: $id, versionId: "1") { metadata { study { studyDescription } } } }`,
      `query ($ds: String!, $id: String!) { imageSet(datastoreId: $ds, imageSetId: $id) { versions(first: 1) { edges { node { versionId } } } metadata { study { studyDescription } } } }`,
    ];
    for (const query of queries) {
      h.resetUpstreamCalls();
      const response = await h.gql(query, { ds, id }, acme);
      expectGraphQLError(response, 'NOT_FOUND');
      expect(JSON.stringify(response.data)).not.toContain('studyDescription');
      expect(h.upstreamCalls('acme').GetImageSetMetadata).toBeUndefined();
      expect(Object.keys(h.upstreamCalls('acme'))).toHaveLength(1);
    }
  });

  it('gives a tenant whose upstream grant was revoked no hit', async () => {
    const [id] = await h.importStudy('acme', 'cache-revoked');
    const warm = expectData(await detail(id));
    const keys = h.hil.hil.admin.accessKeys;
    const grant = keys.get(h.hilAccessKeys.acme)!;
    keys.add({ ...grant, datastores: [] });
    try {
      h.resetUpstreamCalls();
      const response = await detail(id);
      expect(response.errors?.length).toBe(1);
      expect(response.data?.imageSet ?? null).toBeNull();
      expect(h.upstreamCalls('acme')).toEqual({ GetImageSet: 1 });
    } finally {
      keys.add(grant);
    }
    // Granted again, the document is still cached and served after the request's own read.
    h.resetUpstreamCalls();
    expect(expectData(await detail(id))).toEqual(warm);
    expect(h.upstreamCalls('acme')).toEqual({ GetImageSet: 1 });
  });

  it('gives another tenant no hit on an image set it is not granted: NOT_FOUND before any call', async () => {
    const [id] = await h.importStudy('acme', 'cache-foreign');
    expectData(await detail(id));
    h.resetUpstreamCalls();
    const globex = h.as({ token: h.tokens.globex });
    const response = await detail(id, globex);
    expectGraphQLError(response, 'NOT_FOUND');
    expect(response.data?.imageSet).toBeNull();
    expect(h.upstreamCalls('globex')).toEqual({});
    expect(h.upstreamCalls('acme')).toEqual({});
  });
  // The same rule one layer down, where it lives: two tenants' services share one cache, and the
  // second is configured with the first's data store although its own upstream key may not read
  // it (a tenants-file mistake, or a grant revoked upstream). Evidence it did not get from its own
  // upstream read, even a real record of the first tenant's, never opens the cache.
  const clients: MedicalImagingClient[] = [];
  afterAll(() => {
    for (const client of clients) client.destroy();
  });

  function service(id: string, accessKeyId: string, secretAccessKey: string, cache: MetadataCache): ImagingService {
    const tenant: TenantConfig = {
      id,
      name: id,
      datastoreIds: [h.datastores.acme],
      upstream: {
        region: 'us-east-1',
        endpoint: h.hil.url,
        credentials: { type: 'static', accessKeyIdEnv: 'UNUSED_KEY', secretAccessKeyEnv: 'UNUSED_SECRET' },
        resolvedStaticCredentials: { accessKeyId, secretAccessKey },
        maxConcurrency: 4,
        connectionTimeoutMs: 1000,
        requestTimeoutMs: 2000,
        maxReadAttempts: 1,
      },
      apiKeys: [],
    };
    const client = createMedicalImagingClient(tenant.upstream);
    clients.push(client);
    return new ImagingService({ tenant, client, metadataCache: cache });
  }

  it('ImagingService: a tenant without its own evidence downloads, and upstream refuses it', async () => {
    const cache = new MetadataCache();
    const keys = h.hil.hil.admin.accessKeys;
    const acmeKey = keys.get(h.hilAccessKeys.acme)!;
    keys.add({ accessKeyId: 'AKIAINTRUDER00000001', secretAccessKey: 'intruder-secret', datastores: [] });
    const acme = service('acme', acmeKey.accessKeyId, acmeKey.secretAccessKey, cache);
    const intruder = service('intruder', 'AKIAINTRUDER00000001', 'intruder-secret', cache);
    const ds = h.datastores.acme;
    const [id] = await h.importStudy('acme', 'cache-intruder');

    const record = await acme.getImageSet(ds, id);
    const document = await acme.getImageSetMetadata(ds, id, record.versionId, record);
    expect(await acme.getImageSetMetadata(ds, id, record.versionId, record)).toBe(document);
    expect(cache.stats()).toMatchObject({ hits: 1, entries: 1 });

    // The SDK record itself is public knowledge in shape: forging one proves nothing either.
    const forged = { ...record };
    for (const evidence of [record, forged, undefined]) {
      await expect(intruder.getImageSetMetadata(ds, id, record.versionId, evidence)).rejects.toBeInstanceOf(
        GatewayError,
      );
    }
    await expect(intruder.getImageSet(ds, id)).rejects.toBeInstanceOf(GatewayError);
    expect(cache.stats().hits).toBe(1);
    // Upstream saw the intruder's three downloads and its read, and refused each.
    expect(h.hil.hil.admin.stats().accessKeys['AKIAINTRUDER00000001']).toEqual({
      GetImageSetMetadata: 3,
      GetImageSet: 1,
    });
  });
});
