import { MAX_CURSOR_LENGTH, MAX_UPSTREAM_TOKEN_LENGTH, SignedIds } from '../../../src/auth/signed-ids';
import { BadUserInputError, NotFoundError } from '../../../src/errors/gateway-errors';

const secret = 'signed-ids-test-secret-0123456789abcdefghij';
const datastoreId = 'aaaaaaaa0123456789abcdef01234567';
const imageSetId = 'bbbbbbbb0123456789abcdef01234567';
const imageSetsList = `imageSets:${datastoreId}`;

function manualClock(start = Date.UTC(2025, 0, 1)) {
  let now = start;
  return { now: () => now, advanceSeconds: (seconds: number) => (now += seconds * 1000) };
}

function expectInvalidCursor(parse: () => unknown): void {
  let thrown: unknown;
  try {
    parse();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(BadUserInputError);
  expect((thrown as Error).message).toBe('Invalid cursor.');
}

/** Flips one character of the body (before the dot) or the MAC (after it). */
function tamper(token: string, part: 'body' | 'mac'): string {
  const dot = token.indexOf('.');
  const index = part === 'body' ? 2 : dot + 3;
  const replacement = token[index] === 'A' ? 'B' : 'A';
  return token.slice(0, index) + replacement + token.slice(index + 1);
}

describe('SignedIds global ids', () => {
  const ids = new SignedIds(secret);

  it('round-trips type and parts for the same tenant', () => {
    const id = ids.globalId('acme', 'ImageSetVersion', [datastoreId, imageSetId, '3']);
    expect(ids.parseGlobalId('acme', id)).toEqual({ type: 'ImageSetVersion', parts: [datastoreId, imageSetId, '3'] });
  });

  it('gives the same object the same id every time', () => {
    expect(ids.globalId('acme', 'ImageSet', [datastoreId, imageSetId])).toBe(
      ids.globalId('acme', 'ImageSet', [datastoreId, imageSetId]),
    );
  });

  it('reports an id minted for another tenant as not found', () => {
    const id = ids.globalId('acme', 'Datastore', [datastoreId]);
    expect(() => ids.parseGlobalId('globex', id)).toThrow(NotFoundError);
  });

  it('reports tampered, malformed and foreign-secret ids as not found', () => {
    const id = ids.globalId('acme', 'ImageSet', [datastoreId, imageSetId]);
    expect(() => ids.parseGlobalId('acme', tamper(id, 'body'))).toThrow(NotFoundError);
    expect(() => ids.parseGlobalId('acme', tamper(id, 'mac'))).toThrow(NotFoundError);
    expect(() => ids.parseGlobalId('acme', 'not-an-id')).toThrow(NotFoundError);
    expect(() => ids.parseGlobalId('acme', '')).toThrow(NotFoundError);
    expect(() => ids.parseGlobalId('acme', `${id}.${id}`)).toThrow(NotFoundError);
    const otherDeployment = new SignedIds('another-deployment-secret-0123456789abcdef');
    expect(() =>
      ids.parseGlobalId('acme', otherDeployment.globalId('acme', 'ImageSet', [datastoreId, imageSetId])),
    ).toThrow(NotFoundError);
  });

  it('does not accept a cursor as a global id', () => {
    const cursor = ids.cursor('acme', imageSetsList, { offset: 10 });
    expect(() => ids.parseGlobalId('acme', cursor)).toThrow(NotFoundError);
  });

  it('refuses to mint an id with the wrong number of parts', () => {
    expect(() => ids.globalId('acme', 'ImageSet', [datastoreId])).toThrow(/needs 2 non-empty parts/);
  });

  it('refuses a secret shorter than 32 characters', () => {
    expect(() => new SignedIds('short')).toThrow(/at least 32 characters/);
  });
});

describe('SignedIds cursors', () => {
  it('round-trips the payload for the same tenant and parent', () => {
    const ids = new SignedIds(secret);
    const cursor = ids.cursor('acme', imageSetsList, { token: 'upstream-next-token', skip: 3 });
    expect(ids.parseCursor('acme', imageSetsList, cursor)).toEqual({ token: 'upstream-next-token', skip: 3 });
  });

  it('rejects a tampered cursor', () => {
    const ids = new SignedIds(secret);
    const cursor = ids.cursor('acme', imageSetsList, { offset: 10 });
    expectInvalidCursor(() => ids.parseCursor('acme', imageSetsList, tamper(cursor, 'body')));
    expectInvalidCursor(() => ids.parseCursor('acme', imageSetsList, tamper(cursor, 'mac')));
    expectInvalidCursor(() => ids.parseCursor('acme', imageSetsList, 'garbage'));
  });

  it('rejects a cursor with a forged payload re-encoded by the client', () => {
    const ids = new SignedIds(secret);
    const cursor = ids.cursor('acme', imageSetsList, { offset: 10 });
    const [, mac] = cursor.split('.');
    const forgedBody = Buffer.from(JSON.stringify({ iat: Math.floor(Date.now() / 1000), p: { offset: 0 } })).toString(
      'base64url',
    );
    expectInvalidCursor(() => ids.parseCursor('acme', imageSetsList, `${forgedBody}.${mac}`));
  });

  it('rejects a cursor minted for another tenant', () => {
    const ids = new SignedIds(secret);
    const cursor = ids.cursor('acme', imageSetsList, { offset: 10 });
    expectInvalidCursor(() => ids.parseCursor('globex', imageSetsList, cursor));
  });

  it('rejects a cursor replayed onto another list', () => {
    const ids = new SignedIds(secret);
    const cursor = ids.cursor('acme', imageSetsList, { offset: 10 });
    expectInvalidCursor(() => ids.parseCursor('acme', `versions:${datastoreId}:${imageSetId}`, cursor));
  });

  it('rejects a global id presented as a cursor', () => {
    const ids = new SignedIds(secret);
    expectInvalidCursor(() => ids.parseCursor('acme', imageSetsList, ids.globalId('acme', 'Datastore', [datastoreId])));
  });

  it('accepts a cursor until its TTL and rejects it after', () => {
    const clock = manualClock();
    const ids = new SignedIds(secret, clock.now, { cursorTtlSeconds: 600 });
    const cursor = ids.cursor('acme', imageSetsList, { offset: 10 });
    clock.advanceSeconds(600);
    expect(ids.parseCursor('acme', imageSetsList, cursor)).toEqual({ offset: 10 });
    clock.advanceSeconds(1);
    expectInvalidCursor(() => ids.parseCursor('acme', imageSetsList, cursor));
  });

  it('defaults the cursor TTL to one hour', () => {
    const clock = manualClock();
    const ids = new SignedIds(secret, clock.now);
    const cursor = ids.cursor('acme', imageSetsList, { offset: 1 });
    clock.advanceSeconds(3600);
    expect(ids.parseCursor('acme', imageSetsList, cursor)).toEqual({ offset: 1 });
    clock.advanceSeconds(1);
    expectInvalidCursor(() => ids.parseCursor('acme', imageSetsList, cursor));
  });

  it('rejects a cursor issued in the future', () => {
    const clock = manualClock();
    const ids = new SignedIds(secret, clock.now);
    clock.advanceSeconds(3600);
    const fromTheFuture = ids.cursor('acme', imageSetsList, { offset: 1 });
    clock.advanceSeconds(-3600);
    expectInvalidCursor(() => ids.parseCursor('acme', imageSetsList, fromTheFuture));
  });

  it('round-trips a cursor carrying a maximal 8192-character upstream token', () => {
    const ids = new SignedIds(secret);
    const token = 'A1b2+/='.repeat(2000).slice(0, MAX_UPSTREAM_TOKEN_LENGTH);
    expect(token).toHaveLength(8192);
    const cursor = ids.cursor('acme', imageSetsList, { token, skip: 49 });
    expect(cursor.length).toBeGreaterThan(4096);
    expect(ids.parseCursor('acme', imageSetsList, cursor)).toEqual({ token, skip: 49 });
  });

  it('round-trips a maximal token made only of characters JSON must escape', () => {
    const ids = new SignedIds(secret);
    const token = '\u0001'.repeat(MAX_UPSTREAM_TOKEN_LENGTH);
    const cursor = ids.cursor('acme', imageSetsList, { token, skip: 0 });
    expect(cursor.length).toBeLessThanOrEqual(MAX_CURSOR_LENGTH);
    expect(ids.parseCursor('acme', imageSetsList, cursor)).toEqual({ token, skip: 0 });
  });

  it('refuses a cursor longer than any it can mint, and refuses to mint one', () => {
    const ids = new SignedIds(secret);
    const cursor = ids.cursor('acme', imageSetsList, { offset: 1 });
    const [body, mac] = cursor.split('.');
    expectInvalidCursor(() => ids.parseCursor('acme', imageSetsList, `${body}${'A'.repeat(MAX_CURSOR_LENGTH)}.${mac}`));
    expect(() => ids.cursor('acme', imageSetsList, { token: '\u0001'.repeat(MAX_UPSTREAM_TOKEN_LENGTH * 2) })).toThrow(
      /size limit/,
    );
  });

  it('cannot be confused by tenant and parent strings that concatenate alike', () => {
    const ids = new SignedIds(secret);
    const cursor = ids.cursor('acme', 'x:list', { offset: 1 });
    expectInvalidCursor(() => ids.parseCursor('acme:x', 'list', cursor));
  });
});
