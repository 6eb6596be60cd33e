import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditRecord } from '../../src/audit/audit-record';
import { SqliteAuditStore } from '../../src/audit/sqlite-audit-store';
import { expectGraphQLError } from '../support/gateway-expect';
import { startGatewayHarness, type GatewayHarness, type GqlResponse } from '../support/gateway-harness';

/**
 * An idempotent replay hands the mutation's result to the client again, so the trail records it
 * before it is answered: action `replayed`, the ids the mutation named, the outcome code the
 * stored answer carries, no upstream request ids; and no answer when the record cannot be committed.
 */

const COPY = `mutation Copy($input: CopyImageSetInput!) {
  copyImageSet(input: $input) { destinationImageSet { imageSetId } }
}`;

describe('security: idempotent replays in the audit trail', () => {
  let h: GatewayHarness;
  let store: SqliteAuditStore;
  let folder: string;
  let imageSetId: string;

  const newest = async (count: number): Promise<AuditRecord[]> => (await store.list('acme', { first: count })).records;
  /** The copy, sent with `key`; the source version is `versionId` (a stale one conflicts). */
  const copy = (key: string, versionId: string): Promise<GqlResponse> =>
    h.gql(
      COPY,
      { input: { datastoreId: h.datastores.acme, sourceImageSetId: imageSetId, sourceLatestVersionId: versionId } },
      { ...h.as({ token: h.tokens.acme }), 'idempotency-key': key },
    );

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'replay-audit-'));
    store = new SqliteAuditStore(join(folder, 'audit.sqlite'));
    h = await startGatewayHarness({ audit: store });
    imageSetId = (await h.importStudy('acme', 'replay-audit'))[0] ?? '';
  });
  afterAll(async () => {
    await h?.close();
    await store?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('records a replay as `replayed`, with the ids the copy named, its outcome and the replay request id', async () => {
    const key = `copy-${randomBytes(8).toString('hex')}`;
    const first = await copy(key, '1');
    expect(first.errors).toBeUndefined();
    const [run] = await newest(1);
    expect(run).toMatchObject({ action: 'copyImageSet', outcome: 'OK', imageSetId });

    const replay = await copy(key, '1');
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.data).toEqual(first.data);
    const [record, previous] = await newest(2);
    expect(previous?.id).toBe(run?.id);
    expect(record).toMatchObject({
      tenantId: 'acme',
      subject: 'alice@acme.test',
      clientKind: 'jwt',
      requestId: replay.headers['x-request-id'],
      operationName: 'Copy',
      operationType: 'mutation',
      action: 'replayed',
      datastoreId: h.datastores.acme,
      imageSetId,
      versionId: '1',
      dataCategories: [],
      outcome: 'OK',
      upstreamRequestIds: [],
    });
    // Ids and codes only: the destination the stored answer names is not copied into the trail.
    const destination = first.data!.copyImageSet.destinationImageSet.imageSetId as string;
    expect(JSON.stringify(record)).not.toContain(destination);
  });

  it('records the outcome code the replayed answer carries', async () => {
    const key = `stale-${randomBytes(8).toString('hex')}`;
    const first = await copy(key, '99');
    expectGraphQLError(first, 'VERSION_CONFLICT');
    const replay = await copy(key, '99');
    expect(replay.headers['idempotent-replayed']).toBe('true');
    const [record] = await newest(1);
    expect(record).toMatchObject({
      action: 'replayed',
      outcome: 'VERSION_CONFLICT',
      requestId: replay.headers['x-request-id'],
    });
  });
});

describe('security: a replay the trail cannot record', () => {
  let h: GatewayHarness;
  let store: SqliteAuditStore;
  let folder: string;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'replay-audit-closed-'));
    store = new SqliteAuditStore(join(folder, 'audit.sqlite'));
    h = await startGatewayHarness({ audit: store });
  });
  afterAll(async () => {
    await h?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('is answered 503 UPSTREAM_UNAVAILABLE, without the stored data', async () => {
    const [imageSetId] = await h.importStudy('acme', 'replay-audit-closed');
    const headers = { ...h.as({ token: h.tokens.acme }), 'idempotency-key': `copy-${randomBytes(8).toString('hex')}` };
    const variables = {
      input: { datastoreId: h.datastores.acme, sourceImageSetId: imageSetId, sourceLatestVersionId: '1' },
    };
    const first = await h.gql(COPY, variables, headers);
    expect(first.errors).toBeUndefined();

    await store.close();
    const replay = await h.gql(COPY, variables, headers);
    expect(replay.status).toBe(503);
    expect(replay.data).toBeUndefined();
    expect(replay.headers['idempotent-replayed']).toBeUndefined();
    expect(expectGraphQLError(replay, 'UPSTREAM_UNAVAILABLE').message).toMatch(/audit trail/);
    expect(h.logs.some((line) => line.event === 'audit.append_failed')).toBe(true);
  });
});
