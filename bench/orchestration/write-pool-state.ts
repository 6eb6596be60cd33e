import { GetImageSetCommand } from '@aws-sdk/client-medical-imaging';
import type { WriteTarget } from '../workloads/write-mix';
import type { BenchContext } from './bench-context';

const SETTLE_TIMEOUT_MS = 10_000;

/**
 * The pool's current latest versions, read with the bench's own client right before a write-mix
 * run: the previous run ended with operations in flight, so its own view may be stale. Waits for
 * any write still running to finish, so the run starts on idle image sets.
 */
export async function freshWritePool(ctx: BenchContext): Promise<WriteTarget[]> {
  const { datastoreId, imageSetIds } = ctx.fixture.writes;
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  return Promise.all(
    imageSetIds.map(async (imageSetId) => {
      for (;;) {
        const got = await ctx.setupClient.send(new GetImageSetCommand({ datastoreId, imageSetId }));
        if (got.imageSetState === 'ACTIVE') return { datastoreId, imageSetId, latestVersionId: got.versionId! };
        if (Date.now() > deadline)
          throw new Error(`Image set ${imageSetId} of the write pool stayed ${got.imageSetState}.`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }),
  );
}
