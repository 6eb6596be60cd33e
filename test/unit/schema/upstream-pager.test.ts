import type { UpstreamPage } from '../../../src/imaging/records';
import { readUpstreamSlice, type UpstreamPosition } from '../../../src/resolvers/paging/upstream-pager';
import { present } from '../../support/present';

/** A forward-only listing over `items`: tokens are offsets, pages hold at most `maxResults`. */
function listing(items: string[]) {
  const calls: Array<{ maxResults: number; nextToken?: string }> = [];
  const fetch = async (page: { maxResults: number; nextToken?: string }): Promise<UpstreamPage<string>> => {
    calls.push(page);
    const start = page.nextToken === undefined ? 0 : Number(page.nextToken);
    const end = start + page.maxResults;
    return { items: items.slice(start, end), ...(end < items.length ? { nextToken: String(end) } : {}) };
  };
  return { fetch, calls };
}

async function readAll(items: string[], first: number): Promise<string[]> {
  const { fetch } = listing(items);
  const seen: string[] = [];
  let after: UpstreamPosition | undefined;
  for (let guard = 0; guard < 100; guard += 1) {
    const slice = await readUpstreamSlice(fetch, first, after);
    seen.push(...slice.items.map((entry) => entry.item));
    if (!slice.hasNextPage) return seen;
    after = slice.end;
  }
  throw new Error('did not finish');
}

const letters = Array.from({ length: 7 }, (_, index) => String.fromCharCode(97 + index));

describe('readUpstreamSlice', () => {
  it('asks upstream for one page of `first` items and reports the next position', async () => {
    const { fetch, calls } = listing(letters);
    const slice = await readUpstreamSlice(fetch, 3, undefined);
    expect(slice.items.map((entry) => entry.item)).toEqual(['a', 'b', 'c']);
    expect(slice.hasNextPage).toBe(true);
    expect(slice.end).toEqual({ token: '3', skip: 0 });
    expect(calls).toEqual([{ maxResults: 3 }]);
  });

  it.each([1, 2, 3, 7, 50])('visits every item exactly once with pages of %i', async (first) => {
    expect(await readAll(letters, first)).toEqual(letters);
  });

  it('resumes after an edge in the middle of a page by re-reading that page and skipping', async () => {
    const { fetch, calls } = listing(letters);
    const page = await readUpstreamSlice(fetch, 3, { token: '3', skip: 0 });
    const middle = present(page.items[0], 'a first item').after;
    expect(middle).toEqual({ token: '3', skip: 1 });
    const resumed = await readUpstreamSlice(fetch, 2, middle);
    expect(resumed.items.map((entry) => entry.item)).toEqual(['e', 'f']);
    expect(calls[calls.length - 1]).toEqual({ maxResults: 3, nextToken: '3' });
  });

  it('never asks upstream for more than 50 items', async () => {
    const many = Array.from({ length: 120 }, (_, index) => `item-${index}`);
    const { fetch, calls } = listing(many);
    const slice = await readUpstreamSlice(fetch, 50, { skip: 30 });
    expect(calls).toEqual([{ maxResults: 50 }]);
    expect(slice.items).toHaveLength(20);
    expect(present(slice.items[0], 'a first item').item).toBe('item-30');
    expect(slice.end).toEqual({ token: '50', skip: 0 });
  });

  it('ends with hasNextPage false and no end position on an empty listing', async () => {
    const { fetch } = listing([]);
    expect(await readUpstreamSlice(fetch, 5, undefined)).toEqual({ items: [], hasNextPage: false });
  });

  it('keeps going past an empty page that still carries a token', async () => {
    const fetch = async (page: { maxResults: number; nextToken?: string }): Promise<UpstreamPage<string>> =>
      page.nextToken === undefined ? { items: [], nextToken: 'later' } : { items: ['z'] };
    const slice = await readUpstreamSlice(fetch, 5, undefined);
    expect(slice).toEqual({ items: [], hasNextPage: true, end: { token: 'later', skip: 0 } });
    expect((await readUpstreamSlice(fetch, 5, slice.end)).items.map((entry) => entry.item)).toEqual(['z']);
  });
});
