import { BadUserInputError, NotFoundError, ThrottledError } from '../../../src/errors/gateway-errors';
import { existingDatastores } from '../../../src/resolvers/request/granted-datastores';
import { pageSize } from '../../../src/resolvers/paging/page-size';

describe('pageSize', () => {
  it('defaults to 20 and accepts 1 to 50', () => {
    expect(pageSize(undefined)).toBe(20);
    expect(pageSize(null)).toBe(20);
    expect(pageSize(1)).toBe(1);
    expect(pageSize(50)).toBe(50);
  });

  it.each([0, -1, 51, 2.5])('refuses %p', (first) => {
    expect(() => pageSize(first)).toThrow(BadUserInputError);
  });
});

describe('existingDatastores', () => {
  const record = { datastoreId: 'a'.repeat(32), name: 'a', status: 'ACTIVE' };

  it('leaves out granted data stores HealthImaging no longer knows', () => {
    expect(existingDatastores([record, new NotFoundError()])).toEqual([record]);
  });

  it('fails the list on any other error rather than hiding an outage', () => {
    expect(() => existingDatastores([record, new ThrottledError()])).toThrow(ThrottledError);
  });
});
