import { SingleFlight } from '../../../src/imaging/upstream/single-flight';

describe('SingleFlight', () => {
  it('runs identical concurrent calls once and hands every caller the same result', async () => {
    const flight = new SingleFlight<object>();
    let runs = 0;
    const work = async (): Promise<object> => {
      runs += 1;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return {};
    };
    const [a, b] = await Promise.all([flight.run('k', work), flight.run('k', work)]);
    expect(runs).toBe(1);
    expect(b).toBe(a);
  });

  it('keeps calls with different keys apart', async () => {
    const flight = new SingleFlight<string>();
    const results = await Promise.all([flight.run('a', async () => 'A'), flight.run('b', async () => 'B')]);
    expect(results).toEqual(['A', 'B']);
  });

  it('forgets a call once it settles, failures included, so nothing is cached', async () => {
    const flight = new SingleFlight<string>();
    await expect(flight.run('k', async () => Promise.reject(new Error('upstream down')))).rejects.toThrow(
      'upstream down',
    );
    expect(flight.size).toBe(0);
    await expect(flight.run('k', async () => 'fresh')).resolves.toBe('fresh');
    expect(flight.size).toBe(0);
  });
});
