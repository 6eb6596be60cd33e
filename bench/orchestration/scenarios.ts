import type { Scenario } from '../loadgen/protocol';
import { readRequest } from '../workloads/read-requests';
import { readBackRequest, updateRequest } from '../workloads/write-mix';
import { styleOf, type ReadWorkloadName, type VariantName, type WorkloadName } from '../workloads/variants';
import type { BenchContext } from './bench-context';
import { freshWritePool } from './write-pool-state';

/** What the load generator sends a variant for a workload, and how it checks each answer. */
export async function scenarioFor(
  ctx: BenchContext,
  workload: WorkloadName,
  variant: VariantName,
  expectedBodies: Partial<Record<ReadWorkloadName, string>>,
): Promise<Scenario> {
  const style = styleOf(variant);
  const apiKey = ctx.tenant.apiKey;
  if (workload !== 'write-mix') {
    const expectedBody = expectedBodies[workload];
    if (expectedBody === undefined) throw new Error(`No verified answer of ${variant} for ${workload}.`);
    return { kind: 'fixed', steps: [{ request: readRequest(workload, style, ctx.readTargets, apiKey), expectedBody }] };
  }
  if (variant === 'floor') {
    // The floor writes nothing: it answers the two calls of the mix with their usual bytes.
    const [imageSetId] = ctx.fixture.writes.imageSetIds;
    if (imageSetId === undefined) throw new Error('the fixture has no image set to write');
    const target = { datastoreId: ctx.fixture.writes.datastoreId, imageSetId, latestVersionId: '1' };
    const floorBody = (route: string): string => {
      const body = ctx.floorBodies[route];
      if (body === undefined) throw new Error(`calibration recorded no floor answer for ${route}`);
      return body;
    };
    return {
      kind: 'fixed',
      steps: [
        {
          request: updateRequest('rest', target, 'WRITE MIX FLOOR', apiKey),
          expectedBody: floorBody('studyDescription'),
        },
        { request: readBackRequest('rest', target, apiKey), expectedBody: floorBody('status') },
      ],
    };
  }
  return { kind: 'write-mix', style, apiKey, pool: await freshWritePool(ctx) };
}
