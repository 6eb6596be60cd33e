import { ApolloServer } from '@apollo/server';
import {
  GraphQLEnumType,
  GraphQLError,
  GraphQLInputObjectType,
  GraphQLInt,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLScalarType,
  GraphQLSchema,
  GraphQLString,
  graphql,
  type GraphQLFormattedError,
} from 'graphql';
import { ArgumentValidationError } from 'type-graphql';
import { createFormatError, formatError, INTERNAL_ERROR_MESSAGE } from '../../../src/errors/format-error';
import { NotFoundError, ThrottledError, VersionConflictError } from '../../../src/errors/gateway-errors';
import { requestIdPlugin } from '../../../src/errors/request-id-plugin';
import { createLogger } from '../../../src/logging/logger';
import { atLeast, present } from '../../support/present';

const patientName = 'Doe^John';

/** A scalar that, like many third-party scalars, quotes the bad value in its error. */
const DicomDate = new GraphQLScalarType({
  name: 'DicomDate',
  parseValue(value) {
    if (typeof value !== 'string' || !/^\d{8}$/.test(value))
      throw new GraphQLError(`Not a DICOM date: ${String(value)}`);
    return value;
  },
});

/** One that throws a plain TypeError, which graphql-js wraps as `Expected type "..."`. */
const StudyUid = new GraphQLScalarType({
  name: 'StudyUid',
  parseValue(value) {
    if (typeof value !== 'string' || !/^[0-9.]+$/.test(value)) throw new TypeError(`bad uid ${String(value)}`);
    return value;
  },
});

const Modality = new GraphQLEnumType({ name: 'Modality', values: { CT: {}, MR: {} } });

const Criteria = new GraphQLInputObjectType({
  name: 'Criteria',
  fields: {
    patientName: { type: new GraphQLNonNull(GraphQLString) },
    birthDate: { type: DicomDate },
    studyUid: { type: StudyUid },
    modality: { type: Modality },
  },
});

class LeakyDatabaseError extends Error {}

const thrower = (error: () => Error) => ({
  type: GraphQLString,
  resolve: () => {
    throw error();
  },
});

const schema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: 'Query',
    fields: {
      search: { type: GraphQLString, args: { criteria: { type: new GraphQLNonNull(Criteria) } }, resolve: () => 'ok' },
      count: { type: GraphQLInt, args: { n: { type: new GraphQLNonNull(GraphQLInt) } }, resolve: (_root, { n }) => n },
      boom: thrower(() => new LeakyDatabaseError(`no row for patient ${patientName}`)),
      missing: thrower(() => new NotFoundError()),
      conflict: thrower(
        () => new VersionConflictError('The image set moved on.', { latestVersionId: '4', state: 'ACTIVE' }),
      ),
      throttled: thrower(() => new ThrottledError(3)),
      // A dependency's GraphQLError that happens to use one of our codes is still not ours.
      impostor: thrower(() => new GraphQLError(`forbidden for ${patientName}`, { extensions: { code: 'FORBIDDEN' } })),
      invalidArgs: thrower(
        () =>
          new ArgumentValidationError([
            {
              property: 'criteria',
              value: { patientName },
              children: [
                {
                  property: 'patientName',
                  value: patientName,
                  constraints: { maxLength: `${patientName} is too long` },
                  children: [],
                },
              ],
            },
          ] as never),
      ),
    },
  }),
});

/** Runs graphql-js directly and formats each error as Apollo would (`toJSON` is Apollo's starting point). */
async function formattedErrors(
  source: string,
  variableValues?: Record<string, unknown>,
): Promise<GraphQLFormattedError[]> {
  const result = await graphql({ schema, source, variableValues });
  return (result.errors ?? []).map((error) => formatError(error.toJSON(), error));
}

function captureLogs() {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ level: 'debug', write: (line) => lines.push(JSON.parse(line)) });
  return { lines, logger };
}

