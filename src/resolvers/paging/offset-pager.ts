/** Forward pagination over a list held in memory (a decoded metadata document), by offset. */
export interface OffsetSlice<T> {
  items: Array<{ item: T; after: number }>;
  hasNextPage: boolean;
  end?: number;
}

export function readOffsetSlice<T>(all: readonly T[], first: number, after: number | undefined): OffsetSlice<T> {
  const start = Math.min(after ?? 0, all.length);
  const items = all.slice(start, start + first).map((item, index) => ({ item, after: start + index + 1 }));
  const last = items[items.length - 1];
  return {
    items,
    hasNextPage: start + items.length < all.length,
    ...(last ? { end: last.after } : {}),
  };
}
