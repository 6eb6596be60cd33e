import { GENESIS_HASH, recordHash, type AuditRecord } from '../../../src/audit/audit-record';
import type { AuditFilter, AuditStore } from '../../../src/audit/audit-store';
import { entry } from './audit-entries';
import { uniqueTenant } from './postgres-scratch';
import { atLeast, present } from '../../support/present';

/** Raw access to the store's database, the way an intruder with database rights would edit it. */
export interface Tamper {
  /** Runs one statement (`?` placeholders) with the append-only triggers out of the way. */
  run(sql: string, params?: unknown[]): Promise<void>;
  /** Runs one statement as is, triggers active. */
  runGuarded(sql: string, params?: unknown[]): Promise<void>;
}

export interface StoreFixture {
  /** A store over the suite's database; `open()` again gives a second, independent connection to it. */
  open(): Promise<AuditStore>;
  tamper: Tamper;
}

/**
 * The behaviour every AuditStore has, run for real against SQLite and PostgreSQL. Each test works
 * on tenants of its own, so suites may share one database.
 */
export function describeAuditStore(
  name: string,
  setup: () => Promise<StoreFixture>,
  teardown: () => Promise<void>,
): void {
  describe(`${name} audit store`, () => {
    let fixture: StoreFixture;
    let store: AuditStore;
    const opened: AuditStore[] = [];
    const open = async (): Promise<AuditStore> => {
      const next = await fixture.open();
      opened.push(next);
      return next;
    };

    beforeAll(async () => {
      fixture = await setup();
      store = await open();
    });
    afterAll(async () => {
      for (const each of opened) await each.close();
      await teardown();
    });

    async function appendMany(tenantId: string, count: number): Promise<AuditRecord[]> {
      const records: AuditRecord[] = [];
      for (let index = 1; index <= count; index += 1) {
        records.push(
          ...(await store.append([entry(tenantId, { requestId: `req-${index}`, imageSetId: `is-${index}` })])),
        );
      }
      return records;
    }

    async function problemOf(tenantId: string) {
      const [result] = await store.verify(tenantId);
      return present(result, `a verification of ${tenantId}`).problem;
    }

    it('appends a request’s entries as one chained unit and reads them back exactly', async () => {
      const tenant = uniqueTenant('append');
      const written = await store.append([
        entry(tenant, { action: 'updateImageSetMetadata', operationType: 'mutation', dataCategories: [] }),
        entry(tenant, {
          operationName: null,
          datastoreId: null,
          imageSetId: null,
          versionId: null,
          upstreamRequestIds: [],
        }),
      ]);

      expect(written.map((record) => record.sequence)).toEqual([1, 2]);
      const [first, second] = atLeast(written, 2, 'written records');
      expect(first.prevHash).toBe(GENESIS_HASH);
      expect(second.prevHash).toBe(first.hash);
      for (const record of written) expect(recordHash(record)).toBe(record.hash);
      const page = await store.list(tenant, { first: 10 });
      expect(page.records).toEqual([...written].reverse());
      expect(page.hasNextPage).toBe(false);
    });

    it('continues the chain across a reopened store', async () => {
      const tenant = uniqueTenant('reopen');
      const [first] = atLeast(await store.append([entry(tenant)]), 1, 'records appended first');
      const other = await open();
      const [second] = atLeast(await other.append([entry(tenant)]), 1, 'records appended second');

      expect(second.sequence).toBe(2);
      expect(second.prevHash).toBe(first.hash);
      expect((await other.verify(tenant))[0]).toEqual({ tenantId: tenant, recordsChecked: 2, headSequence: 2 });
    });

    it('refuses a malformed or mixed-tenant append and writes none of it', async () => {
      const tenant = uniqueTenant('refused');
      await expect(store.append([entry(tenant), entry(uniqueTenant('other'))])).rejects.toThrow('one tenant');
      await expect(store.append([entry(tenant), entry(tenant, { clientKind: 'cookie' as never })])).rejects.toThrow(
        'clientKind',
      );
      await expect(store.append([])).rejects.toThrow('at least one entry');

      expect((await store.list(tenant, { first: 10 })).records).toEqual([]);
      expect((await store.verify(tenant))[0]).toEqual({ tenantId: tenant, recordsChecked: 0, headSequence: 0 });
    });

    it('pages newest first with an exclusive `afterSequence`', async () => {
      const tenant = uniqueTenant('paging');
      await appendMany(tenant, 5);

      const first = await store.list(tenant, { first: 2 });
      expect(first.records.map((record) => record.sequence)).toEqual([5, 4]);
      expect(first.hasNextPage).toBe(true);
      const second = await store.list(tenant, { first: 2, afterSequence: 4 });
      expect(second.records.map((record) => record.sequence)).toEqual([3, 2]);
      expect(second.hasNextPage).toBe(true);
      const last = await store.list(tenant, { first: 2, afterSequence: 2 });
      expect(last.records.map((record) => record.sequence)).toEqual([1]);
      expect(last.hasNextPage).toBe(false);
    });

    it('filters by action, outcome, targets, subject, client, operation and time', async () => {
      const tenant = uniqueTenant('filters');
      const at = (minute: number) => new Date(Date.UTC(2026, 2, 1, 10, minute));
      await store.append([entry(tenant, { occurredAt: at(0) })]);
      await store.append([
        entry(tenant, {
          occurredAt: at(1),
          action: 'deleteImageSet',
          operationType: 'mutation',
          outcome: 'FORBIDDEN',
          subject: 'bob',
        }),
      ]);
      await store.append([
        entry(tenant, { occurredAt: at(2), action: 'deleteImageSet', operationType: 'mutation', imageSetId: 'is-2' }),
      ]);
      await store.append([
        entry(tenant, {
          occurredAt: at(3),
          datastoreId: 'ds-2',
          client: 'partner-key',
          clientKind: 'api-key',
          operationName: 'Partner',
        }),
      ]);
      const sequences = async (filter: AuditFilter) =>
        (await store.list(tenant, { first: 10, filter })).records.map((record) => record.sequence);

      expect(await sequences({ action: 'deleteImageSet' })).toEqual([3, 2]);
      expect(await sequences({ outcome: 'FORBIDDEN' })).toEqual([2]);
      expect(await sequences({ action: 'deleteImageSet', outcome: 'OK' })).toEqual([3]);
      expect(await sequences({ imageSetId: 'is-2' })).toEqual([3]);
      expect(await sequences({ datastoreId: 'ds-2' })).toEqual([4]);
      expect(await sequences({ subject: 'bob' })).toEqual([2]);
      expect(await sequences({ client: 'partner-key' })).toEqual([4]);
      expect(await sequences({ operationName: 'Partner' })).toEqual([4]);
      expect(await sequences({ occurredFrom: at(1), occurredTo: at(2) })).toEqual([3, 2]);
      expect(await sequences({ occurredFrom: at(3) })).toEqual([4]);
      expect(await sequences({ subject: 'nobody' })).toEqual([]);
      // A filtered page continues after its last match, not after a fixed count.
      const page = await store.list(tenant, { first: 1, filter: { action: 'deleteImageSet' } });
      expect(page.hasNextPage).toBe(true);
      const next = await store.list(tenant, { first: 1, afterSequence: 3, filter: { action: 'deleteImageSet' } });
      expect(next.records.map((record) => record.sequence)).toEqual([2]);
    });

    it('keeps tenants apart: own sequences, own lists, own verification', async () => {
      const acme = uniqueTenant('acme');
      const globex = uniqueTenant('globex');
      await appendMany(acme, 3);
      const [globexFirst] = atLeast(await store.append([entry(globex, { subject: 'gus' })]), 1, 'globex records');

      expect(globexFirst.sequence).toBe(1);
      expect(globexFirst.prevHash).toBe(GENESIS_HASH);
      expect((await store.list(globex, { first: 10 })).records.map((record) => record.subject)).toEqual(['gus']);
      expect((await store.list(acme, { first: 10 })).records).toHaveLength(3);
      expect(await store.verify(globex)).toEqual([{ tenantId: globex, recordsChecked: 1, headSequence: 1 }]);
      const all = await store.verify();
      expect(all.find((result) => result.tenantId === acme)).toEqual({
        tenantId: acme,
        recordsChecked: 3,
        headSequence: 3,
      });
    });

    it('keeps one chain when two independent connections append to one tenant at once', async () => {
      const tenant = uniqueTenant('concurrent');
      const [left, right] = [await open(), await open()];
      const appendFrom = (target: AuditStore, label: string) =>
        Promise.all(
          Array.from({ length: 15 }, (_, index) =>
            target.append([entry(tenant, { requestId: `${label}-${index}` }), entry(tenant)]),
          ),
        );
      await Promise.all([appendFrom(left, 'left'), appendFrom(right, 'right')]);

      const records = (await store.list(tenant, { first: 100 })).records.reverse();
      expect(records.map((record) => record.sequence)).toEqual(Array.from({ length: 60 }, (_, index) => index + 1));
      // The two entries of one append stay next to each other.
      for (let index = 0; index < records.length; index += 2) {
        expect(present(records[index], `record ${index}`).requestId).toMatch(/^(left|right)-/);
        expect(present(records[index + 1], `record ${index + 1}`).requestId).toBe('req-1');
      }
      expect(await store.verify(tenant)).toEqual([{ tenantId: tenant, recordsChecked: 60, headSequence: 60 }]);
    });

    it('refuses UPDATE and DELETE of records at the database', async () => {
      const tenant = uniqueTenant('guard');
      await appendMany(tenant, 1);
      // Matched on the message: better-sqlite3's errors fail `instanceof Error` once its native
      // module is shared across Jest's per-file realms.
      const refused = { message: expect.stringContaining('append-only') };
      await expect(
        fixture.tamper.runGuarded('UPDATE audit_records SET outcome = ? WHERE tenant_id = ?', ['OK!', tenant]),
      ).rejects.toMatchObject(refused);
      await expect(
        fixture.tamper.runGuarded('DELETE FROM audit_records WHERE tenant_id = ?', [tenant]),
      ).rejects.toMatchObject(refused);
      expect(await problemOf(tenant)).toBeUndefined();
    });

    describe('verify', () => {
      it('finds an edited record', async () => {
        const tenant = uniqueTenant('edited');
        await appendMany(tenant, 4);
        await fixture.tamper.run('UPDATE audit_records SET outcome = ? WHERE tenant_id = ? AND sequence = ?', [
          'FORBIDDEN',
          tenant,
          3,
        ]);
        expect(await problemOf(tenant)).toMatchObject({ kind: 'changed', sequence: 3 });
        expect(present((await store.verify(tenant))[0], 'a verification').recordsChecked).toBe(2);
      });

      it('finds an edited record whose hash was recomputed to match', async () => {
        const tenant = uniqueTenant('rehashed');
        const records = await appendMany(tenant, 4);
        const forged = { ...present(records[1], 'record 2'), subject: 'someone-else' };
        await fixture.tamper.run(
          'UPDATE audit_records SET subject = ?, hash = ? WHERE tenant_id = ? AND sequence = ?',
          [forged.subject, recordHash(forged), tenant, 2],
        );
        expect(await problemOf(tenant)).toMatchObject({ kind: 'changed', sequence: 2 });
      });

      it('finds a removed record', async () => {
        const tenant = uniqueTenant('removed');
        await appendMany(tenant, 4);
        await fixture.tamper.run('DELETE FROM audit_records WHERE tenant_id = ? AND sequence = ?', [tenant, 2]);
        expect(await problemOf(tenant)).toMatchObject({ kind: 'removed', sequence: 2 });
      });

      it('finds a reordered pair', async () => {
        const tenant = uniqueTenant('reordered');
        await appendMany(tenant, 4);
        await fixture.tamper.run('UPDATE audit_records SET sequence = -1 WHERE tenant_id = ? AND sequence = ?', [
          tenant,
          2,
        ]);
        await fixture.tamper.run('UPDATE audit_records SET sequence = 2 WHERE tenant_id = ? AND sequence = ?', [
          tenant,
          3,
        ]);
        await fixture.tamper.run('UPDATE audit_records SET sequence = 3 WHERE tenant_id = ? AND sequence = ?', [
          tenant,
          -1,
        ]);
        expect(await problemOf(tenant)).toMatchObject({ kind: 'reordered', sequence: 2 });
      });

      it('finds a removed tail through the head', async () => {
        const tenant = uniqueTenant('tail');
        await appendMany(tenant, 5);
        await fixture.tamper.run('DELETE FROM audit_records WHERE tenant_id = ? AND sequence >= ?', [tenant, 4]);
        const [result] = await store.verify(tenant);
        expect(result).toMatchObject({ recordsChecked: 3, headSequence: 5, problem: { kind: 'removed', sequence: 4 } });
      });

      it('finds a head that no longer matches the chain, or is gone', async () => {
        const moved = uniqueTenant('head');
        await appendMany(moved, 2);
        await fixture.tamper.run('UPDATE audit_heads SET last_hash = ? WHERE tenant_id = ?', ['f'.repeat(64), moved]);
        expect(await problemOf(moved)).toMatchObject({ kind: 'broken-head', sequence: 2 });

        const headless = uniqueTenant('headless');
        await appendMany(headless, 2);
        await fixture.tamper.run('DELETE FROM audit_heads WHERE tenant_id = ?', [headless]);
        expect(await problemOf(headless)).toMatchObject({ kind: 'broken-head', sequence: 2 });
      });
    });
  });
}
