import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import { createRoot } from 'react-dom/client';
import 'graphiql/style.css';
import './page.css';
import { EXPLORER_ROOT_ELEMENT_ID } from '../../src/http/explorer/explorer-settings';
import { HeadersHelp } from './headers-help';
import { memoryStorage } from './memory-storage';
import { readSettings } from './settings';

/**
 * The offline explorer: GraphiQL bundled into this page's own script (scripts/build-explorer.ts),
 * talking only to the gateway that served it. Credentials are whatever the user puts in the
 * Headers editor; GraphiQL sends them with every operation and with the schema's introspection.
 */
const settings = readSettings(document);
const endpoint = new URL(settings.endpoint, window.location.href);
const socket = new URL(endpoint);
socket.protocol = endpoint.protocol === 'https:' ? 'wss:' : 'ws:';

const fetcher = createGraphiQLFetcher({
  url: endpoint.href,
  // Subscriptions go over graphql-ws on the same path; the headers editor's JSON becomes the
  // connection_init payload, the way HTTP requests carry it as headers.
  subscriptionUrl: socket.href,
  // The gateway answers plain JSON (no @defer or @stream), so no multipart reader is needed.
  enableIncrementalDelivery: false,
});

const root = document.getElementById(EXPLORER_ROOT_ELEMENT_ID);
if (root) {
  createRoot(root).render(
    <GraphiQL
      fetcher={fetcher}
      storage={memoryStorage()}
      defaultTabs={[{ query: settings.query, variables: settings.variables, headers: settings.headers }]}
      // GraphiQL fills the first tab's variables editor from this prop only, not from defaultTabs;
      // a constant string sets it once.
      variables={settings.variables}
      defaultHeaders={settings.headers}
      defaultEditorToolsVisibility="headers"
      isHeadersEditorEnabled
      shouldPersistHeaders={false}
      showPersistHeadersSettings={false}
    >
      <GraphiQL.Logo>HealthImaging GraphQL</GraphiQL.Logo>
      <GraphiQL.Footer>
        <HeadersHelp prefilled={settings.headersPrefilled} />
      </GraphiQL.Footer>
    </GraphiQL>,
  );
}
