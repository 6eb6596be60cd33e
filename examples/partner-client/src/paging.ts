/** The part of a Relay connection the kit pages with (forward only: `first` and `after`). */
export interface Connection<TNode> {
  edges: ReadonlyArray<{ cursor: string; node: TNode }>;
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
}

/**
 * Every page of a connection, in order: `fetchPage(after)` with `after` the previous page's
 * `endCursor`, until `hasNextPage` is false. A page may be short, even empty, while more follow
 * (HealthImaging filters after paging), so only `hasNextPage` ends the walk. Cursors are opaque:
 * pass them back unchanged; they expire (an hour by default), so walk a list promptly.
 */
export async function* pages<TNode>(
  fetchPage: (after: string | undefined) => Promise<Connection<TNode>>,
): AsyncGenerator<TNode[]> {
  let after: string | undefined;
  for (;;) {
    const page = await fetchPage(after);
    yield page.edges.map((edge) => edge.node);
    if (!page.pageInfo.hasNextPage) return;
    const next = page.pageInfo.endCursor ?? undefined;
    // A next page without a cursor to reach it would loop forever on the first page.
    if (next === undefined || next === after)
      throw new Error('The connection says more pages follow but gives no new cursor.');
    after = next;
  }
}

/** Every node of every page, with the number of nodes on each page. */
export async function collectPages<TNode>(
  walk: AsyncIterable<TNode[]>,
): Promise<{ nodes: TNode[]; pageSizes: number[] }> {
  const nodes: TNode[] = [];
  const pageSizes: number[] = [];
  for await (const page of walk) {
    nodes.push(...page);
    pageSizes.push(page.length);
  }
  return { nodes, pageSizes };
}
