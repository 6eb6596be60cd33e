import { MetadataBudget } from '../../../src/imaging/metadata-budget';
import { ThrottledError } from '../../../src/errors/gateway-errors';
import { thrownBy } from '../../support/thrown-by';

describe('MetadataBudget', () => {
  it('lets requests hold documents up to the budget together, and refuses the one that would overdraw it', () => {
    const budget = new MetadataBudget(1000);
    const first = budget.openRequest();
    const second = budget.openRequest();
    first.charge(600);
    second.charge(300);
    expect(budget.usedBytes).toBe(900);
    const refused = thrownBy(() => second.charge(200), ThrottledError);
    expect(refused.extensions).toMatchObject({ code: 'THROTTLED', retryAfterSeconds: 1 });
    expect(budget.usedBytes).toBe(900);
  });

  it('gives back everything a request held when it ends, once', () => {
    const budget = new MetadataBudget(1000);
    const request = budget.openRequest();
    request.charge(400);
    request.charge(500);
    request.release();
    request.release();
    expect(budget.usedBytes).toBe(0);
    expect(() => budget.openRequest().charge(1000)).not.toThrow();
  });

  it('refuses charges after a request ended, so a late download cannot leak into the budget', () => {
    const budget = new MetadataBudget(1000);
    const request = budget.openRequest();
    request.release();
    expect(thrownBy(() => request.charge(10), ThrottledError).extensions.code).toBe('THROTTLED');
    expect(budget.usedBytes).toBe(0);
  });
});
