import { httpRequest } from '../lib/http-client';
import { firstDifference } from '../lib/json-diff';
import { readRequest } from '../workloads/read-requests';
import { styleOf, type ReadWorkloadName, type VariantName, type WorkloadName } from '../workloads/variants';
import type { BenchContext } from './bench-context';

export interface VerifiedAnswers {
  /** The exact bytes this variant answered, which every response of the round must repeat. */
  expectedBodies: Partial<Record<ReadWorkloadName, string>>;
  mismatches: Array<{ workload: WorkloadName; detail: string }>;
}

/**
 * Asks a freshly started variant each read workload once and holds the parsed answer to the
 * hand-written reference (the floor to its fixed bytes). A variant that answers differently is
 * void for that workload in this round, with the first difference as the reason.
 */
export async function verifyAnswers(
  ctx: BenchContext,
  variant: VariantName,
  baseUrl: string,
  workloads: WorkloadName[],
): Promise<VerifiedAnswers> {
  const expectedBodies: VerifiedAnswers['expectedBodies'] = {};
  const mismatches: VerifiedAnswers['mismatches'] = [];
  for (const workload of workloads) {
    if (workload === 'write-mix') continue;
    const answer = await httpRequest(
      baseUrl,
      readRequest(workload, styleOf(variant), ctx.readTargets, ctx.tenant.apiKey),
    );
    if (answer.status !== 200) {
      mismatches.push({ workload, detail: `HTTP ${answer.status}: ${answer.body.slice(0, 300)}` });
      continue;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(answer.body);
    } catch {
      mismatches.push({ workload, detail: `not JSON: ${answer.body.slice(0, 200)}` });
      continue;
    }
    const difference = firstDifference(parsed, ctx.references[workload]);
    if (difference) mismatches.push({ workload, detail: difference });
    else expectedBodies[workload] = answer.body;
  }
  return { expectedBodies, mismatches };
}
