import { ArgsType, Field, Int } from 'type-graphql';
import { MAX_UPSTREAM_PAGE_SIZE } from '../imaging/request-checks';
import { UPSTREAM_READ_COST } from '../limits/cost-weights';

export const DEFAULT_PAGE_SIZE = 20;
/** HealthImaging's own page bound: a page of a connection never needs more than one upstream page. */
export const MAX_PAGE_SIZE = MAX_UPSTREAM_PAGE_SIZE;

/** Relay forward pagination. HealthImaging only pages forward, so there is no `last`/`before`. */
@ArgsType()
export class ForwardPaginationArgs {
  @Field(() => Int, {
    nullable: true,
    defaultValue: DEFAULT_PAGE_SIZE,
    description: `How many items to return at most, 1 to ${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE}). A page may hold fewer items even when more follow.`,
  })
  first?: number | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Return items after this cursor (an `endCursor` or edge `cursor` from an earlier page of the same list).',
  })
  after?: string | null;
}

/**
 * Cost of a connection field for the operation cost limit: its children count once per item
 * the page may hold, so `first: 50` over a costly node weighs 50 times as much.
 */
export function connectionComplexity({
  args,
  childComplexity,
}: {
  args: Record<string, unknown>;
  childComplexity: number;
}): number {
  const first = typeof args.first === 'number' ? args.first : DEFAULT_PAGE_SIZE;
  return 1 + Math.max(1, first) * childComplexity;
}

/** The same for a connection whose every page is an upstream call (search, version history). */
export function upstreamConnectionComplexity(options: {
  args: Record<string, unknown>;
  childComplexity: number;
}): number {
  return UPSTREAM_READ_COST - 1 + connectionComplexity(options);
}
