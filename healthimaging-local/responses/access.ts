import { assertGrant } from '../shapes/access-grant';
import type { DatastoreRecord } from '../shapes/datastore';
import type { HilServices, RequestContext } from './handler';
import { resourceId } from './input';

/**
 * The data store a request names, checked in this order: id pattern (400), the caller's grant
 * (403), then existence (404) and, for image set and import work, that it is ACTIVE (409).
 */
export function datastoreFor(
  ctx: RequestContext,
  services: HilServices,
  opts: { requireActive: boolean } = { requireActive: true },
): DatastoreRecord {
  return services.model.datastores.find(grantedDatastoreId(ctx), opts);
}

/** The id pattern (400) and the caller's grant (403) of the request's data store. */
export function grantedDatastoreId(ctx: RequestContext): string {
  const id = resourceId('datastoreId', ctx.params.datastoreId);
  assertGrant(ctx.grant, id);
  return id;
}
