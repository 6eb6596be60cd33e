import type { Connection } from '../../types/connection';

/** A slice of a list, with the position after each item and after the slice. */
export interface Slice<TItem, TPosition> {
  items: Array<{ item: TItem; after: TPosition }>;
  hasNextPage: boolean;
  end?: TPosition;
}

/** Turns a slice into a Relay connection, signing each position as a cursor. */
export function toConnection<TItem, TPosition, TNode>(
  slice: Slice<TItem, TPosition>,
  encode: (position: TPosition) => string,
  toNode: (item: TItem) => TNode,
): Connection<TNode> {
  return {
    edges: slice.items.map(({ item, after }) => ({ cursor: encode(after), node: toNode(item) })),
    pageInfo: {
      hasNextPage: slice.hasNextPage,
      endCursor: slice.end !== undefined ? encode(slice.end) : null,
    },
  };
}
