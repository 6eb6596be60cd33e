import { expectData, expectGraphQLError } from '../support/gateway-expect';
import { startGatewayHarness, type GatewayHarness } from '../support/gateway-harness';

/** The replica-wide bound on metadata held by requests in flight, over HTTP. */
describe('security: metadata held by requests in flight is bounded', () => {
  let h: GatewayHarness;
  const QUERY =
    'query ($ds: String!, $id: String!) { imageSet(datastoreId: $ds, imageSetId: $id) { metadata { study { studyInstanceUid } } } }';

  beforeAll(async () => {
    h = await startGatewayHarness({ env: { MAX_METADATA_BYTES_IN_FLIGHT: '1024' } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('answers THROTTLED for a document larger than the whole budget, and keeps serving other reads', async () => {
    const acme = h.as({ token: h.tokens.acme });
    const res = await h.gql(QUERY, { ds: h.datastores.acme, id: h.imageSets.acme[0] }, acme);
    expect(expectGraphQLError(res, 'THROTTLED').extensions).toMatchObject({ retryAfterSeconds: 1 });
    expect(expectData(await h.gql('{ viewer { tenantId } }', undefined, acme)).viewer.tenantId).toBe('acme');
  });
});

describe('security: the metadata budget is given back when requests end', () => {
  let h: GatewayHarness;

  beforeAll(async () => {
    // Room for one small document at a time: twenty requests fit only if each gives its share back.
    h = await startGatewayHarness({ env: { MAX_METADATA_BYTES_IN_FLIGHT: String(24 * 1024) } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('serves many requests one after another within a budget that holds only a few documents', async () => {
    const acme = h.as({ token: h.tokens.acme });
    for (let round = 0; round < 20; round += 1) {
      const res = await h.gql(
        'query ($ds: String!, $id: String!) { imageSet(datastoreId: $ds, imageSetId: $id) { metadata { study { studyInstanceUid } } } }',
        { ds: h.datastores.acme, id: h.imageSets.acme[round % h.imageSets.acme.length] },
        acme,
      );
      expect(expectData(res).imageSet.metadata.study.studyInstanceUid).toMatch(/^[0-9.]+$/);
    }
  });
});
