import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
import { auditPlugin } from '../audit/audit-plugin';
import type { GatewayConfig } from '../config';
import type { GatewayContext } from '../context';
import type { FormatError } from '../errors/format-error';
import { requestIdPlugin } from '../errors/request-id-plugin';
import { outcomePlugin } from '../metrics/request-outcome';
import { phiExtensionPlugin } from '../phi/phi-extension.plugin';
import { sandboxLandingPage } from './explorer/sandbox-landing-page';
import { throttledStatusPlugin } from './throttled-status-plugin';

/** Apollo Server as the gateway runs it: executes what the request gate admitted, nothing more. */
export function createApolloServer(
  schema: GraphQLSchema,
  formatError: FormatError,
  config: Pick<GatewayConfig, 'introspection' | 'landingPage' | 'explorerDefaultHeaders' | 'explorerDefaultVariables'>,
): ApolloServer<GatewayContext> {
  return new ApolloServer<GatewayContext>({
    schema,
    formatError,
    includeStacktraceInErrorResponses: false,
    // Apollo's own SIGTERM handler would stop it at once (failing the requests the drain waits for)
    // and then kill the process by the signal (exit 143): main.ts owns shutdown.
    stopOnTerminationSignals: false,
    introspection: config.introspection,
    // Without introspection, "Did you mean …" suggestions would leak the schema piece by piece.
    hideSchemaDetailsFromClientErrors: !config.introspection,
    plugins: [
      // The gateway sets no cache hints and reports to no Apollo account; both defaults would
      // otherwise wrap every field resolution (cache control) or ship operations out (usage).
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginUsageReportingDisabled(),
      requestIdPlugin<GatewayContext>(),
      auditPlugin(),
      phiExtensionPlugin(),
      outcomePlugin(),
      throttledStatusPlugin(),
      config.landingPage ? sandboxLandingPage(config) : ApolloServerPluginLandingPageDisabled(),
    ],
  });
}
