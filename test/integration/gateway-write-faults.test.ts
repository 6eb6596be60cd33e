import { expectData, expectGraphQLError, waitUntilUnlocked } from '../support/gateway-expect';
import { startGatewayHarness, type GatewayHarness } from '../support/gateway-harness';
import { atLeast } from '../support/present';

const COPY = `mutation ($input: CopyImageSetInput!) {
  copyImageSet(input: $input) { destinationImageSet { imageSetId latestVersionId } }
}`;
const UPDATE = `mutation ($input: UpdateImageSetMetadataInput!) {
  updateImageSetMetadata(input: $input) { imageSet { latestVersionId } }
}`;
const DELETE = `mutation ($input: DeleteImageSetInput!) { deleteImageSet(input: $input) { imageSet { imageSetId } } }`;
const AMBIGUOUS = /may or may not have been applied/;

/**
 * Writes are not idempotent upstream, so after a failure that does not prove the write was left
 * undone (a 500, a hung connection) the gateway must never send it again: it reads what happened
 * and, when that proves nothing, says so. Faults are injected inside HealthImaging Local; the calls
 * are counted there, per tenant key.
 */
describe('gateway: writes under upstream faults', () => {
  let h: GatewayHarness;
  let acme: Record<string, string>;
  let ds: string;
  let source: string;
  let destination: string;

  beforeAll(async () => {
    // Short timeouts: a hung call fails within a second instead of ten.
    h = await startGatewayHarness({ upstream: { connectionTimeoutMs: 500, requestTimeoutMs: 300 } });
    acme = h.as({ token: h.tokens.acme });
    ds = h.datastores.acme;
    [source, destination] = atLeast(await h.importStudy('acme', 'faults'), 2, 'image sets');
  });
  afterAll(async () => {
    await h?.close();
  });
  beforeEach(() => {
    h.hil.hil.admin.faults.clear();
    h.resetUpstreamCalls();
  });

  const latestOf = async (imageSetId: string): Promise<string> =>
    (await waitUntilUnlocked(h, acme, ds, imageSetId)).latestVersionId;

  it('sends a copy that failed with a 500 once, and says it may or may not have happened', async () => {
    h.hil.hil.admin.faults.set({ operation: 'CopyImageSet', mode: 'error' });
    const res = await h.gql(
      COPY,
      { input: { datastoreId: ds, sourceImageSetId: source, sourceLatestVersionId: '1' } },
      acme,
    );
    expect(expectGraphQLError(res, 'UPSTREAM_UNAVAILABLE').message).toMatch(AMBIGUOUS);
    expect(h.upstreamCalls('acme').CopyImageSet).toBe(1);
  });

  it('never answers a failed copy with the destination of an earlier copy of the same series', async () => {
    const [copied] = await h.importStudy('acme', 'faults-twice');
    const input = { datastoreId: ds, sourceImageSetId: copied, sourceLatestVersionId: '1' };
    const first = expectData(await h.gql(COPY, { input }, acme)).copyImageSet;
    await latestOf(copied);
    await latestOf(first.destinationImageSet.imageSetId);
    // Seconds later, within the clock-skew window, the same copy fails before being applied.
    h.hil.hil.admin.faults.set({ operation: 'CopyImageSet', mode: 'error' });
    const second = await h.gql(COPY, { input }, acme);
    expect(expectGraphQLError(second, 'UPSTREAM_UNAVAILABLE').message).toMatch(AMBIGUOUS);
    expect(second.data).toEqual({ copyImageSet: null });
    expect(h.upstreamCalls('acme').SearchImageSets).toBe(1);
  });

  it('sends a copy whose connection hung once, and reconciles by reading instead of resending', async () => {
    h.hil.hil.admin.faults.set({ operation: 'CopyImageSet', mode: 'hang' });
    const res = await h.gql(
      COPY,
      {
        input: {
          datastoreId: ds,
          sourceImageSetId: source,
          sourceLatestVersionId: '1',
          destination: { imageSetId: destination, latestVersionId: '1' },
          force: true,
        },
      },
      acme,
    );
    expect(expectGraphQLError(res, 'UPSTREAM_UNAVAILABLE').message).toMatch(AMBIGUOUS);
    const calls = h.upstreamCalls('acme');
    expect(calls.CopyImageSet).toBe(1);
    expect(calls.GetImageSet).toBeGreaterThan(0);
    h.hil.hil.admin.faults.clear();
    expect(await latestOf(destination)).toBe('1');
  });

  it('sends an update that failed with a 500 once and leaves the version where it was', async () => {
    h.hil.hil.admin.faults.set({ operation: 'UpdateImageSetMetadata', mode: 'error' });
    const res = await h.gql(
      UPDATE,
      {
        input: {
          datastoreId: ds,
          imageSetId: source,
          latestVersionId: '1',
          updates: { study: { StudyDescription: 'NEVER TWICE' } },
        },
      },
      acme,
    );
    expect(expectGraphQLError(res, 'UPSTREAM_UNAVAILABLE').message).toMatch(AMBIGUOUS);
    expect(h.upstreamCalls('acme').UpdateImageSetMetadata).toBe(1);
    h.hil.hil.admin.faults.clear();
    expect(await latestOf(source)).toBe('1');
  });

  it('resends an update that was throttled, which proves it was not applied', async () => {
    h.hil.hil.admin.faults.set({ operation: 'UpdateImageSetMetadata', mode: 'throttle', count: 1 });
    const data = expectData(
      await h.gql(
        UPDATE,
        {
          input: {
            datastoreId: ds,
            imageSetId: source,
            latestVersionId: '1',
            updates: { study: { StudyDescription: 'AFTER A 429' } },
          },
        },
        acme,
      ),
    );
    expect(data.updateImageSetMetadata.imageSet.latestVersionId).toBe('2');
    expect(h.upstreamCalls('acme').UpdateImageSetMetadata).toBe(2);
    await latestOf(source);
  });

  it('sends a delete that failed with a 500 once', async () => {
    h.hil.hil.admin.faults.set({ operation: 'DeleteImageSet', mode: 'error' });
    const res = await h.gql(DELETE, { input: { datastoreId: ds, imageSetId: destination } }, acme);
    expect(expectGraphQLError(res, 'UPSTREAM_UNAVAILABLE').message).toMatch(AMBIGUOUS);
    expect(h.upstreamCalls('acme').DeleteImageSet).toBe(1);
  });
});
