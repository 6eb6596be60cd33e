import { createHash } from 'node:crypto';
import type { TenantUpstreamConfig } from '../../tenants/tenant-config';

/**
 * Which HealthImaging account a tenant's calls are metered against: quotas are per AWS account and
 * region, so tenants whose credentials are the same account share them. Known without calling AWS:
 *
 * - `quotaAccount` from the tenants file, when the operator names it (static keys of one account);
 * - an assumed role: the account id inside its ARN (several roles of one account share);
 * - static keys: the access key id (HealthImaging Local meters per key);
 * - the default chain: one identity for the whole process.
 *
 * The endpoint (or the region, for the public one) is part of it: another region, or another
 * HealthImaging Local, meters separately. The result is a digest, so neither memory, Redis keys
 * nor logs hold an access key id.
 */
export function upstreamAccountOf(
  upstream: Pick<
    TenantUpstreamConfig,
    'region' | 'endpoint' | 'credentials' | 'resolvedStaticCredentials' | 'quotaAccount'
  >,
): string {
  const where = upstream.endpoint ?? `aws:${upstream.region}`;
  return createHash('sha256')
    .update(`${where}\n${identityOf(upstream)}`)
    .digest('hex')
    .slice(0, 24);
}

function identityOf(
  upstream: Pick<TenantUpstreamConfig, 'credentials' | 'resolvedStaticCredentials' | 'quotaAccount'>,
): string {
  if (upstream.quotaAccount !== undefined) return `named:${upstream.quotaAccount}`;
  const { credentials } = upstream;
  switch (credentials.type) {
    case 'assumeRole': {
      const account = /^arn:[^:]+:iam::(\d{12}):/.exec(credentials.roleArn)?.[1];
      return `account:${account ?? credentials.roleArn}`;
    }
    case 'static':
      return `key:${upstream.resolvedStaticCredentials?.accessKeyId ?? credentials.accessKeyIdEnv}`;
    case 'default':
      return 'default-chain';
    default: {
      const unknown: never = credentials;
      return `unknown:${(unknown as { type: string }).type}`;
    }
  }
}
