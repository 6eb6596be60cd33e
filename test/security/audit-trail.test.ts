import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditRecord } from '../../src/audit/audit-record';
import type { AuditStore } from '../../src/audit/audit-store';
import { PostgresAuditStore } from '../../src/audit/postgres-audit-store';
import { SqliteAuditStore } from '../../src/audit/sqlite-audit-store';
import { expectData, expectGraphQLError, waitUntilUnlocked } from '../support/gateway-expect';
import { startGatewayHarness, type GatewayHarness } from '../support/gateway-harness';
import { scratchPostgres, type ScratchDatabase } from '../unit/audit/postgres-scratch';
import { atLeast } from '../support/present';

/**
 * What the request path records, on both audit stores, over real HTTP: every write (done,
 * refused, conflicting) with its target, outcome and upstream request ids, nothing for plain
 * reads, and no answer at all when the record cannot be committed.
 */

const UPDATE = `mutation Fix($input: UpdateImageSetMetadataInput!) {
  updateImageSetMetadata(input: $input) { imageSet { latestVersionId } }
}`;
const DELETE = `mutation Remove($input: DeleteImageSetInput!) { deleteImageSet(input: $input) { imageSet { state } } }`;

async function newest(store: AuditStore, tenantId: string, count: number): Promise<AuditRecord[]> {
  return (await store.list(tenantId, { first: count })).records;
}

