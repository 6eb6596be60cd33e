import {
  Idempotency,
  IDEMPOTENCY_REFUSALS,
  documentRan,
  type IdempotencyStart,
  type IdempotentRun,
} from '../../../src/http/idempotency';
import {
  MemoryIdempotencyStore,
  type IdempotencyStore,
  type StoredResponse,
} from '../../../src/http/idempotency-store';
import { createLogger } from '../../../src/logging/logger';

const owner = { tenantId: 'acme', method: 'api-key', subject: 'acme-ci' };
const LEASE_MS = 60_000;

function response(body: unknown, status = 200): StoredResponse {
  return { status, headers: [['content-type', 'application/json; charset=utf-8']], body: JSON.stringify(body) };
}

function asRun(start: IdempotencyStart): IdempotentRun {
  expect(start.kind).toBe('run');
  return start as IdempotentRun;
}

function setUp(store: IdempotencyStore = new MemoryIdempotencyStore()) {
  let now = 1_000_000;
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger({
    level: 'debug',
    write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>),
  });
  const idempotency = new Idempotency({ store, leaseMs: LEASE_MS, ttlMs: 3_600_000, clock: () => now, logger });
  return { idempotency, lines, advance: (ms: number) => (now += ms) };
}

describe('Idempotency', () => {
  it('runs the first request, then replays its response to a repeat with the same body', async () => {
    const { idempotency } = setUp();
    const run = asRun(await idempotency.begin({ key: 'k1', owner, fingerprint: 'f1' }));
    const answer = response({ data: { copyImageSet: { destinationImageSet: { id: 'new' } } } });
    await run.finish(answer);
    expect(await idempotency.begin({ key: 'k1', owner, fingerprint: 'f1' })).toEqual({
      kind: 'replay',
      response: answer,
    });
    expect(await idempotency.begin({ key: 'k1', owner, fingerprint: 'f1' })).toEqual({
      kind: 'replay',
      response: answer,
    });
  });

  it('refuses the same key with another body (422), before and after the first answered', async () => {
    const { idempotency } = setUp();
    const run = asRun(await idempotency.begin({ key: 'k1', owner, fingerprint: 'f1' }));
    expect(await idempotency.begin({ key: 'k1', owner, fingerprint: 'f2' })).toEqual({
      kind: 'refused',
      ...IDEMPOTENCY_REFUSALS.reused,
    });
    await run.finish(
      response({ data: null, errors: [{ message: 'x', extensions: { code: 'UPSTREAM_UNAVAILABLE' } }] }),
    );
    expect(await idempotency.begin({ key: 'k1', owner, fingerprint: 'f2' })).toMatchObject({
      kind: 'refused',
      status: 422,
    });
  });

  it('answers 409 while the first is still running, and the outcome once it has answered', async () => {
    const { idempotency } = setUp();
    const run = asRun(await idempotency.begin({ key: 'k1', owner, fingerprint: 'f1' }));
    expect(await idempotency.begin({ key: 'k1', owner, fingerprint: 'f1' })).toEqual({
      kind: 'refused',
      ...IDEMPOTENCY_REFUSALS.inFlight,
    });
    await run.finish(response({ data: { deleteImageSet: null } }));
    expect(await idempotency.begin({ key: 'k1', owner, fingerprint: 'f1' })).toMatchObject({ kind: 'replay' });
  });

  it('keeps records apart per key, credential and tenant', async () => {
    const { idempotency } = setUp();
    asRun(await idempotency.begin({ key: 'k1', owner, fingerprint: 'f1' }));
    asRun(await idempotency.begin({ key: 'k2', owner, fingerprint: 'f1' }));
    asRun(await idempotency.begin({ key: 'k1', owner: { ...owner, subject: 'acme-writer' }, fingerprint: 'f1' }));
    asRun(await idempotency.begin({ key: 'k1', owner: { ...owner, tenantId: 'globex' }, fingerprint: 'f1' }));
  });

  it('records errors of a run that executed (the write may have been applied), so a repeat never runs again', async () => {
    const { idempotency } = setUp();
    const run = asRun(await idempotency.begin({ key: 'k1', owner, fingerprint: 'f1' }));
    const failed = response({
      data: { copyImageSet: null },
      errors: [{ message: 'x', extensions: { code: 'THROTTLED' } }],
    });
    await run.finish(failed);
    expect(await idempotency.begin({ key: 'k1', owner, fingerprint: 'f1' })).toEqual({
      kind: 'replay',
      response: failed,
    });
  });

  it('releases the key when the document never ran (a request error has no data entry)', async () => {
    const { idempotency } = setUp();
    const run = asRun(await idempotency.begin({ key: 'k1', owner, fingerprint: 'f1' }));
    await run.finish(
      response({ errors: [{ message: 'Unknown argument', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }] }, 400),
    );
    asRun(await idempotency.begin({ key: 'k1', owner, fingerprint: 'f2' }));
  });

  it('refuses a key whose first request never answered (its process died): the outcome is unknown', async () => {
    const { idempotency, advance } = setUp();
    asRun(await idempotency.begin({ key: 'k1', owner, fingerprint: 'f1' }));
    advance(LEASE_MS + 1);
    expect(await idempotency.begin({ key: 'k1', owner, fingerprint: 'f1' })).toEqual({
      kind: 'refused',
      ...IDEMPOTENCY_REFUSALS.abandoned,
    });
  });

  it('refuses with UPSTREAM_UNAVAILABLE when the store fails, warns once per outage, and recovers', async () => {
    const memory = new MemoryIdempotencyStore();
    let down = true;
    const store: IdempotencyStore = {
      reserve: (...args) => (down ? Promise.reject(new Error('connection is closed')) : memory.reserve(...args)),
      put: (...args) => memory.put(...args),
      delete: (...args) => memory.delete(...args),
    };
    const { idempotency, lines } = setUp(store);
    for (let i = 0; i < 3; i += 1) {
      expect(await idempotency.begin({ key: `k${i}`, owner, fingerprint: 'f1' })).toEqual({
        kind: 'refused',
        ...IDEMPOTENCY_REFUSALS.storeUnavailable,
      });
    }
    expect(IDEMPOTENCY_REFUSALS.storeUnavailable).toMatchObject({ status: 503, code: 'UPSTREAM_UNAVAILABLE' });
    expect(lines.filter((line) => line.event === 'idempotency.store_unavailable')).toHaveLength(1);
    down = false;
    asRun(await idempotency.begin({ key: 'k0', owner, fingerprint: 'f1' }));
    expect(lines.filter((line) => line.event === 'idempotency.store_restored')).toHaveLength(1);
  });

  it('never rejects when the outcome cannot be recorded; the key then refuses repeats rather than run them', async () => {
    const memory = new MemoryIdempotencyStore();
    const store: IdempotencyStore = {
      reserve: (...args) => memory.reserve(...args),
      put: () => Promise.reject(new Error('connection is closed')),
      delete: (...args) => memory.delete(...args),
    };
    const { idempotency, lines } = setUp(store);
    const run = asRun(await idempotency.begin({ key: 'k1', owner, fingerprint: 'f1' }));
    await expect(run.finish(response({ data: { copyImageSet: null } }))).resolves.toBeUndefined();
    expect(lines.map((line) => line.event)).toContain('idempotency.record_failed');
    expect(await idempotency.begin({ key: 'k1', owner, fingerprint: 'f1' })).toMatchObject({
      kind: 'refused',
      status: 409,
    });
  });

  it('never logs the key, the body or the response', async () => {
    const { idempotency, lines } = setUp({
      reserve: () => Promise.reject(new Error('down')),
      put: () => Promise.reject(new Error('down')),
      delete: () => Promise.reject(new Error('down')),
    });
    await idempotency.begin({ key: 'DOE^JANE', owner, fingerprint: 'f1' });
    expect(JSON.stringify(lines)).not.toContain('DOE^JANE');
  });
});

describe('MemoryIdempotencyStore', () => {
  it('expires records after their time to live', async () => {
    let now = 5000;
    const store = new MemoryIdempotencyStore({ now: () => now });
    const record = { state: 'running' as const, fingerprint: 'f', startedAt: 0 };
    expect(await store.reserve('a', record, 1000)).toEqual({ reserved: true });
    now += 999;
    expect(await store.reserve('a', record, 1000)).toEqual({ reserved: false, existing: record });
    now += 2;
    expect(await store.reserve('a', record, 1000)).toEqual({ reserved: true });
  });
});

describe('documentRan', () => {
  it('is false only for a JSON object with no data entry', () => {
    expect(documentRan(response({ errors: [] }, 400))).toBe(false);
    expect(documentRan(response({ data: null, errors: [] }))).toBe(true);
    expect(documentRan({ status: 200, headers: [], body: '--graphql\r\n' })).toBe(true);
  });
});
