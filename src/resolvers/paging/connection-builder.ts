import type { Connection } from '../../types/connection';

/** A slice of a list, with the position after each item and after the slice. */
export interface Slice<TItem, TPosition> {
  items: Array<{ item: TItem; after: TPosition }>;
  hasNextPage: boolean;
  end?: TPosition;
}

/**
 * Turns a slice into a Relay connection. Each cursor costs an HMAC, and most queries select no
 * cursor but `endCursor`, so positions are signed only when a cursor field is actually resolved.
 */
export function toConnection<TItem, TPosition, TNode>(
  slice: Slice<TItem, TPosition>,
  encode: (position: TPosition) => string,
  toNode: (item: TItem) => TNode,
): Connection<TNode> {
  return {
    edges: slice.items.map(({ item, after }) => ({
      node: toNode(item),
      get cursor(): string {
        return encode(after);
      },
    })),
    pageInfo: {
      hasNextPage: slice.hasNextPage,
      get endCursor(): string | null {
        return slice.end !== undefined ? encode(slice.end) : null;
      },
    },
  };
}
