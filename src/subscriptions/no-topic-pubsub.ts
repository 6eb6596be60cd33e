import type { PubSub } from 'type-graphql';

/**
 * type-graphql refuses to build a schema with subscriptions unless given a PubSub, even when every
 * subscription brings its own `subscribe` function, as the gateway's do (their events come from
 * shared pollers, not topics). This one is that PubSub: any topic use is a programming error.
 */
export const NO_TOPIC_PUBSUB: PubSub = {
  publish() {
    throw new Error('Subscriptions here have no topics: they subscribe through their own function.');
  },
  subscribe() {
    throw new Error('Subscriptions here have no topics: they subscribe through their own function.');
  },
};
