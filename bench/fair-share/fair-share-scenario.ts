import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { GetImageSetCommand, SearchImageSetsCommand, type MedicalImagingClient } from '@aws-sdk/client-medical-imaging';
import { createActiveDatastore, importStudies } from '../../scripts/hil-provisioning';
import { smallCtStudy, smallMrStudy, type SyntheticStudySpec } from '../../scripts/synthetic-studies';
import { hashApiKey } from '../../src/auth/authenticate';
import { SCOPES } from '../../src/auth/principal';
import { loadConfig } from '../../src/config';
import { createGateway, GRAPHQL_PATH } from '../../src/gateway';
import { GatewayMetrics } from '../../src/metrics/gateway-metrics';
import { loadTenants } from '../../src/tenants/tenants-file';
import { setupClient } from '../fixture/hil-client';
import { HilProcess } from '../hil/hil-process';
import { httpRequest } from '../lib/http-client';
import { quantileSorted, round } from '../lib/stats';

/**
 * Fair share of one upstream account's write quota (issue 8): two tenants, acme (A) and globex
 * (B), sign with the same HealthImaging Local key, whose write quota is on. B writes at its share
 * (half the account's rate) alone, then while A sends ten times its share; the same again with the
 * gateway's budgets off, to show what the scheduler buys. The gateway runs in this process (its
 * metrics observer records every write's queue wait), HealthImaging Local in its own.
 *
 *   npm run build && node dist/bench/fair-share/run.js
 */

export interface FairShareOptions {
  log: (line: string) => void;
  /** The account's write rate, at the gateway and at HealthImaging Local (default 4/s: seconds, not minutes). */
  ratePerSecond?: number;
  /** B's updates per phase (default 12). */
  updates?: number;
}

export interface PhaseFigures {
  budgets: 'on' | 'off';
  /** B's updates that succeeded, alone and under A's attack. */
  soloSuccess: number;
  attackSuccess: number;
  updates: number;
  /** B's request latency under attack, ms. */
  attackLatencyMs: { p50: number; p99: number };
  /** A's requests during the attack, and how they ended. */
  attacker: { sent: number; ok: number; throttled: number; other: number };
  /** Calls HealthImaging Local throttled (429) during the phase, as the gateway counted them. */
  upstreamThrottles: number;
  /** Seconds each tenant's writes waited in the account's queue (budgets on only). */
  queueWaitSeconds?: Record<'acme' | 'globex', { count: number; p50: number; p99: number }>;
}

export interface FairShareFigures {
  ratePerSecond: number;
  phases: PhaseFigures[];
}

const UPDATE = `mutation ($input: UpdateImageSetMetadataInput!) {
  updateImageSetMetadata(input: $input) { imageSet { imageSetId latestVersionId } }
}`;

type Tenant = 'acme' | 'globex';

interface Answer {
  ok: boolean;
  code?: string;
}

/** Records every write's queue wait besides the Prometheus histogram. */
class RecordingMetrics extends GatewayMetrics {
  readonly waits: Record<string, number[]> = {};
  override writeAdmitted(tenantId: string, seconds: number): void {
    super.writeAdmitted(tenantId, seconds);
    (this.waits[tenantId] ??= []).push(seconds);
  }

  clearWaits(): void {
    for (const key of Object.keys(this.waits)) delete this.waits[key];
  }
}

