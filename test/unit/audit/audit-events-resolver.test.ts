import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteAuditStore } from '../../../src/audit/sqlite-audit-store';
import { SignedIds } from '../../../src/auth/signed-ids';
import type { GatewayContext } from '../../../src/context';
import { createLogger } from '../../../src/logging/logger';
import type { ImagingPort } from '../../../src/imaging/imaging-port';
import type { ImagingLoaders } from '../../../src/imaging/loaders';
import { AuditEventsResolver } from '../../../src/resolvers/audit-events.resolver';
import { entry } from './audit-entries';

/** The store-facing edges of `auditEvents`; paging, filters and scopes are tested over HTTP. */
describe('auditEvents resolver', () => {
  const lines: Array<Record<string, unknown>> = [];
  const context = (audit?: SqliteAuditStore): GatewayContext => ({
    requestId: 'req-1',
    principal: { tenantId: 'acme', subject: 'alice', scopes: ['audit:read'], method: 'jwt' },
    // Reading the trail never touches HealthImaging.
    imaging: {} as ImagingPort,
    loaders: {} as ImagingLoaders,
    ids: new SignedIds('x'.repeat(32)),
    logger: createLogger({ level: 'debug', write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) }),
    ...(audit ? { audit } : {}),
  });
  const resolver = new AuditEventsResolver();

  it('answers UPSTREAM_UNAVAILABLE when the gateway has no audit store', async () => {
    await expect(resolver.auditEvents({ first: 1 }, undefined, context())).rejects.toMatchObject({
      extensions: { code: 'UPSTREAM_UNAVAILABLE' },
      message: 'The audit trail is not available on this gateway.',
    });
  });

  it('answers UPSTREAM_UNAVAILABLE and logs the failure without its message when the store cannot be read', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'audit-events-'));
    const store = new SqliteAuditStore(join(folder, 'audit.sqlite'));
    await store.append([entry('acme')]);
    await expect(resolver.auditEvents({ first: 1 }, undefined, context(store))).resolves.toMatchObject({
      pageInfo: { hasNextPage: false },
    });
    await store.close();
    rmSync(folder, { recursive: true, force: true });

    await expect(resolver.auditEvents({ first: 1 }, undefined, context(store))).rejects.toMatchObject({
      extensions: { code: 'UPSTREAM_UNAVAILABLE' },
      message: 'The audit trail could not be read; retry later.',
    });
    expect(lines).toContainEqual(expect.objectContaining({ event: 'audit.list_failed', level: 'error' }));
    // The error's name and code only: a driver message may quote SQL or parameters.
    expect(JSON.stringify(lines)).not.toContain('not open');
  });
});
