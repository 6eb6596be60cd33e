import type { GatewayContext } from '../context';
import { BadUserInputError } from '../errors/gateway-errors';
import type { ImageSetWatches } from './image-set-watches';

/** A subscription's context: a request's context, plus this replica's shared image set watches. */
export interface SubscriptionContext extends GatewayContext {
  imageSetWatches?: ImageSetWatches;
}

/** The watches, which only the WebSocket transport provides (HTTP never runs a subscription). */
export function imageSetWatchesOf(context: SubscriptionContext): ImageSetWatches {
  if (!context.imageSetWatches) {
    throw new BadUserInputError('Subscriptions are served over WebSocket (graphql-ws) on the GraphQL path.');
  }
  return context.imageSetWatches;
}
