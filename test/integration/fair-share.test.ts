import { expectToldToWait, fairShareRun, GLOBEX_UPDATES, type TenantGql } from '../support/fair-share-load';
import { parsePrometheusText, sampleValue } from '../support/prometheus-text';
import {
  FAIR_SHARE_HIL_QUOTA,
  startFairShareGateway,
  startSharedAccountUpstream,
  type FairShareGateway,
  type SharedAccountUpstream,
} from '../support/fair-share-upstream';

/**
 * Two tenants share one upstream account whose write quota HealthImaging Local enforces (4/s here,
 * as the gateway is told). acme sends ten times its share of updates; globex's updates must still
 * succeed at least 90% as often as when globex writes alone. Everything goes over real HTTP to the
 * gateway and through the real SDK to HealthImaging Local.
 */

describe('fair share of one upstream account’s write quota', () => {
  let upstream: SharedAccountUpstream;
  let gateway: FairShareGateway;

  beforeAll(async () => {
    upstream = await startSharedAccountUpstream();
    upstream.setWriteQuota(FAIR_SHARE_HIL_QUOTA);
    gateway = await startFairShareGateway(upstream);
  }, 60_000);

  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
  });

  const gql: TenantGql = (tenant, query, variables) => gateway.gql(tenant, query, variables);

  it('keeps globex’s write success within 90% of its solo rate while acme sends ten times its share', async () => {
    const { solo, underAttack, acmeAnswers } = await fairShareRun(upstream, { globex: gql, acme: gql });
    expect(solo).toBeGreaterThan(0);
    expect(underAttack).toBeGreaterThanOrEqual(0.9 * solo);

    // acme was told to come back later rather than spend globex's share, as the rate limits say it.
    expectToldToWait(acmeAnswers);

    const samples = parsePrometheusText((await gateway.metrics.scrape()).body);
    expect(sampleValue(samples, 'gateway_throttles_total', { reason: 'upstream_write_queue' })).toBeGreaterThan(0);
    expect(
      sampleValue(samples, 'gateway_upstream_write_queue_wait_seconds_count', { tenant: 'globex' }),
    ).toBeGreaterThanOrEqual(2 * GLOBEX_UPDATES);
    expect(sampleValue(samples, 'gateway_upstream_write_queue_depth', { tenant: 'acme' })).toBe(0);
    expect(sampleValue(samples, 'gateway_upstream_write_queue_depth', { tenant: 'globex' })).toBe(0);
  }, 90_000);
});
