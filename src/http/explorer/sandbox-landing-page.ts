import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { BROWSE_QUERY } from './browse-query';
import type { ExplorerDefaults } from './explorer-page';

/**
 * Development's landing page: Apollo Sandbox (loaded from Apollo's CDN), opening on the Browse
 * query with the configured headers shared by every tab and the configured variables, so
 * `npm start`'s newcomer runs a query without pasting anything. Offline, /explorer does the same.
 */
export function sandboxLandingPage(defaults: ExplorerDefaults): ApolloServerPlugin {
  return ApolloServerPluginLandingPageLocalDefault({
    embed: {
      runTelemetry: false,
      ...(defaults.explorerDefaultHeaders
        ? { initialState: { sharedHeaders: { ...defaults.explorerDefaultHeaders } } }
        : {}),
    },
    footer: false,
    includeCookies: false,
    document: BROWSE_QUERY,
    ...(defaults.explorerDefaultVariables ? { variables: { ...defaults.explorerDefaultVariables } } : {}),
  });
}
