import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayContext } from '../context';

/**
 * Says in the response when attributes were withheld for want of `phi:read`, so that a client
 * can tell "withheld" from "absent in the data": `extensions.phi = { withheld: true, categories,
 * reason }`. Responses that withheld nothing (and every response to a `phi:read` caller) are
 * left as they are.
 */
export function phiExtensionPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response }) {
          const withheld = contextValue.phi?.withheldOut();
          if (!withheld || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          result.extensions = { ...result.extensions, phi: withheld };
        },
      };
    },
  };
}
