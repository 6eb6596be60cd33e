import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { smallCtStudy, smallMrStudy } from '../../scripts/synthetic-studies';
import { hashApiKey } from '../../src/auth/authenticate';
import { SCOPES } from '../../src/auth/principal';
import { loadConfig } from '../../src/config';
import { createGateway, GRAPHQL_PATH, type Gateway } from '../../src/gateway';
import { closeRedis, connectRedis, redisReady } from '../../src/limits/rate-limits-redis';
import { GatewayMetrics } from '../../src/metrics/gateway-metrics';
import { loadTenants } from '../../src/tenants/tenants-file';
import { startTestHil, type TestHil } from './hil-client';
import { createActiveDatastore, importSyntheticStudy } from './hil-wait';

/**
 * Two tenants on ONE upstream account: acme and globex each have their own data store, but both
 * sign with the same HealthImaging Local access key, as several roles of one AWS account share its
 * quotas. HealthImaging Local meters that key (`setWriteQuota`), and gateways built here budget
 * the account (`FAIR_SHARE_ENV`). The fair-share tests and the two-replica test use these settings.
 */

export type FairTenant = 'acme' | 'globex';

/**
 * The account's write budget in the fair-share tests: 4 writes/s (sixteen times the real 0.25/s,
 * so a test runs in seconds), a burst of 1 as HealthImaging has, the default 10 s queue.
 */
export const FAIR_SHARE_ENV: Readonly<Record<string, string>> = Object.freeze({
  UPSTREAM_BUDGETS: 'on',
  UPSTREAM_WRITE_RATE_PER_SECOND: '4',
  UPSTREAM_WRITE_BURST: '1',
  UPSTREAM_WRITE_QUEUE_WAIT_MS: '10000',
});

/**
 * HealthImaging Local's quota for the same account: the same rate, with a burst of 2 so that
 * network jitter between two sends paced exactly 250 ms apart is not a throttle.
 */
export const FAIR_SHARE_HIL_QUOTA = Object.freeze({ rate: 4, burst: 2 });

const KEY_ID_ENV = 'SHARED_ACCOUNT_KEY_ID';
const SECRET_ENV = 'SHARED_ACCOUNT_SECRET';

export interface SharedAccountUpstream {
  hil: TestHil;
  datastores: Record<FairTenant, string>;
  /** Image sets of the study imported for each tenant (one per series). */
  imageSets: Record<FairTenant, string[]>;
  apiKeys: Record<FairTenant, string>;
  /** The tenants file (both tenants on the shared key) and the variables it names. */
  tenantsFile: string;
  tenantsEnv: Record<string, string>;
  /** Meters the shared key's three write operations at `rate`/s with `burst`, as HealthImaging does. */
  setWriteQuota(quota: { rate: number; burst: number }): void;
  /** Calls of an operation HealthImaging Local received on the shared key since start. */
  upstreamCalls(operation: string): number;
  close(): Promise<void>;
}

