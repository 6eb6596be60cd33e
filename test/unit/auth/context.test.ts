import { ApolloServer, HeaderMap } from '@apollo/server';
import DataLoader from 'dataloader';
import { SignedIds } from '../../../src/auth/signed-ids';
import { createAuthenticator } from '../../../src/auth/authenticate';
import type { TenantConfig } from '../../../src/tenants/tenant-config';
import { parseTenants } from '../../../src/tenants/tenants-file';
import { createContextFactory, type GatewayContext } from '../../../src/context';
import { requestIdOfError } from '../../../src/errors/error-request-ids';
import { createFormatError } from '../../../src/errors/format-error';
import { UnauthenticatedError } from '../../../src/errors/gateway-errors';
import type { ImagingPort } from '../../../src/imaging/imaging-port';
import { acmeApiKey, acmeTenantJson, globexApiKey, globexTenantJson } from './tenant-fixtures';

const config = { cursorSecret: 'context-test-secret-0123456789abcdefghijkl', cursorTtlSeconds: 3600 };

/** A port that records which tenant it was built for; the context never calls upstream itself. */
function recordingPort(tenant: TenantConfig): ImagingPort {
  const unused = async (): Promise<never> => {
    throw new Error('not used by the context');
  };
  return {
    tenantId: tenant.id,
    grantedDatastoreIds: () => tenant.datastoreIds,
    assertGranted: () => undefined,
    isMetadataCached: () => false,
    getDatastore: unused,
    searchImageSets: unused,
    getImageSet: unused,
    getImageSetMetadata: unused,
    listImageSetVersions: unused,
    copyImageSet: unused,
    updateImageSetMetadata: unused,
    deleteImageSet: unused,
    getImageFrame: unused,
  };
}

function setup() {
  const registry = parseTenants({ tenants: [acmeTenantJson(), globexTenantJson()] }, {});
  const built: string[] = [];
  const factory = createContextFactory({
    config,
    registry,
    authenticate: createAuthenticator(registry),
    serviceFor: (tenant) => {
      built.push(tenant.id);
      return recordingPort(tenant);
    },
  });
  return { factory, built };
}

const request = (headers: Record<string, string>) => ({ req: { headers } });

describe('createContextFactory', () => {
  it('builds an anonymous context with a request id and no tenant state', async () => {
    const { factory, built } = setup();
    const context = await factory(request({}));
    expect(context.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(context.principal).toBeUndefined();
    expect(context.imaging).toBeUndefined();
    expect(context.loaders).toBeUndefined();
    expect(context.tenant).toBeUndefined();
    expect(context.ids).toBeInstanceOf(SignedIds);
    expect(built).toEqual([]);
  });

  it("binds an authenticated request to its tenant's service and fresh loaders", async () => {
    const { factory } = setup();
    const context = await factory(request({ 'x-api-key': acmeApiKey }));
    expect(context.principal).toMatchObject({ tenantId: 'acme', method: 'api-key' });
    expect(context.tenant?.id).toBe('acme');
    expect(context.imaging?.tenantId).toBe('acme');
    expect(context.loaders?.imageSet).toBeInstanceOf(DataLoader);
  });

  it('reuses one service per tenant across requests but never shares loaders', async () => {
    const { factory, built } = setup();
    const first = await factory(request({ 'x-api-key': acmeApiKey }));
    const second = await factory(request({ 'x-api-key': acmeApiKey }));
    const other = await factory(request({ 'x-api-key': globexApiKey }));
    expect(built).toEqual(['acme', 'globex']);
    expect(second.imaging).toBe(first.imaging);
    expect(second.loaders).not.toBe(first.loaders);
    expect(other.imaging).not.toBe(first.imaging);
    expect(other.imaging?.tenantId).toBe('globex');
  });

  it('keeps a well-formed x-request-id and replaces one that could inject into logs', async () => {
    const { factory } = setup();
    expect((await factory(request({ 'x-request-id': 'edge-7f3a.1:2' }))).requestId).toBe('edge-7f3a.1:2');
    for (const unsafe of ['a\nb', 'x'.repeat(200), '"quoted"', '']) {
      expect((await factory(request({ 'x-request-id': unsafe }))).requestId).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('fails bad credentials with UNAUTHENTICATED, HTTP 401 and a Bearer challenge', async () => {
    const { factory } = setup();
    let thrown: unknown;
    try {
      await factory(request({ 'x-api-key': 'wrong', 'x-request-id': 'req-42' }));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UnauthenticatedError);
    const http = (thrown as UnauthenticatedError).extensions.http as { status: number; headers: Map<string, string> };
    expect(http.status).toBe(401);
    expect(http.headers.get('www-authenticate')).toBe('Bearer');
    expect(requestIdOfError(thrown)).toBe('req-42');
  });

  it('makes Apollo Server answer a failed authentication with 401 and a clean UNAUTHENTICATED error', async () => {
    const { factory } = setup();
    const server = new ApolloServer<GatewayContext>({
      typeDefs: 'type Query { ping: String }',
      resolvers: { Query: { ping: () => 'pong' } },
      formatError: createFormatError(),
      logger: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
    });
    await server.start();
    try {
      const headers = new HeaderMap([
        ['content-type', 'application/json'],
        ['x-api-key', 'wrong'],
      ]);
      const response = await server.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: 'POST', headers, search: '', body: { query: '{ ping }' } },
        context: () => factory({ req: { headers } }),
      });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      if (response.body.kind !== 'complete') throw new Error('expected a complete body');
      expect(JSON.parse(response.body.string)).toEqual({
        errors: [{ message: 'Invalid API key.', extensions: { code: 'UNAUTHENTICATED' } }],
      });
    } finally {
      await server.stop();
    }
  });
});
