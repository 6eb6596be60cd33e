import { gatewayEnvironmentOf, type EnvSource } from '../src/config';
import { BROWSE_DATASTORE_VARIABLE } from '../src/http/explorer/browse-query';
import { EXPLORER_PATH } from '../src/http/explorer/explorer-page';
import { DEMO_TENANT_IDS, type DemoState } from './demo-state';
import { mintDemoToken } from './demo-tenants';

/**
 * The embedded default's explorers (Apollo Sandbox and the offline /explorer) open ready to run
 * the README's Browse query: the first demo tenant's user token in the headers and its data store
 * in the variables. Development only: elsewhere the page would hand the token to every visitor.
 */
export async function demoExplorerEnv(state: DemoState, gatewayEnv: EnvSource): Promise<Record<string, string>> {
  if (gatewayEnvironmentOf(gatewayEnv) !== 'development') return {};
  const [tenantId] = DEMO_TENANT_IDS;
  const datastoreId = state.tenants[tenantId].datastoreId;
  return {
    EXPLORER_DEFAULT_HEADERS: JSON.stringify({ Authorization: `Bearer ${await mintDemoToken(state, tenantId)}` }),
    ...(datastoreId
      ? { EXPLORER_DEFAULT_VARIABLES: JSON.stringify({ [BROWSE_DATASTORE_VARIABLE]: datastoreId }) }
      : {}),
  };
}

/** The lines `npm start` prints about the explorers, after the credentials. */
export function printExplorerHint(graphqlUrl: string, prefilled: boolean): void {
  console.log(`\nOffline explorer (GraphiQL, needs no internet): ${new URL(EXPLORER_PATH, graphqlUrl).href}`);
  if (prefilled) {
    console.log(
      `Apollo Sandbox and the explorer open with tenant "${DEMO_TENANT_IDS[0]}"'s user header and the README's Browse query: press Run.`,
    );
  }
}
