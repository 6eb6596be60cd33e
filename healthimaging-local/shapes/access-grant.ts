import { ServiceError } from './errors';

/** One access key the stand-in accepts, and the data stores it may touch (`'*'` = all). */
export interface AccessKeyGrant {
  accessKeyId: string;
  secretAccessKey: string;
  datastores: string[] | '*';
}

export function grantCovers(grant: AccessKeyGrant, datastoreId: string): boolean {
  return grant.datastores === '*' || grant.datastores.includes(datastoreId);
}

export function assertGrant(grant: AccessKeyGrant, datastoreId: string): void {
  if (!grantCovers(grant, datastoreId)) {
    throw new ServiceError(
      'AccessDeniedException',
      `User: ${grant.accessKeyId} is not authorized to access data store ${datastoreId}`,
    );
  }
}

export function assertAccountWide(grant: AccessKeyGrant, operation: string): void {
  if (grant.datastores !== '*') {
    throw new ServiceError(
      'AccessDeniedException',
      `User: ${grant.accessKeyId} is not authorized to perform ${operation}`,
    );
  }
}
