/**
 * What the gateway tells the explorer page (web/explorer/) when it serves it: a JSON data block in
 * the page, so no inline script is needed and the Content-Security-Policy stays `script-src 'self'`.
 * Shared by the server and the browser bundle, so it imports nothing.
 */
export interface ExplorerSettings {
  /** The GraphQL endpoint's path on the page's own origin. */
  endpoint: string;
  /** The query editor's first text. */
  query: string;
  /** The variables editor's first text (JSON). */
  variables: string;
  /** The headers editor's first text (JSON). */
  headers: string;
  /** True when `headers` already holds a credential (development's embedded default). */
  headersPrefilled: boolean;
}

/** The id of the `<script type="application/json">` element holding the settings. */
export const EXPLORER_SETTINGS_ELEMENT_ID = 'explorer-settings';
/** The id of the element GraphiQL renders into. */
export const EXPLORER_ROOT_ELEMENT_ID = 'explorer';
