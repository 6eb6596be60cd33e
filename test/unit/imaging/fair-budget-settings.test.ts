import { ConfigError, loadConfig } from '../../../src/config';
import { parseTenants } from '../../../src/tenants/tenants-file';
import type { TenantUpstreamConfig } from '../../../src/tenants/tenant-config';
import { upstreamAccountOf } from '../../../src/imaging/upstream/upstream-account';
import { sharedWindowOf } from '../../../src/imaging/upstream/shared-bucket';
import {
  DEFAULT_READ_BUDGETS,
  DEFAULT_UPSTREAM_BUDGETS,
  parseReadBudgets,
} from '../../../src/imaging/upstream/upstream-budget-settings';

const env = { GATEWAY_ENV: 'development' };

function issuesOf(run: () => unknown): readonly string[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).issues;
  }
  throw new Error('accepted an invalid configuration');
}

describe('upstream budget settings', () => {
  it('default to HealthImaging’s documented quotas: 0.25 writes/s with a burst of 1, a 10 s queue', () => {
    const { upstreamBudgets } = loadConfig(env);
    expect(upstreamBudgets).toEqual(DEFAULT_UPSTREAM_BUDGETS);
    expect(upstreamBudgets.write).toEqual({ perSecond: 0.25, burst: 1 });
    expect(upstreamBudgets.writeQueueWaitMs).toBe(10_000);
    expect(upstreamBudgets.reads.GetImageSet).toEqual({ perSecond: 25, burst: 50 });
    expect(upstreamBudgets.reads.GetImageSetMetadata).toEqual({ perSecond: 50, burst: 100 });
  });

  it('read every UPSTREAM_* variable', () => {
    const { upstreamBudgets } = loadConfig({
      ...env,
      UPSTREAM_BUDGETS: 'off',
      UPSTREAM_WRITE_RATE_PER_SECOND: '4',
      UPSTREAM_WRITE_BURST: '2',
      UPSTREAM_WRITE_QUEUE_WAIT_MS: '3000',
      UPSTREAM_READ_BUDGETS: 'GetImageSet=50/100, GetImageFrame=0.5/1',
      UPSTREAM_READ_WAIT_MS: '500',
    });
    expect(upstreamBudgets).toMatchObject({
      enabled: false,
      write: { perSecond: 4, burst: 2 },
      writeQueueWaitMs: 3000,
      readWaitMs: 500,
    });
    expect(upstreamBudgets.reads.GetImageSet).toEqual({ perSecond: 50, burst: 100 });
    expect(upstreamBudgets.reads.GetImageFrame).toEqual({ perSecond: 0.5, burst: 1 });
    expect(upstreamBudgets.reads.SearchImageSets).toEqual(DEFAULT_READ_BUDGETS.SearchImageSets);
  });

  it('fail fast on invalid values, naming each variable', () => {
    const issues = issuesOf(() =>
      loadConfig({
        ...env,
        UPSTREAM_BUDGETS: 'maybe',
        UPSTREAM_WRITE_RATE_PER_SECOND: '1e3',
        UPSTREAM_WRITE_BURST: '0',
        UPSTREAM_READ_BUDGETS: 'GetImageSet=fast,CopyImageSet=1/1',
      }),
    );
    expect(issues).toEqual([
      'UPSTREAM_BUDGETS must be one of on, off (got "maybe")',
      'UPSTREAM_WRITE_RATE_PER_SECOND must be a number from 0.001 to 100000 (got "1e3")',
      'UPSTREAM_WRITE_BURST must be an integer from 1 to 1000000 (got "0")',
      'UPSTREAM_READ_BUDGETS: "GetImageSet=fast" is not Operation=RATE/BURST (e.g. GetImageSet=25/50)',
      expect.stringMatching(/^UPSTREAM_READ_BUDGETS: CopyImageSet is not a budgeted read/),
    ]);
  });

  it('set every read at once with *, later entries winning', () => {
    const parsed = parseReadBudgets('*=1000/2000,GetImageSet=5/5');
    if (!('budgets' in parsed)) throw new Error(parsed.issues.join('; '));
    expect(parsed.budgets.GetImageSetMetadata).toEqual({ perSecond: 1000, burst: 2000 });
    expect(parsed.budgets.GetImageSet).toEqual({ perSecond: 5, burst: 5 });
  });

  it('hold the shared window in whole seconds: exact for the write quota, a second’s worth below that', () => {
    expect(sharedWindowOf({ perSecond: 0.25, burst: 1 })).toEqual({ points: 1, durationSeconds: 4 });
    expect(sharedWindowOf({ perSecond: 25, burst: 50 })).toEqual({ points: 50, durationSeconds: 2 });
    expect(sharedWindowOf({ perSecond: 4, burst: 1 })).toEqual({ points: 4, durationSeconds: 1 });
    expect(sharedWindowOf({ perSecond: 0.3, burst: 1 })).toEqual({ points: 1, durationSeconds: 4 });
  });
});

