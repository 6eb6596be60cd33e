import { randomUUID } from 'node:crypto';
import { GatewayError, NotFoundError } from '../errors/gateway-errors';
import type { ImagingPort } from '../imaging/imaging-port';
import { describeError, silentLogger, type Logger } from '../logging/logger';
import {
  changeKey,
  changeOfRecord,
  compareVersions,
  deletedChange,
  isDeleted,
  signatureOf,
  type ImageSetChange,
} from './image-set-change';

/**
 * One watch per image set and tenant, shared by every subscriber of this replica: a poller that
 * reads the image set through the tenant's port (so each poll takes the tenant's upstream slot and
 * is counted like any read), backing off from `pollMinMs` to `pollMaxMs` while nothing changes and
 * starting over on a change. The gateway's own writes and other replicas' observations arrive
 * through `publish` and count as changes too. A watch ends with its last subscriber, or when the
 * image set is gone.
 */

export interface WatchListener {
  change(change: ImageSetChange): void;
  /** The watch ended with an error (the image set is missing or outside the grant); no more calls follow. */
  fail(error: Error): void;
}

/** Carries changes between replicas (Redis pub/sub); absent on a single replica. */
export interface ChangeBus {
  publish(origin: string, change: ImageSetChange): void;
}

export interface ImageSetWatchesOptions {
  pollMinMs: number;
  pollMaxMs: number;
  logger?: Logger;
  bus?: ChangeBus;
}

class Watch {
  readonly listeners = new Set<WatchListener>();
  last: ImageSetChange | undefined;
  lastSignature: string | undefined;
  /** Counts applied changes: a poll that started before one was applied is stale. */
  generation = 0;
  delayMs: number;
  timer: NodeJS.Timeout | undefined;
  polling = false;
  ended = false;

  constructor(
    readonly key: string,
    readonly port: ImagingPort,
    readonly datastoreId: string,
    readonly imageSetId: string,
    pollMinMs: number,
  ) {
    this.delayMs = pollMinMs;
  }
}

/** A write's answer that arrives after a read of the finished write describes an earlier moment. */
function isOlder(updatedAt: Date | undefined, knownUpdatedAt: Date | undefined): boolean {
  return updatedAt !== undefined && knownUpdatedAt !== undefined && updatedAt.getTime() < knownUpdatedAt.getTime();
}

export class ImageSetWatches {
  /** This replica, as the origin of the changes it shares. */
  readonly origin = randomUUID();
  private readonly watches = new Map<string, Watch>();
  private readonly logger: Logger;
  private closed = false;

  constructor(private readonly options: ImageSetWatchesOptions) {
    this.logger = options.logger ?? silentLogger;
  }

  /** Image sets being watched on this replica (for tests and metrics). */
  get size(): number {
    return this.watches.size;
  }

  /**
   * Adds a listener to the image set's watch, starting it (and its first poll) when it is the
   * first. A later listener gets the last known state at once, without an upstream call.
   * Returns the function that removes the listener.
   */
  watch(port: ImagingPort, datastoreId: string, imageSetId: string, listener: WatchListener): () => void {
    if (this.closed) throw new Error('The subscription watches are closed.');
    const key = changeKey({ tenantId: port.tenantId, datastoreId, imageSetId });
    let watch = this.watches.get(key);
    if (!watch) {
      watch = new Watch(key, port, datastoreId, imageSetId, this.options.pollMinMs);
      this.watches.set(key, watch);
      this.schedule(watch, 0);
    } else if (watch.last) {
      const last = watch.last;
      queueMicrotask(() => {
        if (watch!.listeners.has(listener)) listener.change(last);
      });
    }
    watch.listeners.add(listener);
    const joined = watch;
    return () => {
      joined.listeners.delete(listener);
      if (joined.listeners.size === 0) this.end(joined);
    };
  }

  /**
   * A change seen elsewhere: by a write of this replica (`local`: shared with the other replicas
   * too) or by another replica (`remote`). Ignored when no one here watches the image set.
   */
  publish(change: ImageSetChange, from: 'local' | 'remote' = 'local'): void {
    if (this.closed) return;
    if (from === 'local') this.share(change);
    const watch = this.watches.get(changeKey(change));
    if (watch) this.apply(watch, change);
  }