export async function runFairShareScenario(options: FairShareOptions): Promise<FairShareFigures> {
  const { log } = options;
  const ratePerSecond = options.ratePerSecond ?? 4;
  const updates = options.updates ?? 12;
  const workDir = mkdtempSync(join(tmpdir(), 'fair-share-bench-'));
  const s3Dir = join(workDir, 's3');
  mkdirSync(s3Dir);
  const accessKey = {
    accessKeyId: `AKIAFAIR${randomBytes(6).toString('hex').toUpperCase()}`,
    secretAccessKey: randomBytes(30).toString('base64url'),
  };
  const hil = await HilProcess.start({ s3Dir, accessKey });
  try {
    const client = setupClient(hil.url, accessKey);
    log('fair share: two tenants on one account, importing a study each…');
    const datastores = {
      acme: await createActiveDatastore(client, 'fair-acme'),
      globex: await createActiveDatastore(client, 'fair-globex'),
    };
    const imageSets = {
      acme: await importOne(client, s3Dir, datastores.acme, smallCtStudy),
      globex: await importOne(client, s3Dir, datastores.globex, smallMrStudy),
    };
    const apiKeys = {
      acme: `acme-${randomBytes(18).toString('base64url')}`,
      globex: `g-${randomBytes(18).toString('base64url')}`,
    };
    const tenantsFile = join(workDir, 'tenants.json');
    writeFileSync(tenantsFile, JSON.stringify(tenantsOf(hil.url, datastores, apiKeys)));
    const tenantsEnv = { FAIR_KEY_ID: accessKey.accessKeyId, FAIR_SECRET: accessKey.secretAccessKey };

    const phases: PhaseFigures[] = [];
    for (const budgets of ['on', 'off'] as const) {
      // Setting the limits again empties HealthImaging Local's buckets: each phase starts alike.
      await setWriteQuota(hil.url, ratePerSecond);
      const metrics = new RecordingMetrics({ processMetrics: false });
      const gateway = await startGateway(tenantsFile, tenantsEnv, metrics, {
        UPSTREAM_BUDGETS: budgets,
        UPSTREAM_WRITE_RATE_PER_SECOND: String(ratePerSecond),
        UPSTREAM_WRITE_BURST: '1',
      });
      try {
        const send = (tenant: Tenant, input: Record<string, unknown>): Promise<Answer> =>
          gateway.gql(apiKeys[tenant], UPDATE, { input });
        const writer = { client, datastoreId: datastores.globex, imageSetId: imageSets.globex[0] ?? '' };
        // B's pace: half the account's rate, its fair share.
        const interval = 2000 / ratePerSecond;
        log(`  budgets ${budgets}: globex alone, ${updates} updates at ${ratePerSecond / 2}/s…`);
        const solo = await paced(writer, updates, interval, (input) => send('globex', input));
        const throttlesBefore = upstreamThrottles(await metrics.scrape());
        // The waits reported are those under attack.
        metrics.clearWaits();

        log(`  budgets ${budgets}: acme sends ${ratePerSecond * 5}/s (ten times its share) while globex writes…`);
        let stop = false;
        const flood = attack(
          () => stop,
          1000 / (ratePerSecond * 5),
          datastores.acme,
          imageSets.acme,
          (input) => send('acme', input),
        );
        await sleep(1000);
        const underAttack = await paced(writer, updates, interval, (input) => send('globex', input));
        stop = true;
        const attackerAnswers = await flood;
        const throttles = upstreamThrottles(await metrics.scrape()) - throttlesBefore;

        const sorted = [...underAttack.latenciesMs].sort((a, b) => a - b);
        const phase: PhaseFigures = {
          budgets,
          soloSuccess: solo.succeeded,
          attackSuccess: underAttack.succeeded,
          updates,
          attackLatencyMs: { p50: round(quantileSorted(sorted, 0.5), 0), p99: round(quantileSorted(sorted, 0.99), 0) },
          attacker: {
            sent: attackerAnswers.length,
            ok: attackerAnswers.filter((answer) => answer.ok).length,
            throttled: attackerAnswers.filter((answer) => answer.code === 'THROTTLED').length,
            other: attackerAnswers.filter((answer) => !answer.ok && answer.code !== 'THROTTLED').length,
          },
          upstreamThrottles: throttles,
          ...(budgets === 'on' ? { queueWaitSeconds: waitFigures(metrics.waits) } : {}),
        };
        phases.push(phase);
        log(`  ${describePhase(phase)}`);
      } finally {
        await gateway.close();
      }
    }
    return { ratePerSecond, phases };
  } finally {
    await hil.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

export function describePhase(phase: PhaseFigures): string {
  const waits = phase.queueWaitSeconds;
  const wait = waits
    ? `; queue wait globex p50 ${waits.globex.p50} s p99 ${waits.globex.p99} s, acme p50 ${waits.acme.p50} s p99 ${waits.acme.p99} s`
    : '';
  return (
    `budgets ${phase.budgets}: globex ${phase.soloSuccess}/${phase.updates} alone, ${phase.attackSuccess}/${phase.updates} under attack ` +
    `(p50 ${phase.attackLatencyMs.p50} ms, p99 ${phase.attackLatencyMs.p99} ms); acme ${phase.attacker.sent} sent, ` +
    `${phase.attacker.ok} ok, ${phase.attacker.throttled} THROTTLED, ${phase.attacker.other} other; ` +
    `${phase.upstreamThrottles} upstream throttles${wait}`
  );
}

async function importOne(
  client: MedicalImagingClient,
  s3Dir: string,
  datastoreId: string,
  spec: SyntheticStudySpec,
): Promise<string[]> {
  await importStudies(client, { s3Dir, datastoreId, studies: [spec], bucket: 'fair', prefix: datastoreId });
  const found = await client.send(new SearchImageSetsCommand({ datastoreId, maxResults: 50 }));
  return (found.imageSetsMetadataSummaries ?? []).map((summary) => summary.imageSetId ?? '');
}

function tenantsOf(endpoint: string, datastores: Record<Tenant, string>, apiKeys: Record<Tenant, string>): unknown {
  const tenant = (id: Tenant) => ({
    id,
    name: id,
    datastoreIds: [datastores[id]],
    upstream: {
      region: 'us-east-1',
      endpoint,
      // One key for both: one account, one quota.
      credentials: { type: 'static', accessKeyIdEnv: 'FAIR_KEY_ID', secretAccessKeyEnv: 'FAIR_SECRET' },
      maxReadAttempts: 1,
    },
    apiKeys: [{ id: `${id}-client`, sha256: hashApiKey(apiKeys[id]), scopes: [...SCOPES] }],
  });
  return { tenants: [tenant('acme'), tenant('globex')] };
}

/** HealthImaging Local meters the key's writes at the rate, with a burst of 2 (network jitter between paced sends). */
async function setWriteQuota(url: string, ratePerSecond: number): Promise<void> {
  const quota = `${ratePerSecond}/2`;
  const spec = `UpdateImageSetMetadata=${quota},CopyImageSet=${quota},DeleteImageSet=${quota}`;
  const response = await httpRequest(url, {
    method: 'POST',
    path: '/_hil/rate-limits',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ spec }),
  });
  if (response.status !== 200) throw new Error(`HealthImaging Local refused the rate limits (${response.status})`);
}

