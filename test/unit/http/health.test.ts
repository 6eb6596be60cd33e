import { Readiness, type ReadinessCheck } from '../../../src/http/health';

const check = (name: string, run: () => Promise<boolean>): ReadinessCheck => ({ name, check: run });

describe('Readiness', () => {
  it('is ready only when every check passes, and reports each by name without error text', async () => {
    const readiness = new Readiness([
      check('tenants', async () => true),
      check('auditStore', async () => {
        throw new Error('connect ECONNREFUSED 10.0.0.5:5432 password=hunter2');
      }),
      check('redis', async () => false),
    ]);
    const report = await readiness.report();
    expect(report).toEqual({ ready: false, checks: { tenants: 'ok', auditStore: 'failed', redis: 'failed' } });
    expect(await new Readiness([check('tenants', async () => true)]).report()).toEqual({
      ready: true,
      checks: { tenants: 'ok' },
    });
  });

  it('counts a check that does not answer in time as failed', async () => {
    const readiness = new Readiness([check('redis', () => new Promise<boolean>(() => undefined))], 20);
    expect(await readiness.report()).toEqual({ ready: false, checks: { redis: 'failed' } });
  });

  it('shares one run of the checks between concurrent probes, and runs them again afterwards', async () => {
    let runs = 0;
    const readiness = new Readiness([check('tenants', async () => (runs += 1) > 0)]);
    await Promise.all([readiness.report(), readiness.report(), readiness.report()]);
    expect(runs).toBe(1);
    await readiness.report();
    expect(runs).toBe(2);
  });
});