describe.each([
  ['SQLite', 'sqlite'],
  ['PostgreSQL', 'postgres'],
] as const)('security: the audit trail on %s', (_label, kind) => {
  let h: GatewayHarness;
  let store: AuditStore;
  let scratch: ScratchDatabase | undefined;
  let folder: string | undefined;
  let ds: string;
  let imageSetId: string;

  beforeAll(async () => {
    if (kind === 'postgres') {
      scratch = await scratchPostgres();
      store = await PostgresAuditStore.open(scratch.url);
    } else {
      folder = mkdtempSync(join(tmpdir(), 'audit-trail-'));
      store = new SqliteAuditStore(join(folder, 'audit.sqlite'));
    }
    h = await startGatewayHarness({ audit: store });
    ds = h.datastores.acme;
    [imageSetId] = await h.importStudy('acme', `audit-${kind}`);
  });
  afterAll(async () => {
    await h?.close();
    await store?.close();
    await scratch?.drop();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it('records a metadata update with who, what, which image set, its outcome and the upstream request ids', async () => {
    const acme = h.as({ token: h.tokens.acme });
    const res = await h.gql(
      UPDATE,
      {
        input: {
          datastoreId: ds,
          imageSetId,
          latestVersionId: '1',
          updates: { study: { StudyDescription: 'AUDITED' } },
        },
      },
      acme,
    );
    expect(expectData(res).updateImageSetMetadata.imageSet.latestVersionId).toBe('2');
    const [record] = atLeast(await newest(store, 'acme', 1), 1, 'audit records');
    expect(record).toMatchObject({
      tenantId: 'acme',
      subject: 'alice@acme.test',
      client: 'alice@acme.test',
      clientKind: 'jwt',
      operationName: 'Fix',
      operationType: 'mutation',
      action: 'updateImageSetMetadata',
      datastoreId: ds,
      imageSetId,
      versionId: '1',
      outcome: 'OK',
      dataCategories: [],
    });
    expect(record.requestId).toBe(res.headers['x-request-id']);
    expect(record.documentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(record.upstreamRequestIds.length).toBeGreaterThan(0);
    // Never a value: the new description is nowhere in the record.
    expect(JSON.stringify(record)).not.toContain('AUDITED');
    await waitUntilUnlocked(h, acme, ds, imageSetId);
  });

  it('records a refused write (missing scope) and a conflicting one with their codes', async () => {
    const readOnly = h.as({ apiKey: h.apiKeys.acmeReadOnly });
    expectGraphQLError(await h.gql(DELETE, { input: { datastoreId: ds, imageSetId } }, readOnly), 'FORBIDDEN');
    const [refused] = await newest(store, 'acme', 1);
    expect(refused).toMatchObject({
      action: 'deleteImageSet',
      outcome: 'FORBIDDEN',
      client: 'acme-viewer',
      clientKind: 'api-key',
      imageSetId,
    });

    const stale = await h.gql(
      UPDATE,
      {
        input: { datastoreId: ds, imageSetId, latestVersionId: '1', updates: { study: { StudyDescription: 'LATE' } } },
      },
      h.as({ token: h.tokens.acme }),
    );
    expectGraphQLError(stale, 'VERSION_CONFLICT');
    const [conflict] = await newest(store, 'acme', 1);
    expect(conflict).toMatchObject({ action: 'updateImageSetMetadata', outcome: 'VERSION_CONFLICT', versionId: '1' });
  });

  it('records mutations the request gate refused, with the limit code', async () => {
    const second = h.imageSets.acme[0];
    const res = await h.gql(
      `mutation Bulk { a: deleteImageSet(input: { datastoreId: "${ds}", imageSetId: "${imageSetId}" }) { imageSet { state } } b: deleteImageSet(input: { datastoreId: "${ds}", imageSetId: "${second}" }) { imageSet { state } } }`,
      undefined,
      h.as({ token: h.tokens.acme }),
    );
    expect(expectGraphQLError(res, 'LIMIT_EXCEEDED').extensions).toMatchObject({ limit: 'mutations' });
    const refused = await newest(store, 'acme', 2);
    expect(
      refused.map((record) => [record.action, record.imageSetId, record.outcome, record.operationName]).sort(),
    ).toEqual(
      [
        ['deleteImageSet', imageSetId, 'LIMIT_EXCEEDED', 'Bulk'],
        ['deleteImageSet', second, 'LIMIT_EXCEEDED', 'Bulk'],
      ].sort(),
    );
  });

  it('records nothing for a read that returns no patient data', async () => {
    const [before] = atLeast(await newest(store, 'acme', 1), 1, 'audit records');
    expectData(await h.gql('{ viewer { tenantId } }', undefined, h.as({ token: h.tokens.acme })));
    const [after] = atLeast(await newest(store, 'acme', 1), 1, 'audit records');
    expect(after.sequence).toBe(before.sequence);
  });

  it("keeps each tenant's chain apart and intact", async () => {
    expectGraphQLError(
      await h.gql(
        DELETE,
        { input: { datastoreId: h.datastores.globex, imageSetId: 'f'.repeat(32) } },
        h.as({ token: h.tokens.globex }),
      ),
      'NOT_FOUND',
    );
    const [globex] = await newest(store, 'globex', 5);
    expect(globex).toMatchObject({ tenantId: 'globex', outcome: 'NOT_FOUND', sequence: 1 });
    const verified = await store.verify();
    expect(verified.map((tenant) => [tenant.tenantId, tenant.problem])).toEqual(
      expect.arrayContaining([
        ['acme', undefined],
        ['globex', undefined],
      ]),
    );
  });
});

describe('security: a write is not answered unless its audit record is committed', () => {
  let h: GatewayHarness;
  let folder: string;
  let store: SqliteAuditStore;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'audit-closed-'));
    store = new SqliteAuditStore(join(folder, 'audit.sqlite'));
    h = await startGatewayHarness({ audit: store });
  });
  afterAll(async () => {
    await h?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('answers 503 UPSTREAM_UNAVAILABLE, and no data, when the trail cannot commit', async () => {
    await store.close();
    const res = await h.gql(
      DELETE,
      { input: { datastoreId: h.datastores.acme, imageSetId: 'f'.repeat(32) } },
      h.as({ token: h.tokens.acme }),
    );
    expect(res.status).toBe(503);
    expect(res.data).toBeUndefined();
    expect(expectGraphQLError(res, 'UPSTREAM_UNAVAILABLE').message).toMatch(/audit trail/);
    expect(h.logs.some((line) => line.event === 'audit.append_failed')).toBe(true);
  });
});
