import { GetImageSetCommand, ListImageSetVersionsCommand, MedicalImagingClient } from '@aws-sdk/client-medical-imaging';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { Agent } from 'node:http';

/**
 * One load-generating process of the HealthImaging Local benchmark: real SDK client, keep-alive,
 * `concurrency` callers in a closed loop for `seconds`, starting at the shared `startAt` instant.
 * Several of these split the 32 callers when one process's SDK work would be the bottleneck.
 */
export interface LoadOrder {
  url: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  operation: 'GetImageSet' | 'ListImageSetVersions';
  datastoreId: string;
  imageSetId: string;
  concurrency: number;
  startAt: number;
  seconds: number;
}

export interface LoadResult {
  latenciesMs: number[];
  errors: number;
  /** CPU this process spent (user + system) during the run, in ms. */
  cpuMs: number;
}

export async function runLoad(order: LoadOrder): Promise<LoadResult> {
  const client = new MedicalImagingClient({
    region: 'us-east-1',
    endpoint: order.url,
    disableHostPrefix: true,
    maxAttempts: 1,
    credentials: order.credentials,
    requestHandler: new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: true, maxSockets: order.concurrency }) }),
  });
  const input = { datastoreId: order.datastoreId, imageSetId: order.imageSetId };
  const call =
    order.operation === 'GetImageSet'
      ? () => client.send(new GetImageSetCommand(input))
      : () => client.send(new ListImageSetVersionsCommand(input));
  try {
    await call(); // open the first connection and load the SDK's lazy parts before the clock starts
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, order.startAt - Date.now())));
    const latenciesMs: number[] = [];
    let errors = 0;
    const cpu = process.cpuUsage();
    const end = Date.now() + order.seconds * 1000;
    const worker = async (): Promise<void> => {
      while (Date.now() < end) {
        const t0 = performance.now();
        try {
          await call();
          latenciesMs.push(performance.now() - t0);
        } catch {
          errors += 1;
        }
      }
    };
    await Promise.all(Array.from({ length: order.concurrency }, worker));
    const used = process.cpuUsage(cpu);
    return { latenciesMs, errors, cpuMs: (used.user + used.system) / 1000 };
  } finally {
    client.destroy();
  }
}

if (require.main === module) {
  process.once('message', (order: LoadOrder) => {
    runLoad(order).then(
      (result) => process.send!(result, () => process.exit(0)),
      () => process.exit(1),
    );
  });
}
