import { UpstreamUnavailableError } from '../../errors/gateway-errors';
import type { CopyImageSetRequest, UpdateImageSetMetadataRequest } from '../imaging-port';
import { conflictDetails, type ConflictSide } from './conflict-details';
import { KeyedQueue } from './keyed-queue';
import type { CopyResultRecord, DeleteResultRecord, UpdateResultRecord } from '../records';
import type { WriteOutcome } from '../upstream/retry-policy';
import type { UpstreamCaller } from '../upstream/upstream-caller';
import { classifyUpstreamError, toGatewayError } from '../upstream/upstream-errors';
import type { UpstreamReads } from '../upstream/upstream-reads';
import type { AnsweredCopies } from './answered-copies';
import type { WriteReconciler } from './write-reconciler';
import { AMBIGUOUS_WRITE_MESSAGE, type WriteWindow } from './written-version-evidence';
import type { UpstreamWrites } from '../upstream/upstream-writes';

export interface ImageSetWritesDeps {
  caller: UpstreamCaller;
  writes: UpstreamWrites;
  reads: UpstreamReads;
  reconciler: WriteReconciler;
  /** Shared with the reconciler, which must never take an answered copy's destination for a new one. */
  answeredCopies: AnsweredCopies;
  clock: () => Date;
  clockSkewMs: number;
}

/**
 * CopyImageSet, UpdateImageSetMetadata and DeleteImageSet for one tenant. None of them is
 * idempotent upstream, so each is sent once (again only after a failure that proves it was not
 * applied), one at a time per image set, and an ambiguous failure is settled by the reconciler's
 * reads, never by resending. Callers check the grant first.
 */
export class ImageSetWrites {
  private readonly queue = new KeyedQueue();

  constructor(private readonly deps: ImageSetWritesDeps) {}

  copy(input: CopyImageSetRequest): Promise<CopyResultRecord> {
    const { datastoreId, sourceImageSetId, destination } = input;
    const sides: ConflictSide[] = [{ imageSetId: sourceImageSetId, expectedVersionId: input.sourceLatestVersionId }];
    if (destination) sides.push({ imageSetId: destination.imageSetId, expectedVersionId: destination.latestVersionId });
    const keys = sides.map((side) => imageSetKey(datastoreId, side.imageSetId));
    return this.serialised(keys, async () => {
      const window = this.window();
      const outcome = await this.deps.writes.copy(input);
      const result = outcome.ok
        ? outcome.value
        : await this.settle(outcome, 'CopyImageSet', datastoreId, sides, () =>
            this.deps.reconciler.copy(input, window),
          );
      if (!destination) this.deps.answeredCopies.add(datastoreId, result.destination.imageSetId);
      return result;
    });
  }

  update(input: UpdateImageSetMetadataRequest): Promise<UpdateResultRecord> {
    const { datastoreId, imageSetId } = input;
    return this.serialised([imageSetKey(datastoreId, imageSetId)], async () => {
      const window = this.window();
      const outcome = await this.deps.writes.update(input);
      if (outcome.ok) return outcome.value;
      const sides = [{ imageSetId, expectedVersionId: input.latestVersionId }];
      return this.settle(outcome, 'UpdateImageSetMetadata', datastoreId, sides, () =>
        this.deps.reconciler.update(input, window),
      );
    });
  }

  delete(datastoreId: string, imageSetId: string): Promise<DeleteResultRecord> {
    return this.serialised([imageSetKey(datastoreId, imageSetId)], async () => {
      const outcome = await this.deps.writes.delete(datastoreId, imageSetId);
      if (outcome.ok) return outcome.value;
      return this.settle(outcome, 'DeleteImageSet', datastoreId, [{ imageSetId }], () =>
        this.deps.reconciler.delete(datastoreId, imageSetId),
      );
    });
  }

  /** A failed write: mapped when definite, reconciled when ambiguous, reported as unknown otherwise. */
  private async settle<T>(
    outcome: Extract<WriteOutcome<unknown>, { ok: false }>,
    operation: string,
    datastoreId: string,
    sides: readonly ConflictSide[],
    reconcile: () => Promise<T | undefined>,
  ): Promise<T> {
    if (outcome.decision === 'fail') throw await this.definiteFailure(outcome.error, datastoreId, sides);
    const reconciled = await reconcile();
    if (reconciled !== undefined) return reconciled;
    throw new UpstreamUnavailableError(AMBIGUOUS_WRITE_MESSAGE(operation));
  }

  /** A definite write failure, mapped; a conflict carries what the image set it is about looks like now. */
  private async definiteFailure(error: unknown, datastoreId: string, sides: readonly ConflictSide[]): Promise<Error> {
    if (classifyUpstreamError(error) !== 'conflict') {
      return toGatewayError(error, { retryAfterSeconds: this.deps.caller.retryAfterSeconds() });
    }
    const current = await Promise.all(
      sides.map((side) =>
        this.deps.reads.imageSet({ operation: 'GetImageSet' }, datastoreId, side.imageSetId).catch(() => undefined),
      ),
    );
    return toGatewayError(error, { current: conflictDetails(sides, current) });
  }

  private window(): WriteWindow {
    return { startedAt: this.deps.clock(), clockSkewMs: this.deps.clockSkewMs };
  }

  private serialised<T>(keys: string[], task: () => Promise<T>): Promise<T> {
    // Sorted, so two copies between the same pair of image sets in opposite directions cannot
    // each hold one key while waiting for the other.
    const ordered = [...new Set(keys)].sort();
    const runFrom = (index: number): Promise<T> =>
      index >= ordered.length ? task() : this.queue.run(ordered[index] ?? '', () => runFrom(index + 1));
    return runFrom(0);
  }
}

function imageSetKey(datastoreId: string, imageSetId: string): string {
  return `${datastoreId}/${imageSetId}`;
}
