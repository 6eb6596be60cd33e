import { buildExplorerBundle } from '../../scripts/build-explorer';

/**
 * Jest's global setup: the explorer's browser bundle exists before any test starts a gateway, on
 * a fresh clone too (`npm ci && npm test` runs no build). It rebuilds only when its sources changed.
 */
export default async function buildExplorerForTests(): Promise<void> {
  await buildExplorerBundle();
}
