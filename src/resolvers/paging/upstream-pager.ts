import type { UpstreamPage } from '../../imaging/records';
import { MAX_UPSTREAM_PAGE_SIZE } from '../../imaging/request-checks';

/**
 * A position in a forward-only upstream listing: the token that fetched a page and how many of
 * that page's items lie before the position. It lets every edge carry a real cursor although
 * HealthImaging only hands out one token per page: resuming after the k-th item of a page
 * re-fetches that page and skips k items.
 */
export interface UpstreamPosition {
  token?: string;
  skip: number;
}

export interface PagedItem<T> {
  item: T;
  /** The position right after this item. */
  after: UpstreamPosition;
}

export interface UpstreamSlice<T> {
  items: Array<PagedItem<T>>;
  hasNextPage: boolean;
  /** Where the next page starts; undefined when nothing follows and the slice is empty. */
  end?: UpstreamPosition;
}

export type FetchUpstreamPage<T> = (page: { maxResults: number; nextToken?: string }) => Promise<UpstreamPage<T>>;

/**
 * Reads up to `first` items after `after`. Asks upstream for `skip + first` items (capped at the
 * upstream maximum), so one call serves the page; a page may therefore hold fewer than `first`
 * items, which Relay allows.
 */
export async function readUpstreamSlice<T>(
  fetch: FetchUpstreamPage<T>,
  first: number,
  after: UpstreamPosition | undefined,
): Promise<UpstreamSlice<T>> {
  const skip = after?.skip ?? 0;
  const token = after?.token;
  const maxResults = Math.min(MAX_UPSTREAM_PAGE_SIZE, skip + first);
  const page = await fetch({ maxResults, ...(token !== undefined ? { nextToken: token } : {}) });
  const taken = page.items.slice(skip, skip + first);
  const lastIndex = page.items.length - 1;
  const items = taken.map((item, offset) => {
    const index = skip + offset;
    const position: UpstreamPosition =
      index === lastIndex && page.nextToken !== undefined
        ? { token: page.nextToken, skip: 0 }
        : { ...(token !== undefined ? { token } : {}), skip: index + 1 };
    return { item, after: position };
  });
  const consumed = skip + taken.length;
  const hasNextPage = page.nextToken !== undefined || consumed < page.items.length;
  const last = items[items.length - 1];
  const end = last ? last.after : page.nextToken !== undefined ? { token: page.nextToken, skip: 0 } : undefined;
  return { items, hasNextPage, ...(end ? { end } : {}) };
}
