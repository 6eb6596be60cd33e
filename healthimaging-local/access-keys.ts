import { ServiceError } from './errors';
import type { AccessKeyGrant } from './options';

/** The keys the stand-in accepts and the data stores each may reach. */
export class AccessKeyRegistry {
  private readonly keys = new Map<string, AccessKeyGrant>();

  constructor(grants: AccessKeyGrant[]) {
    for (const grant of grants) this.add(grant);
  }

  add(grant: AccessKeyGrant): void {
    this.keys.set(grant.accessKeyId, { ...grant });
  }

  remove(accessKeyId: string): void {
    this.keys.delete(accessKeyId);
  }

  get(accessKeyId: string): AccessKeyGrant | undefined {
    return this.keys.get(accessKeyId);
  }

  list(): AccessKeyGrant[] {
    return [...this.keys.values()].map((k) => ({ ...k }));
  }
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
