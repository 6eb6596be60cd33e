import type { AccessKeyGrant } from '../shapes/access-grant';

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
