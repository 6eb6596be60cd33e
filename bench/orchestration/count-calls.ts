import { callDelta } from '../hil/hil-process';
import { httpRequest } from '../lib/http-client';
import type { Scenario } from '../loadgen/protocol';
import type { CallCount } from '../report/result-types';
import type { VariantName, WorkloadName } from '../workloads/variants';
import { checkReadBack, checkUpdateResponse, readBackRequest, updateRequest, WritePool } from '../workloads/write-mix';
import type { BenchContext } from './bench-context';

/**
 * The exact upstream calls of one operation: `operations` operations one after another, nothing
 * else running, HealthImaging Local's counters read before and after. Every answer is checked,
 * so a count never comes from failed operations.
 */
export async function countUpstreamCalls(
  ctx: BenchContext,
  round: number,
  workload: WorkloadName,
  variant: VariantName,
  baseUrl: string,
  scenario: Scenario,
): Promise<CallCount> {
  const operations = ctx.config.countOperations;
  const before = await ctx.hil.callCounts();
  for (let index = 0; index < operations; index++) await oneOperation(baseUrl, scenario, workload, variant);
  const delta = callDelta(before, await ctx.hil.callCounts());
  const perOperation: Record<string, number> = {};
  for (const [operation, count] of Object.entries(delta.operations)) perOperation[operation] = count / operations;
  return { round, workload, variant, operations, perOperation, totalPerOperation: delta.total / operations };
}

async function oneOperation(
  baseUrl: string,
  scenario: Scenario,
  workload: WorkloadName,
  variant: VariantName,
): Promise<void> {
  const fail = (reason: string): never => {
    throw new Error(`${variant} failed a ${workload} operation while counting upstream calls: ${reason}`);
  };
  if (scenario.kind === 'fixed') {
    for (const step of scenario.steps) {
      const answer = await httpRequest(baseUrl, step.request);
      if (answer.status !== 200 || answer.body !== step.expectedBody)
        fail(`HTTP ${answer.status}, ${answer.body.slice(0, 200)}`);
    }
    return;
  }
  const pool = new WritePool(scenario.pool);
  const target = pool.checkout();
  const update = await httpRequest(
    baseUrl,
    updateRequest(scenario.style, target, pool.nextDescription(), scenario.apiKey),
  );
  const updated = checkUpdateResponse(update.status, update.body, target);
  if (!updated.ok) fail(updated.reason);
  const read = await httpRequest(baseUrl, readBackRequest(scenario.style, target, scenario.apiKey));
  const readBack = checkReadBack(
    read.status,
    read.body,
    target.imageSetId,
    updated.ok ? updated.newVersionId : undefined,
  );
  if (!readBack.ok) fail(readBack.reason);
  // The next operation of this count uses the next image set; the pool is re-read before each run anyway.
  scenario.pool.push(scenario.pool.shift()!);
  scenario.pool[scenario.pool.length - 1] = {
    ...target,
    latestVersionId: readBack.ok ? readBack.latestVersionId : target.latestVersionId,
  };
}
