import type { SignedIds } from '../../auth/signed-ids';
import type { GatewayContext } from '../../context';
import { UnauthenticatedError } from '../../errors/gateway-errors';
import type { ImagingPort } from '../../imaging/imaging-port';
import type { ImagingLoaders } from '../../imaging/loaders';
import { phiAccessOr, type PhiAccess } from '../../phi/phi-access';

/** What a resolver needs from an authenticated request: the tenant-bound port, its loaders, ids. */
export interface RequestScope {
  tenantId: string;
  imaging: ImagingPort;
  loaders: ImagingLoaders;
  ids: SignedIds;
  /** The request's access to PHI (absent only in hand-built scopes, which then see none). */
  phi?: PhiAccess;
}

/**
 * The authenticated part of the context. `@Authorized` runs first, so a missing principal here
 * means a field was reached without it (a programming error) and is reported as unauthenticated.
 */
export function requestScope(context: GatewayContext): RequestScope {
  const { principal, imaging, loaders, ids } = context;
  if (!principal || !imaging || !loaders) throw new UnauthenticatedError();
  return { tenantId: principal.tenantId, imaging, loaders, ids, phi: phiAccessOr(context.phi) };
}
