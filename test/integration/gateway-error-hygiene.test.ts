import { expectGraphQLError } from '../support/gateway-expect';
import { startGatewayHarness, type GatewayHarness } from '../support/gateway-harness';

/**
 * Patient data a client sends (in variables, in the document, in a URL) or HealthImaging holds
 * must not come back in an error nor reach a log line, and neither may an upstream message or a
 * stack trace. Every request here carries the same made-up patient name; the responses and the
 * gateway's own log lines are searched for it.
 */
const PATIENT = 'Mustermann^Erika';
const STACK_FRAME = /\n\s+at |\.ts:\d+:\d+\)/;

describe('gateway: no patient data, upstream message or stack trace in errors and logs', () => {
  let h: GatewayHarness;
  let acme: Record<string, string>;
  let ds: string;
  let imageSetId: string;

  beforeAll(async () => {
    h = await startGatewayHarness();
    acme = h.as({ token: h.tokens.acme });
    ds = h.datastores.acme;
    [imageSetId] = h.imageSets.acme;
  });
  afterAll(async () => {
    await h?.close();
  });

  const search = (variableType: string, argument: string) =>
    `query ($v: ${variableType}) { imageSets(datastoreId: "${'a'.repeat(32)}", ${argument}: $v) { pageInfo { hasNextPage } } }`;

  it.each([
    [
      'an Int',
      search('Int', 'first'),
      PATIENT,
      'Variable "$v" has an invalid value: Int cannot represent the given value.',
    ],
    [
      'a String inside an input object',
      search('ImageSetSearchFilter', 'filter'),
      { patientId: [PATIENT, 1] },
      'Variable "$v" has an invalid value at "v.patientId": String cannot represent the given value.',
    ],
    [
      'a DateTime',
      search('ImageSetSearchFilter', 'filter'),
      { updatedAt: { from: PATIENT, to: '2024-01-01T00:00:00Z' } },
      'Variable "$v" has an invalid value at "v.updatedAt.from": the value does not match its type.',
    ],
    [
      'an enum',
      search('ImageSetSort', 'sort'),
      { field: PATIENT, order: 'ASC' },
      'Variable "$v" has an invalid value at "v.field": The value is not a member of the "ImageSetSortField" enum.',
    ],
    [
      'an input object',
      search('ImageSetSearchFilter', 'filter'),
      PATIENT,
      'Variable "$v" has an invalid value: Expected type "ImageSetSearchFilter" to be an object.',
    ],
  ])('rewrites a variable coercion error on %s without the value', async (_kind, query, value, message) => {
    const res = await h.gql(query, { v: value }, acme);
    expect(res.status).toBe(400);
    expect(expectGraphQLError(res, 'BAD_USER_INPUT').message).toBe(message);
    expect(JSON.stringify(res)).not.toContain('Mustermann');
  });

  it('rewrites a JSON attribute map that is not an object without the value', async () => {
    const res = await h.gql(
      'mutation ($input: UpdateImageSetMetadataInput!) { updateImageSetMetadata(input: $input) { version { versionId } } }',
      { input: { datastoreId: ds, imageSetId, latestVersionId: '1', updates: { patient: PATIENT } } },
      acme,
    );
    expect(expectGraphQLError(res, 'BAD_USER_INPUT').message).toBe(
      'Variable "$input" has an invalid value at "input.updates.patient": the value does not match its type.',
    );
    expect(JSON.stringify(res)).not.toContain('Mustermann');
  });

  it('rewrites literal values in the document and in syntax errors', async () => {
    const literal = await h.gql(
      `{ imageSets(datastoreId: "${ds}", first: "${PATIENT}") { pageInfo { hasNextPage } } }`,
      undefined,
      acme,
    );
    expect(expectGraphQLError(literal, 'GRAPHQL_VALIDATION_FAILED').message).toBe(
      'A literal value in the document is not valid for its type.',
    );
    const syntax = await h.gql(
      `{ imageSets(datastoreId: "${ds}", "${PATIENT}") { pageInfo { hasNextPage } } }`,
      undefined,
      acme,
    );
    expect(expectGraphQLError(syntax, 'GRAPHQL_PARSE_FAILED').message).toBe(
      'Syntax Error: Expected Name, found String.',
    );
    expect(JSON.stringify([literal, syntax])).not.toContain('Mustermann');
  });

  it('points at a bad keyword of an update by position, with a suggestion, never echoing the key or its value', async () => {
    const res = await h.gql(
      'mutation ($input: UpdateImageSetMetadataInput!) { updateImageSetMetadata(input: $input) { version { versionId } } }',
      { input: { datastoreId: ds, imageSetId, latestVersionId: '1', updates: { patient: { PatientNme: PATIENT } } } },
      acme,
    );
    const error = expectGraphQLError(res, 'BAD_USER_INPUT');
    expect(error.message).toContain(
      '(key #1 of the map that is not a DICOM keyword; did you mean PatientName, PatientAge, PatientID?)',
    );
    expect(JSON.stringify(res)).not.toContain('PatientNme');
    expect(JSON.stringify(res)).not.toContain('Mustermann');
  });

  it('never echoes an unknown input field name, in a literal or in variables', async () => {
    const literal = await h.gql(
      `{ imageSets(datastoreId: "${ds}", filter: { Mustermann: "x" }) { pageInfo { hasNextPage } } }`,
      undefined,
      acme,
    );
    expect(expectGraphQLError(literal, 'GRAPHQL_VALIDATION_FAILED').message).toBe(
      'An input field is not defined by type "ImageSetSearchFilter" (see the type\'s fields in the schema).',
    );
    const variable = await h.gql(search('ImageSetSearchFilter', 'filter'), { v: { Mustermann: 'x' } }, acme);
    expect(expectGraphQLError(variable, 'BAD_USER_INPUT').message).toBe(
      'Variable "$v" has an invalid value: An input field is not defined by type "ImageSetSearchFilter" (see the type\'s fields in the schema).',
    );
    expect(JSON.stringify([literal, variable])).not.toContain('Mustermann');
  });

  it('never echoes an input key that is not a keyword, even one shaped like an identifier', async () => {
    const res = await h.gql(
      'mutation ($input: UpdateImageSetMetadataInput!) { updateImageSetMetadata(input: $input) { version { versionId } } }',
      {
        input: {
          datastoreId: ds,
          imageSetId,
          latestVersionId: '1',
          updates: { study: { StudyDescription: 'x', Mustermann: 'x' } },
        },
      },
      acme,
    );
    expect(expectGraphQLError(res, 'BAD_USER_INPUT').extensions?.invalidKeywords).toEqual([
      { path: 'study', keyword: '(key #2 of the map that is not a DICOM keyword)', problem: 'UNKNOWN_KEYWORD' },
    ]);
    expect(JSON.stringify(res)).not.toContain('Mustermann');
  });

  it('answers an upstream failure with its code only, and logs the call without the upstream message', async () => {
    h.hil.hil.admin.faults.set({ operation: 'GetImageSet', mode: 'error', count: 1 });
    const res = await h.gql(
      'query ($ds: String!, $id: String!) { imageSet(datastoreId: $ds, imageSetId: $id) { state } }',
      { ds, id: imageSetId },
      acme,
    );
    expect(expectGraphQLError(res, 'UPSTREAM_UNAVAILABLE').message).toBe(
      'HealthImaging could not be reached or failed; retry later.',
    );
    expect(JSON.stringify(res)).not.toMatch(/injected fault|internal error occurred/i);
    const failed = h.logs.filter((line) => line.event === 'upstream.call_failed');
    expect(failed).toEqual([
      expect.objectContaining({
        level: 'warn',
        tenantId: 'acme',
        operation: 'GetImageSet',
        errorKind: 'server',
        errorCode: 'InternalServerException status 500',
      }),
    ]);
  });

  it('does not log a path the client made up', async () => {
    const res = await h.raw({ method: 'GET', path: `/patients/${encodeURIComponent(PATIENT)}` });
    expect(res.status).toBe(404);
    expect(
      h.logs.filter((line) => line.event === 'http.request' && line.status === 404).map((line) => line.path),
    ).toContain('(other)');
  });

  it('wrote no patient name, upstream message or stack frame to any log line', () => {
    expect(h.logs.length).toBeGreaterThan(10);
    const text = JSON.stringify(h.logs);
    expect(text).not.toContain('Mustermann');
    expect(text).not.toMatch(/injected fault|internal error occurred/i);
    expect(text).not.toMatch(STACK_FRAME);
  });
});