describe('tenants-file quota sharing', () => {
  const tenantWith = (upstream: Record<string, unknown>) => ({
    tenants: [
      {
        id: 'acme',
        name: 'Acme',
        datastoreIds: ['a'.repeat(32)],
        upstream: { region: 'us-east-1', credentials: { type: 'default' }, ...upstream },
        apiKeys: [{ id: 'ci', sha256: 'b'.repeat(64), scopes: ['imagesets:read'] }],
      },
    ],
  });

  it('keeps a tenant’s weight and account name; both are optional (weight 1, the credentials’ account)', () => {
    const named = parseTenants(tenantWith({ quotaWeight: 3, quotaAccount: '123456789012' }), {});
    expect(named.byId('acme')?.upstream).toMatchObject({ quotaWeight: 3, quotaAccount: '123456789012' });
    const plain = parseTenants(tenantWith({}), {}).byId('acme')?.upstream;
    expect(plain).not.toHaveProperty('quotaWeight');
    expect(plain).not.toHaveProperty('quotaAccount');
  });

  it('names invalid values', () => {
    expect(issuesOf(() => parseTenants(tenantWith({ quotaWeight: 0, quotaAccount: 'no spaces' }), {}))).toEqual([
      'tenants[0].upstream.quotaWeight: must be an integer from 1 to 1000 (got 0)',
      expect.stringMatching(/^tenants\[0\]\.upstream\.quotaAccount: /),
    ]);
  });
});

describe('upstreamAccountOf', () => {
  const base: Pick<TenantUpstreamConfig, 'region' | 'credentials'> = {
    region: 'us-east-1',
    credentials: { type: 'default' },
  };
  const role = (name: string, account = '123456789012'): TenantUpstreamConfig['credentials'] => ({
    type: 'assumeRole',
    roleArn: `arn:aws:iam::${account}:role/${name}`,
  });
  const key = (accessKeyId: string): Pick<TenantUpstreamConfig, 'credentials' | 'resolvedStaticCredentials'> => ({
    credentials: { type: 'static', accessKeyIdEnv: 'K', secretAccessKeyEnv: 'S' },
    resolvedStaticCredentials: { accessKeyId, secretAccessKey: 'secret' },
  });

  it('puts roles of one AWS account together, and apart from another account or region', () => {
    const reader = upstreamAccountOf({ ...base, credentials: role('reader') });
    expect(upstreamAccountOf({ ...base, credentials: role('writer') })).toBe(reader);
    expect(upstreamAccountOf({ ...base, credentials: role('reader', '210987654321') })).not.toBe(reader);
    expect(upstreamAccountOf({ ...base, region: 'eu-west-1', credentials: role('reader') })).not.toBe(reader);
  });

  it('tells static keys apart by key id (unless the operator names their account), and hides the id', () => {
    const first = upstreamAccountOf({ ...base, ...key('AKIAFIRST0000000000A') });
    expect(upstreamAccountOf({ ...base, ...key('AKIAFIRST0000000000A') })).toBe(first);
    expect(upstreamAccountOf({ ...base, ...key('AKIASECOND000000000B') })).not.toBe(first);
    expect(first).not.toContain('AKIA');
    const named = (id: string) => upstreamAccountOf({ ...base, ...key(id), quotaAccount: '123456789012' });
    expect(named('AKIAFIRST0000000000A')).toBe(named('AKIASECOND000000000B'));
  });

  it('meters each endpoint apart: two HealthImaging Locals are two services', () => {
    const local = (endpoint: string) => upstreamAccountOf({ ...base, endpoint, ...key('AKIAFIRST0000000000A') });
    expect(local('http://127.0.0.1:4001')).not.toBe(local('http://127.0.0.1:4002'));
  });
});