function apolloServer(logger = captureLogs().logger, includeStacktraceInErrorResponses = false) {
  return new ApolloServer<{ requestId: string }>({
    schema,
    formatError: createFormatError({ logger }),
    plugins: [requestIdPlugin()],
    includeStacktraceInErrorResponses,
    logger: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
  });
}

async function apolloErrors(
  server: ApolloServer<{ requestId: string }>,
  request: Parameters<ApolloServer['executeOperation']>[0],
) {
  const response = await server.executeOperation(request, { contextValue: { requestId: 'req-0001' } });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  return {
    errors: response.body.singleResult.errors ?? [],
    headers: response.http.headers,
    status: response.http.status,
  };
}

describe('formatError with variable coercion errors', () => {
  it('keeps the variable name and the reason but drops the value', async () => {
    const [error] = await formattedErrors('query ($n: Int!) { count(n: $n) }', { n: patientName });
    expect(error).toEqual({
      message: 'Variable "$n" has an invalid value: Int cannot represent the given value.',
      locations: [{ line: 1, column: 8 }],
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });

  it('keeps the path inside an input object', async () => {
    const query = 'query ($c: Criteria!) { search(criteria: $c) }';
    const [enumError] = atLeast(
      await formattedErrors(query, { c: { patientName: 'x', modality: patientName } }),
      1,
      'errors',
    );
    expect(enumError.message).toBe(
      'Variable "$c" has an invalid value at "c.modality": The value is not a member of the "Modality" enum.',
    );
    const [plainScalar] = atLeast(
      await formattedErrors(query, { c: { patientName: 'x', studyUid: patientName } }),
      1,
      'errors',
    );
    expect(plainScalar.message).toBe('Variable "$c" has an invalid value at "c.studyUid": Expected type "StudyUid".');
  });

  it('falls back to a generic reason when a scalar message may quote the value', async () => {
    const [error] = atLeast(
      await formattedErrors('query ($c: Criteria!) { search(criteria: $c) }', {
        c: { patientName: 'x', birthDate: patientName },
      }),
      1,
      'errors',
    );
    expect(error.message).toBe(
      'Variable "$c" has an invalid value at "c.birthDate": the value does not match its type.',
    );
  });

  it('keeps structural reasons that name only schema elements', async () => {
    const query = 'query ($c: Criteria!) { search(criteria: $c) }';
    const [unknownField] = atLeast(
      await formattedErrors(query, { c: { patientName: 'x', patientAge: patientName } }),
      1,
      'errors',
    );
    expect(unknownField.message).toBe(
      'Variable "$c" has an invalid value: An input field is not defined by type "Criteria" (see the type\'s fields in the schema).',
    );
    const [missingField] = atLeast(await formattedErrors(query, { c: { birthDate: '19700101' } }), 1, 'errors');
    expect(missingField.message).toBe(
      'Variable "$c" has an invalid value: Field "patientName" of required type "String!" was not provided.',
    );
    const [notProvided] = atLeast(await formattedErrors(query, {}), 1, 'errors');
    expect(notProvided.message).toBe('Variable "$c" of required type "Criteria!" was not provided.');
  });

  it("produces the same rewrite through Apollo Server, with Apollo's BAD_USER_INPUT code", async () => {
    const { errors, status } = await apolloErrors(apolloServer(), {
      query: 'query ($n: Int!) { count(n: $n) }',
      variables: { n: patientName },
    });
    expect(errors).toEqual([
      {
        message: 'Variable "$n" has an invalid value: Int cannot represent the given value.',
        locations: [{ line: 1, column: 8 }],
        extensions: { code: 'BAD_USER_INPUT' },
      },
    ]);
    expect(status).toBe(400);
    expect(JSON.stringify(errors)).not.toContain('Doe');
  });
});

describe('formatError with parse and validation errors', () => {
  it("keeps Apollo's GRAPHQL_VALIDATION_FAILED code and removes literal values from the message", async () => {
    const server = apolloServer();
    const typed = await apolloErrors(server, { query: `{ count(n: "${patientName}") }` });
    expect(typed.errors).toEqual([
      {
        message: 'A literal value in the document is not valid for its type.',
        locations: [{ line: 1, column: 12 }],
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      },
    ]);
    expect(JSON.stringify(typed.errors)).not.toContain('Doe');
    const unknownField = await apolloErrors(server, { query: '{ nothingHere }' });
    expect(present(unknownField.errors[0], 'an error').message).toBe(
      'Cannot query field "nothingHere" on type "Query".',
    );
  });

  it('keeps GRAPHQL_PARSE_FAILED and drops the quoted token', async () => {
    const { errors } = await apolloErrors(apolloServer(), { query: `{ "${patientName}" }` });
    expect(errors).toEqual([
      {
        message: 'Syntax Error: Expected Name, found String.',
        locations: [{ line: 1, column: 3 }],
        extensions: { code: 'GRAPHQL_PARSE_FAILED' },
      },
    ]);
  });

  it('passes PERSISTED_QUERY_NOT_FOUND through unchanged so persisted-query clients can retry', async () => {
    const { errors } = await apolloErrors(apolloServer(), {
      extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } },
    });
    expect(errors).toEqual([{ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }]);
  });
});

