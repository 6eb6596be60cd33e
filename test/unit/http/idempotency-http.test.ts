import { HeaderMap } from '@apollo/server';
import type { Principal } from '../../../src/auth/principal';
import { CorsPolicy } from '../../../src/http/cors-policy';
import { Idempotency } from '../../../src/http/idempotency';
import { idempotencyStepOf, storedResponseOf } from '../../../src/http/idempotency-http';
import { MemoryIdempotencyStore } from '../../../src/http/idempotency-store';

const principal: Principal = { tenantId: 'acme', subject: 'acme-ci', scopes: ['imagesets:write'], method: 'api-key' };
const mutation = {
  query: 'mutation { deleteImageSet(input: {}) { imageSet { imageSetId } } }',
  operationType: 'mutation' as const,
};
const params = { variables: { id: 'x' }, extensions: {} };

describe('idempotencyStepOf', () => {
  const idempotency = (): Idempotency => new Idempotency({ store: new MemoryIdempotencyStore(), leaseMs: 60_000 });

  it('takes part only for authenticated mutations that send the header', async () => {
    const subject = idempotency();
    expect(await idempotencyStepOf(subject, { header: undefined, admitted: mutation, params, principal })).toEqual({
      kind: 'none',
    });
    expect(
      await idempotencyStepOf(subject, {
        header: 'k',
        admitted: { ...mutation, operationType: 'query' },
        params,
        principal,
      }),
    ).toEqual({ kind: 'none' });
    expect(await idempotencyStepOf(subject, { header: 'k', admitted: mutation, params, principal: undefined })).toEqual(
      { kind: 'none' },
    );
    expect(await idempotencyStepOf(subject, { header: 'k', admitted: mutation, params, principal })).toMatchObject({
      kind: 'run',
    });
  });

  it('refuses a malformed key with 400 BAD_REQUEST', async () => {
    expect(
      await idempotencyStepOf(idempotency(), { header: '\u0001', admitted: mutation, params, principal }),
    ).toMatchObject({
      kind: 'refused',
      status: 400,
      code: 'BAD_REQUEST',
    });
  });

  it('tells a repeat with other variables from a repeat with the same ones', async () => {
    const subject = idempotency();
    await idempotencyStepOf(subject, { header: 'k', admitted: mutation, params, principal });
    expect(await idempotencyStepOf(subject, { header: 'k', admitted: mutation, params, principal })).toMatchObject({
      status: 409,
    });
    expect(
      await idempotencyStepOf(subject, {
        header: 'k',
        admitted: mutation,
        params: { ...params, variables: { id: 'y' } },
        principal,
      }),
    ).toMatchObject({ status: 422 });
  });
});

describe('storedResponseOf', () => {
  it('reads a chunked body to its end and drops the request id (a replay carries its own)', async () => {
    async function* chunks(): AsyncGenerator<string> {
      yield '--graphql\r\n';
      yield '{"data":{}}\r\n--graphql--\r\n';
    }
    const headers = new HeaderMap([
      ['content-type', 'multipart/mixed; boundary="graphql"'],
      ['x-request-id', 'first'],
    ]);
    expect(
      await storedResponseOf({ status: 200, headers, body: { kind: 'chunked', asyncIterator: chunks() } }),
    ).toEqual({
      status: 200,
      headers: [['content-type', 'multipart/mixed; boundary="graphql"']],
      body: '--graphql\r\n{"data":{}}\r\n--graphql--\r\n',
    });
  });
});

describe('CORS for idempotent requests', () => {
  it('lets a browser send Idempotency-Key and read Idempotent-Replayed and Retry-After', () => {
    const policy = new CorsPolicy(['https://viewer.example']);
    const preflight = policy.evaluate({ origin: 'https://viewer.example', preflight: true });
    const actual = policy.evaluate({ origin: 'https://viewer.example', preflight: false });
    if (preflight.kind !== 'allowed' || actual.kind !== 'allowed') throw new Error('expected the origin to be allowed');
    expect(new Map(preflight.headers).get('access-control-allow-headers')).toContain('idempotency-key');
    expect(new Map(actual.headers).get('access-control-expose-headers')).toBe(
      'x-request-id, idempotent-replayed, retry-after',
    );
  });
});
