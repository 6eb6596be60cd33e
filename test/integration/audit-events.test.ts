import type { AuditEntry } from '../../src/audit/audit-record';
import { PostgresAuditStore } from '../../src/audit/postgres-audit-store';
import { expectData, expectGraphQLError } from '../support/gateway-expect';
import { startGatewayHarness, type GatewayHarness } from '../support/gateway-harness';
import { entry } from '../unit/audit/audit-entries';
import { scratchPostgres, type ScratchDatabase } from '../unit/audit/postgres-scratch';

/**
 * `auditEvents` over real HTTP, on a real PostgreSQL trail. The trail is seeded through the store
 * (what the request path records is tested where it is wired); this tests who may read it and
 * what they see.
 */

const EVENTS = `query Events($first: Int, $after: String, $filter: AuditEventFilterInput) {
  auditEvents(first: $first, after: $after, filter: $filter) {
    edges { cursor node { id sequence occurredAt requestId subject client clientKind operationName operationType documentHash
      action datastoreId imageSetId versionId dataCategories outcome upstreamRequestIds hash } }
    pageInfo { hasNextPage endCursor }
  }
}`;

describe('gateway: auditEvents', () => {
  let database: ScratchDatabase;
  let store: PostgresAuditStore;
  let h: GatewayHarness;
  let acme: Record<string, string>;
  let globex: Record<string, string>;

  const acmeEvent = (overrides: Partial<AuditEntry>): AuditEntry =>
    entry('acme', { requestId: 'acme-req', ...overrides });

  beforeAll(async () => {
    database = await scratchPostgres();
    store = await PostgresAuditStore.open(database.url);
    await store.append([acmeEvent({ occurredAt: new Date('2026-03-01T10:00:00Z') })]);
    await store.append([
      acmeEvent({
        occurredAt: new Date('2026-03-01T10:05:00Z'),
        action: 'deleteImageSet',
        operationType: 'mutation',
        operationName: 'Delete',
        outcome: 'FORBIDDEN',
        subject: 'rita@acme.test',
        client: 'acme-viewer',
        clientKind: 'api-key',
        dataCategories: [],
        upstreamRequestIds: [],
        versionId: null,
      }),
    ]);
    await store.append([acmeEvent({ occurredAt: new Date('2026-03-01T10:10:00Z'), imageSetId: 'is-3' })]);
    await store.append([entry('globex', { requestId: 'globex-req', subject: 'gus@globex.test' })]);
    h = await startGatewayHarness({ audit: store });
    acme = h.as({ token: h.tokens.acme });
    globex = h.as({ token: h.tokens.globex });
  });
  afterAll(async () => {
    await h?.close();
    await store?.close();
    await database?.drop();
  });

  it('pages the caller’s tenant’s events newest first, every field as recorded', async () => {
    const first = expectData(await h.gql(EVENTS, { first: 2 }, acme)).auditEvents;
    expect(first.edges.map((edge: any) => edge.node.sequence)).toEqual(['3', '2']);
    expect(first.pageInfo.hasNextPage).toBe(true);
    expect(first.edges[1].node).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      sequence: '2',
      occurredAt: '2026-03-01T10:05:00.000Z',
      requestId: 'acme-req',
      subject: 'rita@acme.test',
      client: 'acme-viewer',
      clientKind: 'API_KEY',
      operationName: 'Delete',
      operationType: 'mutation',
      documentHash: entry('acme').documentHash,
      action: 'deleteImageSet',
      datastoreId: 'ds-1',
      imageSetId: 'is-1',
      versionId: null,
      dataCategories: [],
      outcome: 'FORBIDDEN',
      upstreamRequestIds: [],
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });

    const second = expectData(await h.gql(EVENTS, { first: 2, after: first.pageInfo.endCursor }, acme)).auditEvents;
    expect(second.edges.map((edge: any) => edge.node.sequence)).toEqual(['1']);
    expect(second.pageInfo.hasNextPage).toBe(false);
    const fromEdge = expectData(await h.gql(EVENTS, { first: 1, after: first.edges[0].cursor }, acme)).auditEvents;
    expect(fromEdge.edges.map((edge: any) => edge.node.sequence)).toEqual(['2']);
  });

  it('filters, and keeps a cursor on the filter it was issued for', async () => {
    const filter = {
      action: 'deleteImageSet',
      outcome: 'FORBIDDEN',
      occurredAt: { from: '2026-03-01T10:01:00Z', to: '2026-03-01T10:06:00Z' },
    };
    const page = expectData(await h.gql(EVENTS, { first: 1, filter }, acme)).auditEvents;
    expect(page.edges.map((edge: any) => edge.node.subject)).toEqual(['rita@acme.test']);
    expect(expectData(await h.gql(EVENTS, { filter: { imageSetId: 'is-3' } }, acme)).auditEvents.edges).toHaveLength(1);

    const cursor = page.edges[0].cursor;
    expectGraphQLError(await h.gql(EVENTS, { after: cursor, filter: { action: 'read' } }, acme), 'BAD_USER_INPUT');
  });

  it('refuses bad arguments with BAD_USER_INPUT naming the field', async () => {
    const reversed = { occurredAt: { from: '2026-03-02T00:00:00Z', to: '2026-03-01T00:00:00Z' } };
    expect(
      expectGraphQLError(await h.gql(EVENTS, { filter: reversed }, acme), 'BAD_USER_INPUT').extensions!.invalidFields,
    ).toEqual(['filter.occurredAt']);
    expect(
      expectGraphQLError(await h.gql(EVENTS, { filter: { subject: 'x'.repeat(300) } }, acme), 'BAD_USER_INPUT').message,
    ).not.toContain('xxx');
    expectGraphQLError(await h.gql(EVENTS, { first: 0 }, acme), 'BAD_USER_INPUT');
    expectGraphQLError(await h.gql(EVENTS, { after: 'not-a-cursor' }, acme), 'BAD_USER_INPUT');
  });

  it('needs the audit:read scope', async () => {
    for (const headers of [h.as({ token: h.tokens.acmeReadOnly }), h.as({ apiKey: h.apiKeys.acmeReadOnly })]) {
      const response = await h.gql(EVENTS, {}, headers);
      expect(expectGraphQLError(response, 'FORBIDDEN').message).toContain('audit:read');
      expect(response.data).toBeNull();
    }
    expectGraphQLError(await h.gql(EVENTS, {}), 'UNAUTHENTICATED');
  });

  it('never shows another tenant’s events, nor accepts its cursors', async () => {
    const own = expectData(await h.gql(EVENTS, { first: 50 }, globex)).auditEvents;
    expect(own.edges.map((edge: any) => [edge.node.sequence, edge.node.requestId])).toEqual([['1', 'globex-req']]);

    const acmePage = expectData(await h.gql(EVENTS, { first: 1 }, acme)).auditEvents;
    expectGraphQLError(await h.gql(EVENTS, { after: acmePage.pageInfo.endCursor }, globex), 'BAD_USER_INPUT');
    // A filter naming acme's targets finds nothing for globex.
    expect(expectData(await h.gql(EVENTS, { filter: { imageSetId: 'is-3' } }, globex)).auditEvents.edges).toEqual([]);
  });
});