interface RunningGateway {
  gql(apiKey: string, query: string, variables: Record<string, unknown>): Promise<Answer>;
  close(): Promise<void>;
}

async function startGateway(
  tenantsFile: string,
  tenantsEnv: Record<string, string>,
  metrics: GatewayMetrics,
  env: Record<string, string>,
): Promise<RunningGateway> {
  const config = loadConfig({
    GATEWAY_ENV: 'production',
    CURSOR_SECRET: randomBytes(32).toString('base64url'),
    TENANTS_FILE: tenantsFile,
    LOG_LEVEL: 'silent',
    ...env,
  });
  const gateway = await createGateway(config, { registry: loadTenants(tenantsFile, tenantsEnv), metrics });
  await gateway.start();
  const server: Server = createServer(gateway.handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${GRAPHQL_PATH}`;
  return {
    gql: async (apiKey, query, variables) => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as { errors?: Array<{ extensions?: { code?: string } }> };
      const code = body.errors?.[0]?.extensions?.code;
      return code === undefined ? { ok: true } : { ok: false, code };
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await gateway.stop();
    },
  };
}

interface Writer {
  client: MedicalImagingClient;
  datastoreId: string;
  imageSetId: string;
}

/** B's valid updates, one after another every `intervalMs` (or as soon as the previous answered). */
async function paced(
  writer: Writer,
  count: number,
  intervalMs: number,
  send: (input: Record<string, unknown>) => Promise<Answer>,
): Promise<{ succeeded: number; latenciesMs: number[] }> {
  let latestVersionId = await unlockedVersion(writer);
  let succeeded = 0;
  const latenciesMs: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const answer = await send({
      datastoreId: writer.datastoreId,
      imageSetId: writer.imageSetId,
      latestVersionId,
      updates: { study: { StudyDescription: `FAIR SHARE ${i}` } },
    });
    latenciesMs.push(performance.now() - started);
    if (answer.ok) {
      succeeded += 1;
      latestVersionId = await unlockedVersion(writer);
    }
    await sleep(Math.max(0, started + intervalMs - performance.now()));
  }
  return { succeeded, latenciesMs };
}

async function unlockedVersion(writer: Writer): Promise<string> {
  for (;;) {
    const got = await writer.client.send(
      new GetImageSetCommand({ datastoreId: writer.datastoreId, imageSetId: writer.imageSetId }),
    );
    if (got.imageSetState !== 'LOCKED') return got.versionId ?? '1';
    await sleep(10);
  }
}

/**
 * A's flood: stale updates of its own image sets and updates of image sets that do not exist, every
 * `intervalMs` until stopped. Each reaches HealthImaging and spends the quota (a conflict, a
 * not-found); the unknown ids keep A's calls from queueing behind each other per image set.
 */
async function attack(
  stopped: () => boolean,
  intervalMs: number,
  datastoreId: string,
  imageSets: string[],
  send: (input: Record<string, unknown>) => Promise<Answer>,
): Promise<Answer[]> {
  const answers: Array<Promise<Answer>> = [];
  for (let i = 0; !stopped(); i++) {
    const stale = i % 4 === 0 && imageSets.length > 0;
    answers.push(
      send({
        datastoreId,
        imageSetId: stale ? (imageSets[i % imageSets.length] ?? '') : randomBytes(16).toString('hex'),
        latestVersionId: stale ? '99' : '1',
        updates: { study: { StudyDescription: 'FLOOD' } },
      }),
    );
    await sleep(intervalMs);
  }
  return Promise.all(answers);
}

function upstreamThrottles(scrape: { body: string }): number {
  let total = 0;
  for (const line of scrape.body.split('\n')) {
    if (line.startsWith('gateway_upstream_calls_total{') && line.includes('outcome="throttled"')) {
      total += Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return total;
}

function waitFigures(waits: Record<string, number[]>): NonNullable<PhaseFigures['queueWaitSeconds']> {
  const of = (tenant: Tenant) => {
    const sorted = [...(waits[tenant] ?? [])].sort((a, b) => a - b);
    return {
      count: sorted.length,
      p50: round(quantileSorted(sorted, 0.5), 3),
      p99: round(quantileSorted(sorted, 0.99), 3),
    };
  };
  return { acme: of('acme'), globex: of('globex') };
}