export async function startSharedAccountUpstream(): Promise<SharedAccountUpstream> {
  const hil = await startTestHil();
  const workDir = mkdtempSync(join(tmpdir(), 'fair-share-'));
  try {
    const admin = hil.client();
    const datastores = {
      acme: await createActiveDatastore(admin, 'fair-acme'),
      globex: await createActiveDatastore(admin, 'fair-globex'),
    };
    const key = { accessKeyId: 'AKIASHAREDACCOUNT001', secretAccessKey: randomBytes(24).toString('base64url') };
    hil.hil.admin.accessKeys.add({ ...key, datastores: [datastores.acme, datastores.globex] });
    const imported = async (tenant: FairTenant) =>
      (
        await importSyntheticStudy(
          admin,
          hil.s3Dir,
          datastores[tenant],
          tenant === 'acme' ? smallCtStudy : smallMrStudy,
          `fair-${tenant}`,
        )
      ).imageSetIds;
    const imageSets = { acme: await imported('acme'), globex: await imported('globex') };

    const apiKeys = {
      acme: `acme-${randomBytes(18).toString('base64url')}`,
      globex: `globex-${randomBytes(18).toString('base64url')}`,
    };
    const tenant = (id: FairTenant, name: string) => ({
      id,
      name,
      datastoreIds: [datastores[id]],
      upstream: {
        region: 'us-east-1',
        endpoint: hil.url,
        credentials: { type: 'static', accessKeyIdEnv: KEY_ID_ENV, secretAccessKeyEnv: SECRET_ENV },
        maxReadAttempts: 1,
      },
      apiKeys: [{ id: `${id}-client`, sha256: hashApiKey(apiKeys[id]), scopes: [...SCOPES] }],
    });
    const tenantsFile = join(workDir, 'tenants.json');
    writeFileSync(
      tenantsFile,
      JSON.stringify({ tenants: [tenant('acme', 'Acme Radiology'), tenant('globex', 'Globex Imaging')] }),
    );
    return {
      hil,
      datastores,
      imageSets,
      apiKeys,
      tenantsFile,
      tenantsEnv: { [KEY_ID_ENV]: key.accessKeyId, [SECRET_ENV]: key.secretAccessKey },
      setWriteQuota: (quota) =>
        hil.hil.admin.rateLimits.set({ UpdateImageSetMetadata: quota, CopyImageSet: quota, DeleteImageSet: quota }),
      upstreamCalls: (operation) =>
        (hil.hil.admin.stats().accessKeys[key.accessKeyId] as Record<string, number> | undefined)?.[operation] ?? 0,
      close: async () => {
        rmSync(workDir, { recursive: true, force: true });
        await hil.close();
      },
    };
  } catch (error) {
    rmSync(workDir, { recursive: true, force: true });
    await hil.close();
    throw error;
  }
}

export interface GqlAnswer {
  status: number;
  /** The `Retry-After` header, when the answer had one. */
  retryAfter?: string;
  data?: Record<string, any> | null;
  errors?: Array<{ message: string; extensions?: Record<string, any> }>;
}

export interface FairShareGateway {
  gateway: Gateway;
  metrics: GatewayMetrics;
  /** POSTs a GraphQL request as a tenant (its API key). */
  gql(tenant: FairTenant, query: string, variables?: Record<string, unknown>): Promise<GqlAnswer>;
  close(): Promise<void>;
}

/** A gateway in this process over the shared account, on port 0; `env` adds to `FAIR_SHARE_ENV`. */
export async function startFairShareGateway(
  upstream: SharedAccountUpstream,
  env: Record<string, string> = {},
): Promise<FairShareGateway> {
  const config = loadConfig({
    GATEWAY_ENV: 'test',
    CURSOR_SECRET: randomBytes(32).toString('base64url'),
    TENANTS_FILE: upstream.tenantsFile,
    LOG_LEVEL: 'silent',
    ...FAIR_SHARE_ENV,
    ...env,
  });
  const redis = config.redisUrl !== undefined ? connectRedis(config.redisUrl) : undefined;
  if (redis) await redisReady(redis, 2000);
  const metrics = new GatewayMetrics({ processMetrics: false });
  const gateway = await createGateway(config, {
    registry: loadTenants(upstream.tenantsFile, upstream.tenantsEnv),
    metrics,
    ...(redis ? { redis } : {}),
  });
  await gateway.start();
  const server: Server = createServer(gateway.handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}${GRAPHQL_PATH}`;
  return {
    gateway,
    metrics,
    gql: async (tenant, query, variables) => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': upstream.apiKeys[tenant] },
        body: JSON.stringify({ query, ...(variables ? { variables } : {}) }),
      });
      const retryAfter = response.headers.get('retry-after');
      return {
        status: response.status,
        ...(retryAfter !== null ? { retryAfter } : {}),
        ...((await response.json()) as Omit<GqlAnswer, 'status' | 'retryAfter'>),
      };
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await gateway.stop();
      if (redis) await closeRedis(redis);
    },
  };
}
