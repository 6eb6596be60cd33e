import { expectData, expectGraphQLError } from '../support/gateway-expect';
import { startGatewayHarness, totalCalls, type GatewayHarness } from '../support/gateway-harness';

/**
 * Acme's callers aim every query and mutation at Globex's data store and image sets. Each attempt
 * must look exactly like a missing resource (NOT_FOUND) and must not reach HealthImaging at all:
 * the grant check runs before any upstream call, so neither tenant's key signs a single request.
 */
describe('gateway: tenant isolation', () => {
  let h: GatewayHarness;
  let acme: Record<string, string>;
  let foreignStore: string;
  let foreignSet: string;
  let foreignIds: { datastore: string; imageSet: string; version: string };
  let foreignCursor: string;

  beforeAll(async () => {
    h = await startGatewayHarness();
    acme = h.as({ token: h.tokens.acme });
    foreignStore = h.datastores.globex;
    [foreignSet] = h.imageSets.globex;
    const globex = expectData(
      await h.gql(
        `query ($ds: String!, $id: String!) {
          datastore(datastoreId: $ds) { id }
          imageSet(datastoreId: $ds, imageSetId: $id) { id latestVersion { id } }
          imageSets(datastoreId: $ds, first: 1) { pageInfo { endCursor } }
        }`,
        { ds: foreignStore, id: foreignSet },
        h.as({ token: h.tokens.globex }),
      ),
    );
    foreignIds = {
      datastore: globex.datastore.id,
      imageSet: globex.imageSet.id,
      version: globex.imageSet.latestVersion.id,
    };
    foreignCursor = globex.imageSets.pageInfo.endCursor;
  });
  afterAll(async () => {
    await h?.close();
  });

  const attempts: Array<[string, string, () => Record<string, unknown>]> = [
    ['datastore', 'query ($ds: String!) { datastore(datastoreId: $ds) { name } }', () => ({ ds: foreignStore })],
    [
      'imageSets',
      'query ($ds: String!) { imageSets(datastoreId: $ds) { edges { node { imageSetId } } } }',
      () => ({ ds: foreignStore }),
    ],
    [
      'imageSet',
      'query ($ds: String!, $id: String!) { imageSet(datastoreId: $ds, imageSetId: $id) { imageSetId } }',
      () => ({ ds: foreignStore, id: foreignSet }),
    ],
    [
      'imageSet metadata',
      'query ($ds: String!, $id: String!) { imageSet(datastoreId: $ds, imageSetId: $id) { metadata(versionId: "1") { patient { patientId } } } }',
      () => ({ ds: foreignStore, id: foreignSet }),
    ],
    [
      'imageSetVersion',
      'query ($ds: String!, $id: String!) { imageSetVersion(datastoreId: $ds, imageSetId: $id, versionId: "1") { state } }',
      () => ({ ds: foreignStore, id: foreignSet }),
    ],
    ['node (data store id)', 'query ($id: ID!) { node(id: $id) { id } }', () => ({ id: foreignIds.datastore })],
    ['node (image set id)', 'query ($id: ID!) { node(id: $id) { id } }', () => ({ id: foreignIds.imageSet })],
    ['node (version id)', 'query ($id: ID!) { node(id: $id) { id } }', () => ({ id: foreignIds.version })],
    [
      'copyImageSet',
      'mutation ($input: CopyImageSetInput!) { copyImageSet(input: $input) { destinationImageSet { imageSetId } } }',
      () => ({ input: { datastoreId: foreignStore, sourceImageSetId: foreignSet, sourceLatestVersionId: '1' } }),
    ],
    [
      'copyImageSet of a whole series (which reads the source first)',
      'mutation ($input: CopyImageSetInput!) { copyImageSet(input: $input) { destinationImageSet { imageSetId } } }',
      () => ({
        input: {
          datastoreId: foreignStore,
          sourceImageSetId: foreignSet,
          sourceLatestVersionId: '1',
          subset: { series: [{ seriesInstanceUid: '1.2.3' }] },
        },
      }),
    ],
    [
      'updateImageSetMetadata',
      'mutation ($input: UpdateImageSetMetadataInput!) { updateImageSetMetadata(input: $input) { version { versionId } } }',
      () => ({
        input: {
          datastoreId: foreignStore,
          imageSetId: foreignSet,
          latestVersionId: '1',
          updates: { study: { StudyDescription: 'X' } },
        },
      }),
    ],
    [
      'revertImageSet',
      'mutation ($input: RevertImageSetInput!) { revertImageSet(input: $input) { version { versionId } } }',
      () => ({ input: { datastoreId: foreignStore, imageSetId: foreignSet, latestVersionId: '2', toVersionId: '1' } }),
    ],
    [
      'deleteImageSet',
      'mutation ($input: DeleteImageSetInput!) { deleteImageSet(input: $input) { imageSet { imageSetId } } }',
      () => ({ input: { datastoreId: foreignStore, imageSetId: foreignSet } }),
    ],
  ];

  describe('every query and mutation', () => {
    beforeEach(() => h.resetUpstreamCalls());
    afterEach(() => {
      expect(totalCalls(h.upstreamCalls('acme'))).toBe(0);
      expect(totalCalls(h.upstreamCalls('globex'))).toBe(0);
    });

    it.each(attempts)(
      'answers NOT_FOUND for %s aimed at the other tenant, without an upstream call',
      async (_name, query, variables) => {
        const res = await h.gql(query, variables(), acme);
        const error = expectGraphQLError(res, 'NOT_FOUND');
        expect(error.message).not.toContain(foreignStore);
      },
    );

    it('answers a foreign data store exactly like an unknown one', async () => {
      const missing = await h.gql(
        '{ datastore(datastoreId: "00000000000000000000000000000000") { name } }',
        undefined,
        acme,
      );
      const foreign = await h.gql(
        'query ($ds: String!) { datastore(datastoreId: $ds) { name } }',
        { ds: foreignStore },
        acme,
      );
      expect(foreign.errors!.map((e) => [e.message, e.extensions])).toEqual(
        missing.errors!.map((e) => [e.message, e.extensions]),
      );
    });

    it('answers NOT_FOUND for a search of the other tenant with its own cursor', async () => {
      const res = await h.gql(
        'query ($ds: String!, $after: String) { imageSets(datastoreId: $ds, after: $after) { edges { cursor } } }',
        { ds: foreignStore, after: foreignCursor },
        acme,
      );
      expectGraphQLError(res, 'NOT_FOUND');
    });

    it('refuses the other tenant cursor on its own data store', async () => {
      const res = await h.gql(
        'query ($ds: String!, $after: String) { imageSets(datastoreId: $ds, after: $after) { edges { cursor } } }',
        { ds: h.datastores.acme, after: foreignCursor },
        acme,
      );
      expectGraphQLError(res, 'BAD_USER_INPUT');
    });
  });

  it("leaves the other tenant's image set untouched", async () => {
    const data = expectData(
      await h.gql(
        'query ($ds: String!, $id: String!) { imageSet(datastoreId: $ds, imageSetId: $id) { state latestVersionId } }',
        { ds: foreignStore, id: foreignSet },
        h.as({ token: h.tokens.globex }),
      ),
    );
    expect(data.imageSet).toEqual({ state: 'ACTIVE', latestVersionId: '1' });
  });
});
