import { Repeater, SlidingBuffer } from '@repeaterjs/repeater';
import type { ImagingPort } from '../imaging/imaging-port';
import { compareVersions, isDeleted, isSettled, type ImageSetChange } from './image-set-change';
import type { ImageSetWatches } from './image-set-watches';

/** One event of a subscriber's stream: a change, or the error that ends the stream. */
export type ImageSetEvent = ImageSetChange | Error;

/**
 * When one subscriber's stream completes. The first event is the state at subscription; the
 * stream then completes on the first settled state after a write was seen running (in that first
 * event or later), or, with `untilVersionId`, as soon as a settled state has at least that
 * version (so a client that subscribes after its write already finished is answered at once).
 * A deleted image set always completes it.
 */
export class CompletionRule {
  private sawRunning = false;

  constructor(private readonly untilVersionId?: string) {}

  /** Whether `change` is the stream's last event. */
  completes(change: ImageSetChange): boolean {
    if (isDeleted(change)) return true;
    if (!isSettled(change)) {
      this.sawRunning = true;
      return false;
    }
    if (this.sawRunning) return true;
    return (
      this.untilVersionId !== undefined &&
      change.facts.latestVersionId !== undefined &&
      compareVersions(change.facts.latestVersionId, this.untilVersionId) >= 0
    );
  }
}

/** Events a slow subscriber may fall behind by; past it the oldest are dropped (the newest state always arrives). */
const BUFFERED_EVENTS = 16;

/** A subscriber's stream over the shared watch; returning it (the client unsubscribes) leaves the watch. */
export function imageSetChangeStream(
  watches: ImageSetWatches,
  port: ImagingPort,
  datastoreId: string,
  imageSetId: string,
  rule: CompletionRule,
): AsyncIterableIterator<ImageSetEvent> {
  return new Repeater<ImageSetEvent>(async (push, stop) => {
    const leave = watches.watch(port, datastoreId, imageSetId, {
      change(change) {
        void push(change);
        if (rule.completes(change)) stop();
      },
      fail(error) {
        void push(error);
        stop();
      },
    });
    await stop;
    leave();
  }, new SlidingBuffer(BUFFERED_EVENTS));
}
