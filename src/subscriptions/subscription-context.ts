import type { GatewayContext } from '../context';
import { BadUserInputError } from '../errors/gateway-errors';
import type { ImageSetWatches } from './image-set-watches';

/** A subscription's context: a request's context, plus this replica's shared image set watches. */
export interface SubscriptionContext extends GatewayContext {
  imageSetWatches?: ImageSetWatches;
}

/** A subscription document sent over HTTP, which runs it as a one-off query without events. */
export function notOverWebSocket(): BadUserInputError {
  return new BadUserInputError('Subscriptions are served over WebSocket (graphql-ws) on the GraphQL path.');
}

/** The watches, which only the WebSocket transport provides. */
export function imageSetWatchesOf(context: SubscriptionContext): ImageSetWatches {
  if (!context.imageSetWatches) throw notOverWebSocket();
  return context.imageSetWatches;
}
