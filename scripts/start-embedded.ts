import 'reflect-metadata';
import { resolve } from 'node:path';
import { startGatewayServer } from '../src/main';
import { demoExplorerEnv, printExplorerHint } from './demo-explorer';
import { demoGatewayEnv, printDemoCredentials, startDemoUpstream } from './demo-upstream';

/**
 * `npm start`. With `HEALTHIMAGING_ENDPOINT` or `AWS_REGION` set, it is the plain gateway over
 * that upstream (the operator's TENANTS_FILE) and starts nothing local. Otherwise it is the
 * embedded default: HealthImaging Local with its data in `.data/`, one data store per demo tenant
 * filled with synthetic studies on first start, and the gateway over it, with credentials printed.
 */
const DATA_DIR = resolve(process.env.DATA_DIR ?? '.data');

async function startEmbedded(): Promise<void> {
  const upstream = await startDemoUpstream(DATA_DIR, (line) => console.log(`[embedded] ${line}`));
  const env = demoGatewayEnv(upstream, process.env);
  // The explorers open ready to run; the operator's own EXPLORER_DEFAULT_* (in env) win.
  const explorerEnv = await demoExplorerEnv(upstream.state, env);
  const gateway = await startGatewayServer({ ...explorerEnv, ...env });
  await printDemoCredentials(upstream.state, gateway.url);
  printExplorerHint(gateway.url, explorerEnv.EXPLORER_DEFAULT_HEADERS !== undefined);

  const stop = (): void => {
    void gateway
      .close()
      .then(() => upstream.hil.close())
      .finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

async function run(): Promise<void> {
  if (process.env.HEALTHIMAGING_ENDPOINT || process.env.AWS_REGION) {
    const gateway = await startGatewayServer(process.env);
    const stop = (): void => void gateway.close().finally(() => process.exit(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    return;
  }
  await startEmbedded();
}

run().catch((error: unknown) => {
  // Operator-facing: the message only (config errors name the variable); never a stack.
  console.error(`npm start failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
