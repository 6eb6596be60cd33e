import { canonicalJson, checkIdempotencyKey, fingerprintOf, recordIdOf } from '../../../src/http/idempotency-key';

describe('checkIdempotencyKey', () => {
  it('accepts 1 to 255 printable ASCII characters (a UUID, a token with spaces), trimmed', () => {
    expect(checkIdempotencyKey('8e03978e-40d5-43e8-bc93-6894a57f9324')).toEqual({
      ok: true,
      key: '8e03978e-40d5-43e8-bc93-6894a57f9324',
    });
    expect(checkIdempotencyKey(' order 42 ~!')).toEqual({ ok: true, key: 'order 42 ~!' });
    expect(checkIdempotencyKey('k'.repeat(255))).toMatchObject({ ok: true });
  });

  it.each([
    ['empty', ''],
    ['blank', '   '],
    ['too long', 'k'.repeat(256)],
    ['non-ASCII', 'clé'],
    ['a control character', 'a\tb'],
  ])('refuses a key that is %s, without quoting it', (_label, value) => {
    const check = checkIdempotencyKey(value);
    expect(check).toEqual({
      ok: false,
      message: 'The Idempotency-Key header must be 1 to 255 printable ASCII characters.',
    });
  });
});

describe('recordIdOf', () => {
  const owner = { tenantId: 'acme', method: 'api-key', subject: 'acme-ci' };

  it('is one id per tenant, credential and key, and holds none of them in clear', () => {
    const id = recordIdOf(owner, 'key-1');
    expect(recordIdOf({ ...owner }, 'key-1')).toBe(id);
    expect(recordIdOf(owner, 'key-2')).not.toBe(id);
    expect(recordIdOf({ ...owner, subject: 'acme-viewer' }, 'key-1')).not.toBe(id);
    expect(recordIdOf({ ...owner, tenantId: 'globex' }, 'key-1')).not.toBe(id);
    expect(recordIdOf({ ...owner, method: 'jwt' }, 'key-1')).not.toBe(id);
    expect(id).not.toMatch(/acme|key-1/);
  });

  it('cannot be forged by moving characters between the parts', () => {
    expect(recordIdOf({ tenantId: 'acme', method: 'jwt', subject: 'a' }, 'bc')).not.toBe(
      recordIdOf({ tenantId: 'acme', method: 'jwt', subject: 'ab' }, 'c'),
    );
  });
});

describe('fingerprintOf', () => {
  const query =
    'mutation Copy($input: CopyImageSetInput!) { copyImageSet(input: $input) { destinationImageSet { id } } }';

  it('is the same for the same variables in another key order', () => {
    const a = fingerprintOf({
      query,
      operationName: 'Copy',
      variables: { input: { datastoreId: 'd', sourceImageSetId: 's', sourceLatestVersionId: '1' } },
    });
    const b = fingerprintOf({
      query,
      operationName: 'Copy',
      variables: { input: { sourceLatestVersionId: '1', sourceImageSetId: 's', datastoreId: 'd' } },
    });
    expect(b).toBe(a);
  });

  it('differs when the variables, the operation name or the document differ', () => {
    const base = { query, operationName: 'Copy', variables: { input: { sourceImageSetId: 's' } } };
    const fingerprint = fingerprintOf(base);
    expect(fingerprintOf({ ...base, variables: { input: { sourceImageSetId: 't' } } })).not.toBe(fingerprint);
    expect(fingerprintOf({ ...base, operationName: undefined })).not.toBe(fingerprint);
    expect(fingerprintOf({ ...base, query: `${query} ` })).not.toBe(fingerprint);
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth and keeps arrays in order', () => {
    expect(canonicalJson({ b: [{ d: 1, c: null }, 'x'], a: true, skipped: undefined })).toBe(
      '{"a":true,"b":[{"c":null,"d":1},"x"]}',
    );
  });
});
