import { smallCtStudy } from '../../scripts/synthetic-studies';
import { expectData, expectGraphQLError } from '../support/gateway-expect';
import { acmeTenant, startGatewayHarness, totalCalls, type GatewayHarness } from '../support/gateway-harness';

const SEARCH = `query ($ds: String!, $filter: ImageSetSearchFilter, $first: Int, $after: String) {
  imageSets(datastoreId: $ds, filter: $filter, first: $first, after: $after) {
    edges { cursor node { imageSetId } }
    pageInfo { hasNextPage endCursor }
  }
}`;

describe('gateway: browsing image sets', () => {
  let h: GatewayHarness;
  let acme: Record<string, string>;
  let allAcmeSets: string[];

  beforeAll(async () => {
    h = await startGatewayHarness();
    acme = h.as({ token: h.tokens.acme });
    allAcmeSets = [...h.imageSets.acme, ...(await h.importStudy('acme', 'browse'))].sort();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('tells the caller who they are', async () => {
    const data = expectData(
      await h.gql('{ viewer { tenantId tenantName subject scopes authMethod } }', undefined, acme),
    );
    expect(data.viewer).toEqual({
      tenantId: acmeTenant.id,
      tenantName: acmeTenant.name,
      subject: 'alice@acme.test',
      scopes: ['imagesets:read', 'imagesets:write', 'imagesets:delete', 'phi:read', 'audit:read'],
      authMethod: 'JWT',
    });
  });

  it('reports API-key callers with the key id as subject and the key scopes', async () => {
    const data = expectData(
      await h.gql('{ viewer { subject scopes authMethod } }', undefined, h.as({ apiKey: h.apiKeys.acmeReadOnly })),
    );
    expect(data.viewer).toEqual({ subject: 'acme-viewer', scopes: ['imagesets:read'], authMethod: 'API_KEY' });
  });

  it('lists only the data stores granted to the tenant', async () => {
    const data = expectData(await h.gql('{ datastores { id datastoreId name status } }', undefined, acme));
    expect(data.datastores).toEqual([
      { id: expect.any(String), datastoreId: h.datastores.acme, name: 'acme-store', status: 'ACTIVE' },
    ]);
  });

  it('searches a data store and returns the DICOM tags of each image set', async () => {
    const data = expectData(
      await h.gql(
        `query ($ds: String!, $accession: String!) {
          imageSets(datastoreId: $ds, filter: { accessionNumber: $accession }) {
            edges { node { imageSetId latestVersionId isPrimary dicomTags { patientId studyDescription seriesModality seriesNumber } } }
            pageInfo { hasNextPage }
          }
        }`,
        { ds: h.datastores.acme, accession: `${smallCtStudy.accessionNumber}base` },
        acme,
      ),
    );
    const nodes = data.imageSets.edges.map((edge: any) => edge.node);
    expect(nodes.map((node: any) => node.imageSetId).sort()).toEqual([...h.imageSets.acme].sort());
    expect(nodes.map((node: any) => node.dicomTags.seriesNumber).sort()).toEqual([1, 2]);
    for (const node of nodes) {
      expect(node).toMatchObject({
        latestVersionId: '1',
        isPrimary: true,
        dicomTags: {
          patientId: smallCtStudy.patient.id,
          studyDescription: smallCtStudy.studyDescription,
          seriesModality: 'CT',
        },
      });
    }
    expect(data.imageSets.pageInfo.hasNextPage).toBe(false);
  });

  it('keeps the rest of a search page when one image set cannot be read', async () => {
    h.hil.hil.admin.faults.set({ operation: 'GetImageSet', mode: 'error', count: 1 });
    const res = await h.gql(
      `query ($ds: String!, $accession: String!) {
        imageSets(datastoreId: $ds, filter: { accessionNumber: $accession }) {
          edges { node { imageSetId state forced latestVersion { state forced } } }
        }
      }`,
      { ds: h.datastores.acme, accession: `${smallCtStudy.accessionNumber}base` },
      acme,
    );
    h.hil.hil.admin.faults.clear();
    const nodes = res.data!.imageSets.edges.map((edge: any) => edge.node);
    expect(nodes.map((node: any) => node.imageSetId).sort()).toEqual([...h.imageSets.acme].sort());
    const unread = nodes.filter((node: any) => node.state === null);
    const read = nodes.filter((node: any) => node.state !== null);
    expect(read).toEqual([
      expect.objectContaining({ state: 'ACTIVE', forced: false, latestVersion: { state: 'ACTIVE', forced: false } }),
    ]);
    expect(unread).toEqual([expect.objectContaining({ state: null, forced: null })]);
    expect(new Set(res.errors!.map((error) => error.extensions!.code))).toEqual(new Set(['UPSTREAM_UNAVAILABLE']));
  });

  it('pages through a search one image set at a time, visiting each exactly once', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page += 1) {
      const data: any = expectData(await h.gql(SEARCH, { ds: h.datastores.acme, first: 1, after }, acme));
      seen.push(...data.imageSets.edges.map((edge: any) => edge.node.imageSetId));
      if (!data.imageSets.pageInfo.hasNextPage) break;
      after = data.imageSets.pageInfo.endCursor;
    }
    expect([...seen].sort()).toEqual(allAcmeSets);
  });

  it('resumes after any edge of a page, not only after the last one', async () => {
    const whole = expectData(await h.gql(SEARCH, { ds: h.datastores.acme, first: 4 }, acme)).imageSets.edges;
    const ids = whole.map((edge: any) => edge.node.imageSetId);
    const resumed = expectData(await h.gql(SEARCH, { ds: h.datastores.acme, first: 2, after: whole[0].cursor }, acme));
    expect(resumed.imageSets.edges.map((edge: any) => edge.node.imageSetId)).toEqual(ids.slice(1, 3));
  });

  it('refuses a cursor from a different search', async () => {
    const page = expectData(await h.gql(SEARCH, { ds: h.datastores.acme, first: 1 }, acme));
    const res = await h.gql(
      SEARCH,
      { ds: h.datastores.acme, first: 1, after: page.imageSets.pageInfo.endCursor, filter: { isPrimary: true } },
      acme,
    );
    expectGraphQLError(res, 'BAD_USER_INPUT');
  });

  it('refuses a tampered cursor', async () => {
    const page = expectData(await h.gql(SEARCH, { ds: h.datastores.acme, first: 1 }, acme));
    const cursor: string = page.imageSets.pageInfo.endCursor;
    const tampered = `${cursor.slice(0, 5)}${cursor[5] === 'A' ? 'B' : 'A'}${cursor.slice(6)}`;
    expectGraphQLError(await h.gql(SEARCH, { ds: h.datastores.acme, after: tampered }, acme), 'BAD_USER_INPUT');
  });

  it.each([
    ['three criteria', { patientId: 'P1', studyId: 'S1', isPrimary: true }, /at most 2 search criteria/],
    ['a non-UID study instance UID', { studyInstanceUid: '1.2.abc' }, /studyInstanceUid must be a DICOM UID/],
    [
      'an impossible study date',
      { studyDate: { from: '20240230', to: '20240301' } },
      /studyDate\.from must be a calendar date/,
    ],
    [
      'a reversed date range',
      { updatedAt: { from: '2024-02-01T00:00:00Z', to: '2024-01-01T00:00:00Z' } },
      /must not be after/,
    ],
    ['an empty patient id', { patientId: '' }, /patientId must be 1 to 512 characters/],
  ])('refuses a search with %s before calling HealthImaging', async (_label, filter, message) => {
    h.resetUpstreamCalls();
    const error = expectGraphQLError(await h.gql(SEARCH, { ds: h.datastores.acme, filter }, acme), 'BAD_USER_INPUT');
    expect(error.message).toMatch(message);
    expect(totalCalls(h.upstreamCalls('acme'))).toBe(0);
  });

  it('refuses page sizes outside 1 to 50', async () => {
    for (const first of [0, 51]) {
      const error = expectGraphQLError(await h.gql(SEARCH, { ds: h.datastores.acme, first }, acme), 'BAD_USER_INPUT');
      expect(error.message).toMatch(/first must be from 1 to 50/);
    }
  });

  it('reads an image set with its state, versions and data store', async () => {
    const [imageSetId] = h.imageSets.acme;
    const data = expectData(
      await h.gql(
        `query ($ds: String!, $id: String!) {
          imageSet(datastoreId: $ds, imageSetId: $id) {
            imageSetId datastoreId arn state workflowStatus latestVersionId isPrimary createdAt updatedAt deletedAt message forced
            datastore { datastoreId }
            latestVersion { versionId state }
          }
        }`,
        { ds: h.datastores.acme, id: imageSetId },
        acme,
      ),
    );
    expect(data.imageSet).toMatchObject({
      imageSetId,
      datastoreId: h.datastores.acme,
      arn: expect.stringContaining(imageSetId),
      state: 'ACTIVE',
      latestVersionId: '1',
      isPrimary: true,
      createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      deletedAt: null,
      message: null,
      forced: false,
      datastore: { datastoreId: h.datastores.acme },
      latestVersion: { versionId: '1', state: 'ACTIVE' },
    });
    expect(['IMPORTED', 'CREATED']).toContain(data.imageSet.workflowStatus);
  });

  it('fetches every kind of node again by its global id', async () => {
    const [imageSetId] = h.imageSets.acme;
    const ids = expectData(
      await h.gql(
        `query ($ds: String!, $id: String!) {
          datastore(datastoreId: $ds) { id }
          imageSet(datastoreId: $ds, imageSetId: $id) { id latestVersion { id } }
        }`,
        { ds: h.datastores.acme, id: imageSetId },
        acme,
      ),
    );
    const NODE = `query ($id: ID!) {
      node(id: $id) {
        __typename id
        ... on Datastore { datastoreId }
        ... on ImageSet { imageSetId }
        ... on ImageSetVersion { imageSetId versionId }
      }
    }`;
    const datastore = expectData(await h.gql(NODE, { id: ids.datastore.id }, acme)).node;
    expect(datastore).toEqual({ __typename: 'Datastore', id: ids.datastore.id, datastoreId: h.datastores.acme });
    const imageSet = expectData(await h.gql(NODE, { id: ids.imageSet.id }, acme)).node;
    expect(imageSet).toEqual({ __typename: 'ImageSet', id: ids.imageSet.id, imageSetId });
    const version = expectData(await h.gql(NODE, { id: ids.imageSet.latestVersion.id }, acme)).node;
    expect(version).toEqual({
      __typename: 'ImageSetVersion',
      id: ids.imageSet.latestVersion.id,
      imageSetId,
      versionId: '1',
    });
  });

  it('answers NOT_FOUND for a made-up global id and a missing image set', async () => {
    expectGraphQLError(
      await h.gql('{ node(id: "bm90LWFuLWlk.AAAAAAAAAAAAAAAAAAAAAA") { id } }', undefined, acme),
      'NOT_FOUND',
    );
    const missing = await h.gql(
      'query ($ds: String!) { imageSet(datastoreId: $ds, imageSetId: "0123456789abcdef0123456789abcdef") { state } }',
      { ds: h.datastores.acme },
      acme,
    );
    expectGraphQLError(missing, 'NOT_FOUND');
    expect(missing.data).toEqual({ imageSet: null });
  });
});