  /** Ends every watch (their listeners get nothing more) and refuses new ones. */
  close(): void {
    this.closed = true;
    for (const watch of [...this.watches.values()]) this.end(watch);
  }

  private share(change: ImageSetChange): void {
    try {
      this.options.bus?.publish(this.origin, change);
    } catch (error) {
      this.logger.warn('subscriptions.share_failed', describeError(error));
    }
  }

  /** Records and delivers a change; false when it is no change or older than what is known. */
  private apply(watch: Watch, change: ImageSetChange): boolean {
    if (watch.ended) return false;
    const known = watch.last?.facts.latestVersionId;
    const age = compareVersions(change.facts.latestVersionId, known);
    if (age < 0 || (age === 0 && isOlder(change.facts.updatedAt, watch.last?.facts.updatedAt))) return false;
    // A delete's answer names no version; the version it locked is still the latest.
    const completed: ImageSetChange =
      change.facts.latestVersionId === undefined && known !== undefined
        ? { ...change, facts: { ...change.facts, latestVersionId: known } }
        : change;
    const signature = signatureOf(completed);
    if (signature === watch.lastSignature) return false;
    watch.last = completed;
    watch.lastSignature = signature;
    watch.generation += 1;
    watch.delayMs = this.options.pollMinMs;
    if (!watch.polling) this.schedule(watch, watch.delayMs);
    for (const listener of [...watch.listeners]) listener.change(completed);
    if (isDeleted(completed)) this.end(watch);
    return true;
  }

  private schedule(watch: Watch, delayMs: number): void {
    if (watch.ended) return;
    if (watch.timer) clearTimeout(watch.timer);
    watch.timer = setTimeout(() => void this.poll(watch), delayMs);
    // A watch never holds the process open on its own; its subscribers' sockets do.
    watch.timer.unref();
  }

  private async poll(watch: Watch): Promise<void> {
    watch.timer = undefined;
    if (watch.ended) return;
    watch.polling = true;
    const startedAt = watch.generation;
    try {
      const record = await watch.port.getImageSet(watch.datastoreId, watch.imageSetId);
      if (watch.ended) return;
      // A write's answer or another replica's observation arrived while this read was out: it is
      // at least as new as this answer, which could otherwise undo it.
      if (watch.generation !== startedAt) return;
      const change = changeOfRecord(watch.port.tenantId, record);
      if (this.apply(watch, change)) this.share(change);
      else watch.delayMs = Math.min(watch.delayMs * 2, this.options.pollMaxMs);
    } catch (error) {
      if (watch.ended) return;
      if (error instanceof NotFoundError) {
        // Gone after being seen: deleted. Never seen: missing, or outside the grant.
        if (watch.last) {
          const deleted = deletedChange(watch.last);
          if (this.apply(watch, deleted)) this.share(deleted);
        } else this.fail(watch, error);
        return;
      }
      if (!(error instanceof GatewayError) || error.code === 'BAD_USER_INPUT' || error.code === 'FORBIDDEN') {
        this.fail(watch, error instanceof Error ? error : new Error('The image set could not be read.'));
        return;
      }
      // Throttled or unavailable upstream: the subscribers wait; the poller slows down.
      this.logger.info('subscriptions.poll_failed', { code: error.code, tenantId: watch.port.tenantId });
      watch.delayMs = this.options.pollMaxMs;
    } finally {
      watch.polling = false;
      if (!watch.ended && !watch.timer) this.schedule(watch, watch.delayMs);
    }
  }

  private fail(watch: Watch, error: Error): void {
    const listeners = [...watch.listeners];
    this.end(watch);
    for (const listener of listeners) listener.fail(error);
  }

  private end(watch: Watch): void {
    if (watch.ended) return;
    watch.ended = true;
    if (watch.timer) clearTimeout(watch.timer);
    watch.timer = undefined;
    watch.listeners.clear();
    if (this.watches.get(watch.key) === watch) this.watches.delete(watch.key);
  }
}
