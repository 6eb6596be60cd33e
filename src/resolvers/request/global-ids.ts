import { NotFoundError } from '../../errors/gateway-errors';
import type { RequestScope } from './request-scope';

/** The node types `Query.node` can fetch, and the upstream ids each global id carries. */
export type NodeRef =
  | { type: 'Datastore'; datastoreId: string }
  | { type: 'ImageSet'; datastoreId: string; imageSetId: string }
  | { type: 'ImageSetVersion'; datastoreId: string; imageSetId: string; versionId: string };

export function datastoreGlobalId(scope: RequestScope, datastoreId: string): string {
  return scope.ids.globalId(scope.tenantId, 'Datastore', [datastoreId]);
}

export function imageSetGlobalId(scope: RequestScope, datastoreId: string, imageSetId: string): string {
  return scope.ids.globalId(scope.tenantId, 'ImageSet', [datastoreId, imageSetId]);
}

export function imageSetVersionGlobalId(
  scope: RequestScope,
  datastoreId: string,
  imageSetId: string,
  versionId: string,
): string {
  return scope.ids.globalId(scope.tenantId, 'ImageSetVersion', [datastoreId, imageSetId, versionId]);
}

/**
 * A forged, edited or other-tenant id is reported exactly like an id of something that does not
 * exist: NOT_FOUND, with no hint of which check failed.
 */
export function parseNodeId(scope: RequestScope, id: string): NodeRef {
  let parsed: { type: string; parts: readonly string[] };
  try {
    parsed = scope.ids.parseGlobalId(scope.tenantId, id);
  } catch {
    throw new NotFoundError();
  }
  const { type, parts } = parsed;
  const [datastoreId, imageSetId, versionId] = parts;
  if (datastoreId === undefined) throw new NotFoundError();
  if (type === 'Datastore' && parts.length === 1) return { type, datastoreId };
  if (imageSetId === undefined) throw new NotFoundError();
  if (type === 'ImageSet' && parts.length === 2) return { type, datastoreId, imageSetId };
  if (type === 'ImageSetVersion' && parts.length === 3 && versionId !== undefined) {
    return { type, datastoreId, imageSetId, versionId };
  }
  throw new NotFoundError();
}
