import type { GatewayHarness, GqlResponse } from './gateway-harness';
import { pollUntil } from './hil-wait';
import { present } from './present';

/** Asserts that a response failed with exactly one error of `code` and returns that error. */
export function expectGraphQLError(response: GqlResponse, code: string): NonNullable<GqlResponse['errors']>[number] {
  const errors = response.errors ?? [];
  const codes = errors.map((error) => error.extensions?.code);
  const [only] = errors;
  if (only === undefined || codes.length !== 1 || codes[0] !== code) {
    throw new Error(`expected one ${code} error, got ${JSON.stringify(codes)} (status ${response.status})`);
  }
  return only;
}

/** The first error of a response that must have failed. */
export function firstError(response: GqlResponse): NonNullable<GqlResponse['errors']>[number] {
  return present(response.errors?.[0], `an error in the response (status ${response.status})`);
}

/** Asserts that a response has no errors and returns its data. */
export function expectData<TData = Record<string, any>>(response: GqlResponse<TData>): TData {
  if (response.errors !== undefined) {
    throw new Error(
      `expected no errors, got ${JSON.stringify(response.errors.map((e) => [e.extensions?.code, e.message]))}`,
    );
  }
  return response.data as TData;
}

/** Polls the gateway until the image set is no longer LOCKED; returns its state and latest version. */
export async function waitUntilUnlocked(
  h: GatewayHarness,
  headers: Record<string, string>,
  datastoreId: string,
  imageSetId: string,
): Promise<{ state: string; workflowStatus: string | null; latestVersionId: string }> {
  return pollUntil(`image set ${imageSetId} to leave LOCKED`, async () => {
    const res = await h.gql(
      'query ($ds: String!, $id: String!) { imageSet(datastoreId: $ds, imageSetId: $id) { state workflowStatus latestVersionId } }',
      { ds: datastoreId, id: imageSetId },
      headers,
    );
    const imageSet = expectData(res).imageSet;
    return imageSet.state === 'LOCKED' ? undefined : imageSet;
  });
}
