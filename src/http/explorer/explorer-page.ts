import type { GatewayConfig } from '../../config';
import { BROWSE_DATASTORE_VARIABLE, BROWSE_QUERY } from './browse-query';
import type { ExplorerManifest } from './explorer-bundle';
import { EXPLORER_ROOT_ELEMENT_ID, EXPLORER_SETTINGS_ELEMENT_ID, type ExplorerSettings } from './explorer-settings';

export const EXPLORER_PATH = '/explorer';
export const EXPLORER_ASSETS_PATH = `${EXPLORER_PATH}/assets/`;

/**
 * Only the gateway's own origin: its script and stylesheet, fetch and WebSocket to /graphql. GraphiQL's
 * fonts and icons are data: URLs inside its stylesheet; the settings are a JSON data block, which
 * `script-src` does not govern, so no inline script runs.
 */
export const EXPLORER_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** What the explorers open with (development's embedded default sets both). */
export type ExplorerDefaults = Pick<GatewayConfig, 'explorerDefaultHeaders' | 'explorerDefaultVariables'>;

/** The editors' first contents: the Browse query, and the configured headers and variables. */
export function explorerSettingsOf(endpoint: string, defaults: ExplorerDefaults): ExplorerSettings {
  return {
    endpoint,
    query: BROWSE_QUERY,
    variables: JSON.stringify(defaults.explorerDefaultVariables ?? { [BROWSE_DATASTORE_VARIABLE]: '' }, null, 2),
    headers: JSON.stringify(defaults.explorerDefaultHeaders ?? {}, null, 2),
    headersPrefilled: Object.keys(defaults.explorerDefaultHeaders ?? {}).length > 0,
  };
}

export function renderExplorerPage(settings: ExplorerSettings, manifest: ExplorerManifest): string {
  const asset = (name: string): string => escapeAttribute(`${EXPLORER_ASSETS_PATH}${name}`);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>HealthImaging GraphQL explorer</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${asset(manifest.stylesheet)}">
<script type="application/json" id="${EXPLORER_SETTINGS_ELEMENT_ID}">${jsonForHtml(settings)}</script>
<script defer src="${asset(manifest.script)}"></script>
</head>
<body>
<div id="${EXPLORER_ROOT_ELEMENT_ID}"><noscript>The explorer needs JavaScript.</noscript></div>
</body>
</html>
`;
}

/** JSON that cannot end its `<script>` element or open a comment, whatever a header value holds. */
function jsonForHtml(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}
