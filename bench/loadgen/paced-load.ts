import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { quantileSorted } from '../lib/stats';
import { checkReadBack, checkUpdateResponse, readBackRequest, updateRequest, WritePool } from '../workloads/write-mix';
import type { RequestTemplate } from '../workloads/variants';
import { describeMismatch, FailureLog } from './failure-log';
import type { LoadResult, PacedLoad, Scenario } from './protocol';

/**
 * A fixed request rate, open loop: operation i starts at t0 + i / rate whatever happened to the
 * ones before it, so a slow server meets the same offered load as a fast one and its queueing
 * shows up as latency.
 *
 * Why not autocannon's `overallRate`: it gives each connection a per-second quota that the
 * connection spends back to back at the start of every second (lib/httpClient.js, `_doRequest`
 * and the 1 s `rateInterval`), then idles. The load arrives in bursts at full speed, so the
 * latency it reports is that of a saturated server, not of one at half load.
 */
/** After the last scheduled start, unanswered operations get this long (or the run's duration, if longer). */
const MIN_DRAIN_MS = 5_000;

interface Exchange {
  status: number;
  body: string;
}

function send(agent: Agent, baseUrl: URL, template: RequestTemplate): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: baseUrl.hostname,
        port: baseUrl.port,
        method: template.method,
        path: template.path,
        agent,
        headers: {
          ...template.headers,
          ...(template.body !== undefined ? { 'content-length': Buffer.byteLength(template.body) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(template.body);
  });
}

export async function runPacedLoad(
  id: number,
  baseUrl: string,
  scenario: Scenario,
  mode: PacedLoad,
): Promise<LoadResult> {
  const url = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: mode.maxInFlight, maxFreeSockets: mode.maxInFlight });
  const failures = new FailureLog();
  const latencies: number[] = [];
  const lags: number[] = [];
  let requests = 0;
  const pool = scenario.kind === 'write-mix' ? new WritePool(scenario.pool) : undefined;

  const operation = async (): Promise<void> => {
    if (scenario.kind === 'fixed') {
      for (const step of scenario.steps) {
        const answer = await send(agent, url, step.request);
        requests += 1;
        if (answer.status !== 200 || answer.body !== step.expectedBody) {
          failures.add(describeMismatch(answer.status, answer.body, step.expectedBody));
          return;
        }
      }
      return;
    }
    const target = await pool!.acquire();
    let latestVersionId = target.latestVersionId;
    try {
      const updated = await send(
        agent,
        url,
        updateRequest(scenario.style, target, pool!.nextDescription(), scenario.apiKey),
      );
      requests += 1;
      const update = checkUpdateResponse(updated.status, updated.body, target);
      if (!update.ok) failures.add(`update: ${update.reason}`);
      const read = await send(agent, url, readBackRequest(scenario.style, target, scenario.apiKey));
      requests += 1;
      const readBack = checkReadBack(
        read.status,
        read.body,
        target.imageSetId,
        update.ok ? update.newVersionId : undefined,
      );
      if (readBack.ok) latestVersionId = readBack.latestVersionId;
      else failures.add(`read-back: ${readBack.reason}`);
    } finally {
      pool!.checkin({ ...target, latestVersionId });
    }
  };

  const total = Math.max(1, Math.round(mode.operationsPerSecond * mode.durationS));
  const intervalMs = 1000 / mode.operationsPerSecond;
  const inFlight = new Map<Promise<void>, number>();
  let cutOff = false;
  const started = performance.now();

  await new Promise<void>((resolve) => {
    let issued = 0;
    const tick = (): void => {
      const now = performance.now();
      while (issued < total && started + issued * intervalMs <= now) {
        lags.push(now - (started + issued * intervalMs));
        issued += 1;
        const begin = performance.now();
        const running: Promise<void> = operation().then(
          () => {
            if (!cutOff) latencies.push(performance.now() - begin);
          },
          (error: unknown) => {
            // Sockets torn down at the cut-off reject their requests: that is the cut, not a server error.
            if (!cutOff) failures.add(`transport: ${error instanceof Error ? error.message : String(error)}`);
          },
        );
        inFlight.set(running, begin);
        void running.finally(() => inFlight.delete(running));
      }
      if (issued < total) setTimeout(tick, Math.max(0, started + issued * intervalMs - performance.now()));
      else resolve();
    };
    tick();
  });
  const scheduledEnd = performance.now();
  const drainMs = Math.max(MIN_DRAIN_MS, mode.durationS * 1000);
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.allSettled([...inFlight.keys()]),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, drainMs);
    }),
  ]);
  clearTimeout(timer);
  // A server that fell behind the offered rate still owes answers: each counts with the time it
  // has waited so far, a lower bound, so its percentiles say "at least" instead of dropping it.
  const cutAt = performance.now();
  const unfinished = inFlight.size;
  for (const begin of inFlight.values()) latencies.push(cutAt - begin);
  cutOff = true;
  agent.destroy();

  const durationS = (Math.max(scheduledEnd, performance.now()) - started) / 1000;
  latencies.sort((a, b) => a - b);
  lags.sort((a, b) => a - b);
  const operations = latencies.length - unfinished;
  return {
    id,
    mode: 'paced',
    durationS,
    requests,
    operations,
    operationsPerSecond: operations / ((scheduledEnd - started) / 1000),
    latencyMs: {
      p50: quantileSorted(latencies, 0.5),
      p90: quantileSorted(latencies, 0.9),
      p99: quantileSorted(latencies, 0.99),
      max: latencies[latencies.length - 1] ?? Number.NaN,
      mean: latencies.reduce((sum, value) => sum + value, 0) / Math.max(1, latencies.length),
      unit: 'operation',
      samples: latencies.length,
    },
    failures: failures.count,
    failureSamples: failures.samples,
    scheduleLagMs: { p99: quantileSorted(lags, 0.99), max: lags[lags.length - 1] ?? 0 },
    unfinished,
    ...(pool ? { pool: pool.snapshot() } : {}),
  };
}
