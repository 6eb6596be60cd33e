import { UpdateImageSetMetadataDocument } from './documents';
import type { GatewayClient } from './gateway-client';
import type { ChangeFunction } from './optimistic-update';

/**
 * For the demo only: `change` whose first call first lets "someone else" write to the image set
 * (the time point's offset, Longitudinal Temporal Offset From Event = 0 days), from the version
 * the attempt just read. The attempt then names a version that is no longer the latest and meets
 * VERSION_CONFLICT, which shows the retry: re-read, wait for their write, re-apply on top of it.
 */
export function withCompetingWrite(change: ChangeFunction, client: GatewayClient, datastoreId: string): ChangeFunction {
  let raced = false;
  return async (current, attempt) => {
    if (!raced) {
      raced = true;
      await client.execute(UpdateImageSetMetadataDocument, {
        input: {
          datastoreId,
          imageSetId: current.imageSetId,
          latestVersionId: current.latestVersionId!,
          force: false,
          updates: { study: { LongitudinalTemporalOffsetFromEvent: 0 } },
        },
      });
    }
    return change(current, attempt);
  };
}
