import autocannon from 'autocannon';
import {
  checkReadBack,
  checkUpdateResponse,
  readBackRequest,
  updateRequest,
  WritePool,
  type WriteTarget,
} from '../workloads/write-mix';
import type { RequestTemplate } from '../workloads/variants';
import { describeMismatch, FailureLog } from './failure-log';
import type { ClosedLoad, LoadResult, Scenario } from './protocol';

type AutocannonRequest = NonNullable<Parameters<typeof autocannon>[0]['requests']>[number];

function asRequest(template: RequestTemplate): AutocannonRequest {
  return {
    method: template.method,
    path: template.path,
    headers: template.headers,
    ...(template.body !== undefined ? { body: template.body } : {}),
  };
}

/**
 * Throughput at a fixed number of connections, with autocannon. Every response is checked in
 * `onResponse`; the first failures are kept to explain a void run.
 */
export function runClosedLoad(id: number, baseUrl: string, scenario: Scenario, mode: ClosedLoad): Promise<LoadResult> {
  const failures = new FailureLog();
  let requests: AutocannonRequest[];
  let steps: number;
  let pool: WritePool | undefined;

  if (scenario.kind === 'fixed') {
    steps = scenario.steps.length;
    requests = scenario.steps.map((step) => ({
      ...asRequest(step.request),
      onResponse: (status: number, body: string) => {
        if (status !== 200 || body !== step.expectedBody)
          failures.add(describeMismatch(status, body, step.expectedBody));
      },
    }));
  } else {
    steps = 2;
    if (mode.connections > scenario.pool.length) {
      throw new Error(
        `${mode.connections} connections need at least as many write-pool image sets (have ${scenario.pool.length}).`,
      );
    }
    const writePool = new WritePool(scenario.pool);
    pool = writePool;
    const { style, apiKey } = scenario;
    requests = [
      {
        setupRequest: (request, context) => {
          const target = writePool.checkout();
          context.target = target;
          context.newVersionId = undefined;
          return { ...request, ...asRequest(updateRequest(style, target, writePool.nextDescription(), apiKey)) };
        },
        onResponse: (status, body, context) => {
          const checked = checkUpdateResponse(status, body, context.target as WriteTarget);
          if (checked.ok) context.newVersionId = checked.newVersionId;
          else failures.add(`update: ${checked.reason}`);
        },
      },
      {
        setupRequest: (request, context) => ({
          ...request,
          ...asRequest(readBackRequest(style, context.target as WriteTarget, apiKey)),
        }),
        onResponse: (status, body, context) => {
          const target = context.target as WriteTarget;
          const checked = checkReadBack(status, body, target.imageSetId, context.newVersionId as string | undefined);
          if (!checked.ok) failures.add(`read-back: ${checked.reason}`);
          // The read-back is the truth about the latest version, even after a failed update.
          writePool.checkin({
            ...target,
            latestVersionId: checked.ok ? checked.latestVersionId : target.latestVersionId,
          });
        },
      },
    ];
  }

  return new Promise((resolve, reject) => {
    autocannon(
      { url: baseUrl, connections: mode.connections, duration: mode.durationS, timeout: 30, requests },
      (error, result) => {
        if (error) {
          reject(error);
          return;
        }
        const transportFailures = result.errors + result.timeouts;
        if (transportFailures > 0)
          failures.add(`${result.errors} socket errors, ${result.timeouts} timeouts`, transportFailures);
        const completed = result.requests.total;
        const operations = Math.floor(completed / steps);
        resolve({
          id,
          mode: 'closed',
          durationS: result.duration,
          requests: completed,
          operations,
          operationsPerSecond: operations / result.duration,
          latencyMs: {
            p50: result.latency.p50,
            p90: result.latency.p90,
            p99: result.latency.p99,
            max: result.latency.max,
            mean: result.latency.mean,
            unit: 'request',
            samples: completed,
          },
          failures: failures.count,
          failureSamples: failures.samples,
          ...(pool ? { pool: pool.snapshot() } : {}),
        });
      },
    );
  });
}