describe('formatError with resolver errors', () => {
  it('passes gateway errors through with their code, path and extensions', async () => {
    const errors = await formattedErrors('{ missing conflict throttled }');
    expect(errors).toEqual([
      {
        message: 'The requested resource was not found.',
        locations: [{ line: 1, column: 3 }],
        path: ['missing'],
        extensions: { code: 'NOT_FOUND' },
      },
      {
        message: 'The image set moved on.',
        locations: [{ line: 1, column: 11 }],
        path: ['conflict'],
        extensions: { code: 'VERSION_CONFLICT', current: { latestVersionId: '4', state: 'ACTIVE' } },
      },
      {
        message: 'HealthImaging is throttling requests; retry later.',
        locations: [{ line: 1, column: 20 }],
        path: ['throttled'],
        extensions: { code: 'THROTTLED', retryAfterSeconds: 3 },
      },
    ]);
  });

  it('masks anything else as INTERNAL_SERVER_ERROR with a request id', async () => {
    const [boom, impostor] = atLeast(await formattedErrors('{ boom impostor }'), 2, 'errors');
    for (const error of [boom, impostor]) {
      expect(error.message).toBe(INTERNAL_ERROR_MESSAGE);
      expect(error.extensions).toEqual({
        code: 'INTERNAL_SERVER_ERROR',
        requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      });
    }
  });

  it('maps type-graphql argument validation errors to BAD_USER_INPUT without the values', async () => {
    const [error] = await formattedErrors('{ invalidArgs }');
    expect(error).toEqual({
      message: 'Argument validation failed.',
      locations: [{ line: 1, column: 3 }],
      path: ['invalidArgs'],
      extensions: { code: 'BAD_USER_INPUT', fields: [{ field: 'criteria.patientName', constraints: ['maxLength'] }] },
    });
  });

  it('uses the request id of the request, logs the masked error without its message, and echoes the id in a header', async () => {
    const { lines, logger } = captureLogs();
    const { errors, headers } = await apolloErrors(apolloServer(logger), { query: '{ boom }' });
    expect(present(errors[0], 'an error').extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', requestId: 'req-0001' });
    expect(headers.get('x-request-id')).toBe('req-0001');
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'error',
        event: 'graphql.internal_error',
        requestId: 'req-0001',
        path: 'boom',
        errorName: 'LeakyDatabaseError',
      }),
    ]);
    expect(JSON.stringify(lines)).not.toContain('Doe');
  });

  it('never sends stack traces, even when Apollo is configured to include them', async () => {
    const server = apolloServer(captureLogs().logger, true);
    const { errors } = await apolloErrors(server, { query: '{ boom missing }' });
    expect(errors).toHaveLength(2);
    for (const error of errors) expect(error.extensions).not.toHaveProperty('stacktrace');
  });
});
