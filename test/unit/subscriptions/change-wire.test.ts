import { decodeChange, encodeChange } from '../../../src/subscriptions/change-wire';
import type { ImageSetChange } from '../../../src/subscriptions/image-set-change';
import { credentialHeadersOf } from '../../../src/subscriptions/connection-credentials';

const change: ImageSetChange = {
  tenantId: 'acme',
  datastoreId: 'a'.repeat(32),
  imageSetId: 'b'.repeat(32),
  facts: {
    state: 'LOCKED',
    workflowStatus: 'UPDATING',
    latestVersionId: '2',
    message: undefined,
    updatedAt: new Date('2026-11-30T10:00:00.000Z'),
  },
};

describe('changes between replicas', () => {
  it('round-trips a change, keeping a fact known to be absent and reviving dates', () => {
    const decoded = decodeChange(encodeChange('replica-1', change));
    expect(decoded?.origin).toBe('replica-1');
    expect(decoded?.change).toEqual(change);
    expect(Object.prototype.hasOwnProperty.call(decoded?.change.facts, 'message')).toBe(true);
    expect(decoded?.change.facts.updatedAt).toBeInstanceOf(Date);
  });

  it.each([
    ['not JSON', '{'],
    ['an unknown fact', JSON.stringify({ origin: 'x', change: { ...change, facts: { patientName: 'DOE^JANE' } } })],
    ['a malformed id', JSON.stringify({ origin: 'x', change: { ...change, imageSetId: '../x', facts: {} } })],
    ['a fact of the wrong type', JSON.stringify({ origin: 'x', change: { ...change, facts: { state: 1 } } })],
  ])('drops %s', (_label, text) => {
    expect(decodeChange(text)).toBeUndefined();
  });
});

describe('credentials in connection_init', () => {
  it('reads either credential in any case, at the top level or under headers', () => {
    expect(credentialHeadersOf({ Authorization: 'Bearer a.b.c' })).toEqual({ authorization: 'Bearer a.b.c' });
    expect(credentialHeadersOf({ headers: { 'X-Api-Key': 'k' } })).toEqual({ 'x-api-key': 'k' });
    expect(credentialHeadersOf({ other: 'x', 'x-api-key': 5 })).toEqual({});
    expect(credentialHeadersOf(undefined)).toEqual({});
  });

  it('joins a credential given twice, which authentication then refuses as repeated', () => {
    expect(credentialHeadersOf({ authorization: 'Bearer a.b.c', Authorization: 'Bearer d.e.f' })).toEqual({
      authorization: 'Bearer a.b.c, Bearer d.e.f',
    });
  });
});
