import { readOffsetSlice } from '../../../src/resolvers/paging/offset-pager';

describe('readOffsetSlice', () => {
  const items = ['a', 'b', 'c', 'd', 'e'];

  it('returns `first` items after the offset with the offset after each', () => {
    expect(readOffsetSlice(items, 2, 1)).toEqual({
      items: [
        { item: 'b', after: 2 },
        { item: 'c', after: 3 },
      ],
      hasNextPage: true,
      end: 3,
    });
  });

  it('ends the list with hasNextPage false', () => {
    expect(readOffsetSlice(items, 10, 3)).toEqual({
      items: [
        { item: 'd', after: 4 },
        { item: 'e', after: 5 },
      ],
      hasNextPage: false,
      end: 5,
    });
  });

  it('answers an empty page past the end', () => {
    expect(readOffsetSlice(items, 2, 99)).toEqual({ items: [], hasNextPage: false });
  });
});
