import { ManagedChild } from '../lib/child-process';
import { distPath } from '../lib/dist-paths';
import { httpRequest } from '../lib/http-client';

/**
 * HealthImaging Local in its own process, as the measured servers reach it: over HTTP with the
 * real SDK. The bench changes its added latency and reads its call counters through the
 * loopback-only admin endpoints, without restarting it between measurements.
 */
export interface HilCallCounts {
  total: number;
  operations: Record<string, number>;
}

export interface HilAccessKey {
  accessKeyId: string;
  secretAccessKey: string;
}

export class HilProcess {
  private constructor(
    readonly url: string,
    readonly child: ManagedChild,
  ) {}

  static async start(options: { s3Dir: string; accessKey: HilAccessKey }): Promise<HilProcess> {
    const child = ManagedChild.spawn('HealthImaging Local', process.execPath, [
      distPath('healthimaging-local', 'cli.js'),
      '--port',
      '0',
      '--in-memory',
      '--s3-dir',
      options.s3Dir,
      // Writes complete on the next timer tick: the write mix measures the API, not a modelled delay.
      '--write-delay-ms',
      '0',
      '--datastore-delay-ms',
      '0',
      '--access-key',
      `${options.accessKey.accessKeyId}:${options.accessKey.secretAccessKey}:*`,
    ]);
    const [, url] = await child.waitForOutput(/HealthImaging Local listening on (http:\/\/\S+)/, 30_000);
    if (url === undefined) throw new Error('HealthImaging Local announced no URL');
    return new HilProcess(url, child);
  }

  get pid(): number {
    return this.child.pid;
  }

  /** Adds `ms` of latency to every operation (0 clears every fault). */
  async setLatency(ms: number): Promise<void> {
    const response =
      ms > 0
        ? await httpRequest(this.url, {
            method: 'POST',
            path: '/_hil/faults',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ operation: '*', mode: 'latency', latencyMs: ms }),
          })
        : await httpRequest(this.url, { method: 'DELETE', path: '/_hil/faults' });
    if (response.status !== 200)
      throw new Error(`HealthImaging Local refused the latency setting (${response.status}): ${response.body}`);
  }

  /** Every routed call so far, per operation. */
  async callCounts(): Promise<HilCallCounts> {
    const response = await httpRequest(this.url, { method: 'GET', path: '/_hil/stats' });
    if (response.status !== 200) throw new Error(`HealthImaging Local /_hil/stats answered ${response.status}`);
    const snapshot = JSON.parse(response.body) as { total: number; operations: Record<string, number> };
    return { total: snapshot.total, operations: { ...snapshot.operations } };
  }

  /**
   * Waits until no call has reached HealthImaging Local for `quietMs`: a load run ends with
   * requests still in flight inside the measured server, and the next run (or the write pool's
   * versions) must not see their tail.
   */
  async quiesce(quietMs = 100, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = (await this.callCounts()).total;
    let quietSince = Date.now();
    while (Date.now() - quietSince < quietMs) {
      if (Date.now() > deadline)
        throw new Error(`HealthImaging Local kept receiving calls for ${timeoutMs} ms after a run ended.`);
      await new Promise((resolve) => setTimeout(resolve, 25));
      const total = (await this.callCounts()).total;
      if (total !== last) {
        last = total;
        quietSince = Date.now();
      }
    }
  }

  stop(): Promise<void> {
    return this.child.stop();
  }
}

/** Calls per operation between two snapshots. */
export function callDelta(before: HilCallCounts, after: HilCallCounts): HilCallCounts {
  const operations: Record<string, number> = {};
  for (const [operation, count] of Object.entries(after.operations)) {
    const delta = count - (before.operations[operation] ?? 0);
    if (delta !== 0) operations[operation] = delta;
  }
  return { total: after.total - before.total, operations };
}
