import { expectData, expectGraphQLError, waitUntilUnlocked } from '../support/gateway-expect';
import { startGatewayHarness, type GatewayHarness } from '../support/gateway-harness';

/**
 * The per-request loaders must turn any number of paths to the same resource into one upstream
 * call: counted by HealthImaging Local per access key, so the numbers are what the service sees.
 */
describe('gateway: upstream calls per request', () => {
  let h: GatewayHarness;
  let acme: Record<string, string>;
  let imageSetId: string;
  let nodeId: string;
  let seriesInstanceUid: string;

  beforeAll(async () => {
    h = await startGatewayHarness();
    acme = h.as({ token: h.tokens.acme });
    [imageSetId] = h.imageSets.acme;
    const data = expectData(
      await h.gql(
        `query ($ds: String!, $id: String!) {
          imageSet(datastoreId: $ds, imageSetId: $id) { id metadata { study { series { seriesInstanceUid } } } }
        }`,
        { ds: h.datastores.acme, id: imageSetId },
        acme,
      ),
    );
    nodeId = data.imageSet.id;
    seriesInstanceUid = data.imageSet.metadata.study.series[0].seriesInstanceUid;
  });
  afterAll(async () => {
    await h?.close();
  });

  it('makes one call per distinct resource however many aliases and paths reach it', async () => {
    h.resetUpstreamCalls();
    const data = expectData(
      await h.gql(
        `query ($ds: String!, $id: String!, $node: ID!, $series: String!) {
          a: imageSet(datastoreId: $ds, imageSetId: $id) { state latestVersionId datastore { name } }
          b: imageSet(datastoreId: $ds, imageSetId: $id) {
            workflowStatus arn
            latestVersion { state forced }
            metadata { patient { patientId } study { studyId } }
          }
          c: node(id: $node) { ... on ImageSet { state isPrimary metadata { study { series { instanceCount } } } } }
          search: imageSets(datastoreId: $ds, filter: { seriesInstanceUid: $series }) {
            edges { node { imageSetId state createdAt latestVersion { state workflowStatus } metadata { patient { sex } } datastore { status } } }
          }
          datastore(datastoreId: $ds) { name }
          again: datastore(datastoreId: $ds) { status }
        }`,
        { ds: h.datastores.acme, id: imageSetId, node: nodeId, series: seriesInstanceUid },
        acme,
      ),
    );
    expect(data.search.edges.map((edge: any) => edge.node.imageSetId)).toEqual([imageSetId]);
    expect(data.a.state).toBe('ACTIVE');
    // The version's document itself comes from the replica's cache (beforeAll read it); the one
    // GetImageSet every path shares is what vouches for it.
    expect(h.upstreamCalls('acme')).toEqual({
      GetImageSet: 1,
      SearchImageSets: 1,
      GetDatastore: 1,
    });
  });

  it('fetches nothing upstream for fields a search result already carries', async () => {
    h.resetUpstreamCalls();
    expectData(
      await h.gql(
        `query ($ds: String!) {
          imageSets(datastoreId: $ds, first: 50) {
            edges { node { id imageSetId datastoreId latestVersionId createdAt updatedAt isPrimary dicomTags { patientId seriesModality } latestVersion { versionId } metadata { versionId } } }
          }
        }`,
        { ds: h.datastores.acme },
        acme,
      ),
    );
    expect(h.upstreamCalls('acme')).toEqual({ SearchImageSets: 1 });
  });

  it('shares one versions page between aliases, and one GetImageSet between the latest version and lookups of it by number', async () => {
    h.resetUpstreamCalls();
    expectData(
      await h.gql(
        `query ($ds: String!, $id: String!) {
          one: imageSet(datastoreId: $ds, imageSetId: $id) { versions(first: 10) { edges { node { versionId state } } } }
          two: imageSet(datastoreId: $ds, imageSetId: $id) { versions(first: 10) { edges { node { workflowStatus } } } }
          v1: imageSetVersion(datastoreId: $ds, imageSetId: $id, versionId: "1") { state }
          again: imageSetVersion(datastoreId: $ds, imageSetId: $id, versionId: "1") { workflowStatus }
          three: imageSet(datastoreId: $ds, imageSetId: $id) { state version(versionId: "1") { forced } latestVersion { isPrimary } }
        }`,
        { ds: h.datastores.acme, id: imageSetId },
        acme,
      ),
    );
    // Version 1 is the latest of this freshly imported image set: the latest-version GetImageSet
    // the imageSet roots share also answers every lookup of version 1 by number.
    expect(h.upstreamCalls('acme')).toEqual({ GetImageSet: 1, ListImageSetVersions: 1 });
  });

  it('asks for an older version by number separately from the latest', async () => {
    const [updated] = await h.importStudy('acme', 'calls-older');
    expectData(
      await h.gql(
        `mutation ($input: UpdateImageSetMetadataInput!) { updateImageSetMetadata(input: $input) { version { versionId } } }`,
        {
          input: {
            datastoreId: h.datastores.acme,
            imageSetId: updated,
            latestVersionId: '1',
            updates: { study: { StudyDescription: 'CALLS' } },
          },
        },
        acme,
      ),
    );
    await waitUntilUnlocked(h, acme, h.datastores.acme, updated);
    h.resetUpstreamCalls();
    const data = expectData(
      await h.gql(
        `query ($ds: String!, $id: String!) {
          imageSet(datastoreId: $ds, imageSetId: $id) { latestVersionId latestVersion { workflowStatus } version(versionId: "1") { workflowStatus } }
          latest: imageSetVersion(datastoreId: $ds, imageSetId: $id, versionId: "2") { state }
        }`,
        { ds: h.datastores.acme, id: updated },
        acme,
      ),
    );
    expect(data.imageSet).toEqual({
      latestVersionId: '2',
      latestVersion: { workflowStatus: 'UPDATED' },
      version: { workflowStatus: 'IMPORTED' },
    });
    expect(h.upstreamCalls('acme')).toEqual({ GetImageSet: 2 });
  });
  it('asks for the first page of versions while GetImageSet is still on its way, once', async () => {
    h.resetUpstreamCalls();
    // GetImageSet (needed for the ARN) is held upstream; ListImageSetVersions needs only the ids
    // the query already has.
    h.hil.hil.admin.faults.set({ operation: 'GetImageSet', mode: 'latency', latencyMs: 1500, count: 1 });
    let settled = false;
    const pending = h
      .gql(
        `query ($ds: String!, $id: String!) {
          imageSet(datastoreId: $ds, imageSetId: $id) { state arn versions(first: 2) { edges { node { versionId } } } more: versions(first: 2) { pageInfo { hasNextPage } } }
        }`,
        { ds: h.datastores.acme, id: imageSetId },
        acme,
      )
      .finally(() => {
        settled = true;
      });
    const deadline = Date.now() + 1400;
    while ((h.upstreamCalls('acme').ListImageSetVersions ?? 0) === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(h.upstreamCalls('acme').ListImageSetVersions).toBe(1);
    expect(settled).toBe(false);
    const data = expectData(await pending);
    expect(data.imageSet.versions.edges.length).toBeGreaterThan(0);
    expect(h.upstreamCalls('acme')).toEqual({ GetImageSet: 1, ListImageSetVersions: 1 });
  });
  const latestFacts =
    'imageSetId latestVersionId state workflowStatus isPrimary createdAt updatedAt deletedAt message forced';

  it("answers the latest version's facts and its versions with one ListImageSetVersions call", async () => {
    const [fresh] = await h.importStudy('acme', 'calls-planner');
    const variables = { ds: h.datastores.acme, id: fresh };
    // The same facts through GetImageSet (the ARN needs it), for comparison.
    const viaGetImageSet = expectData(
      await h.gql(
        `query ($ds: String!, $id: String!) { imageSet(datastoreId: $ds, imageSetId: $id) { arn ${latestFacts} } }`,
        variables,
        acme,
      ),
    ).imageSet;
    h.resetUpstreamCalls();
    const data = expectData(
      await h.gql(
        `query ($ds: String!, $id: String!) {
          imageSet(datastoreId: $ds, imageSetId: $id) {
            id __typename ${latestFacts}
            latestVersion { versionId state workflowStatus }
            versions(first: 10) { edges { node { versionId state workflowStatus createdAt updatedAt message } } pageInfo { hasNextPage } }
          }
        }`,
        variables,
        acme,
      ),
    );
    expect(h.upstreamCalls('acme')).toEqual({ ListImageSetVersions: 1 });
    const { arn, ...facts } = viaGetImageSet;
    expect(arn).toMatch(/^arn:aws:medical-imaging:/);
    expect(data.imageSet).toMatchObject(facts);
    expect(data.imageSet.latestVersion).toEqual({ versionId: '1', state: 'ACTIVE', workflowStatus: 'IMPORTED' });
  });

  it('calls GetImageSet as well when a fragment selects the ARN, which only GetImageSet carries', async () => {
    h.resetUpstreamCalls();
    const data = expectData(
      await h.gql(
        `fragment Header on ImageSet { state arn }
        query ($ds: String!, $id: String!) {
          imageSet(datastoreId: $ds, imageSetId: $id) { ...Header versions(first: 10) { edges { node { versionId } } } }
        }`,
        { ds: h.datastores.acme, id: imageSetId },
        acme,
      ),
    );
    expect(data.imageSet.arn).toMatch(/^arn:aws:medical-imaging:/);
    expect(h.upstreamCalls('acme')).toEqual({ GetImageSet: 1, ListImageSetVersions: 1 });
  });

  it('plans from the fields that will run: a skipped ARN costs no GetImageSet', async () => {
    h.resetUpstreamCalls();
    const data = expectData(
      await h.gql(
        `query ($ds: String!, $id: String!, $withArn: Boolean!) {
          imageSet(datastoreId: $ds, imageSetId: $id) { state arn @include(if: $withArn) versions(first: 1) { edges { node { versionId } } } }
        }`,
        { ds: h.datastores.acme, id: imageSetId, withArn: false },
        acme,
      ),
    );
    expect(data.imageSet).toEqual({ state: 'ACTIVE', versions: { edges: [{ node: { versionId: '1' } }] } });
    expect(h.upstreamCalls('acme')).toEqual({ ListImageSetVersions: 1 });
  });

  it('answers NOT_FOUND for an image set that does not exist, from the versions page as from GetImageSet', async () => {
    h.resetUpstreamCalls();
    const response = await h.gql(
      `query ($ds: String!) { imageSet(datastoreId: $ds, imageSetId: "${'0'.repeat(32)}") { state versions(first: 1) { edges { node { versionId } } } } }`,
      { ds: h.datastores.acme },
      acme,
    );
    expectGraphQLError(response, 'NOT_FOUND');
    expect(response.data?.imageSet).toBeNull();
    expect(h.upstreamCalls('acme')).toEqual({ ListImageSetVersions: 1 });
  });
});
