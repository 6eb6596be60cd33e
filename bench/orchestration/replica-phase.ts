import { replicaVerdict, writeReplicaReport } from '../report/replica-report';
import type { BenchContext } from './bench-context';
import { measureReplicaCost } from './replica-cost';

/** The replica phase of `npm run bench`: measured, written beside the main results, its verdict logged. */
export async function runReplicaPhase(
  ctx: Pick<BenchContext, 'config' | 'hil' | 'tenant' | 'loadgen' | 'readTargets' | 'workDir' | 'log'>,
  startedAt: Date,
): Promise<void> {
  if (ctx.config.replicaPairs === 0) return;
  ctx.log('replicas: one replica in memory against one and two replicas over Redis, behind one proxy…');
  const result = await measureReplicaCost(ctx);
  if (!result) return;
  const { verdict, evidence } = replicaVerdict(result);
  ctx.log(`${verdict.padEnd(7)} added p50 of the Redis round trips under 0.5 ms: ${evidence}`);
  ctx.log(`replica results: ${writeReplicaReport(result, ctx.config.outDir, startedAt).join(', ')}`);
}
