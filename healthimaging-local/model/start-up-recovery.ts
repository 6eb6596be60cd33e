import { backfillSeriesLists } from './image-set-content';
import type { ModelContext } from './model-context';
import { recoverPendingWrites } from './write-completion';

/**
 * Brings a database left by the previous process to a consistent state before the first request
 * (docs/healthimaging-behaviour.md#durability): fills in what an older schema lacks, drops the
 * frames of imports that never committed (no import runs yet, so every unreferenced frame is one),
 * and completes every acknowledged write. Returns how many writes it completed.
 */
export function recoverOnStart(ctx: ModelContext): number {
  backfillSeriesLists(ctx);
  ctx.store.imageSets.dropUnreferencedFrames();
  return recoverPendingWrites(ctx);
}
