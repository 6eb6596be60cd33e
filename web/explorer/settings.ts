import { EXPLORER_SETTINGS_ELEMENT_ID, type ExplorerSettings } from '../../src/http/explorer/explorer-settings';

/** The settings the gateway put in the page; a page without them still opens, empty. */
export function readSettings(document: Document): ExplorerSettings {
  const fallback: ExplorerSettings = {
    endpoint: '/graphql',
    query: '',
    variables: '{}',
    headers: '{}',
    headersPrefilled: false,
  };
  const text = document.getElementById(EXPLORER_SETTINGS_ELEMENT_ID)?.textContent;
  if (!text) return fallback;
  try {
    return { ...fallback, ...(JSON.parse(text) as Partial<ExplorerSettings>) };
  } catch {
    return fallback;
  }
}
