import { assertGrant } from '../shapes/access-grant';
import { conflict, notFound } from '../shapes/errors';
import type { DatastoreRecord } from '../shapes/datastore';
import type { HilServices, RequestContext } from './handler';
import { resourceId } from './input';

/**
 * Resolves the data store a request names: id pattern (400), the caller's grant (403), existence
 * (404) and, for image set and import work, that it is ACTIVE (409 otherwise).
 */
export function datastoreFor(
  ctx: RequestContext,
  services: HilServices,
  opts: { requireActive: boolean } = { requireActive: true },
): DatastoreRecord {
  const id = resourceId('datastoreId', ctx.params.datastoreId);
  assertGrant(ctx.grant, id);
  const ds = services.store.datastores.get(id);
  if (!ds || (opts.requireActive && ds.datastoreStatus === 'DELETED')) {
    throw notFound(`Datastore ${id} does not exist`);
  }
  if (opts.requireActive && ds.datastoreStatus !== 'ACTIVE') {
    throw conflict(`Datastore ${id} is ${ds.datastoreStatus}, not ACTIVE`);
  }
  return ds;
}
