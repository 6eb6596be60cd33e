import { backoffDelayMs, sleep, type BackoffPolicy } from './backoff';
import { ImageSetForUpdateDocument, UpdateImageSetMetadataDocument } from './documents';
import { GatewayRequestError, type GatewayClient } from './gateway-client';
import type {
  ImageSetForUpdateQuery,
  UpdateImageSetMetadataInput,
  UpdateImageSetMetadataMutation,
} from './generated/graphql';
import type { ImageSetWatcher } from './image-set-watcher';

/** The image set as re-read before each attempt: state, latest version and series metadata. */
export type ImageSetForUpdate = NonNullable<ImageSetForUpdateQuery['imageSet']>;
/** What an attempt writes on top of the version it read. */
export type MetadataChange = Pick<UpdateImageSetMetadataInput, 'updates' | 'removals'>;
/** What the gateway answered an accepted update: the image set LOCKED / UPDATING at its new version. */
export type AcceptedUpdate = NonNullable<UpdateImageSetMetadataMutation['updateImageSetMetadata']>;

/**
 * Computes the change from the image set as it is now; undefined when there is nothing to change
 * (the change is already there, perhaps written by an earlier attempt whose answer was lost).
 * Called again after every conflict, so it must derive the change from `current`, never reuse an
 * old one.
 */
export type ChangeFunction = (
  current: ImageSetForUpdate,
  attempt: number,
) => MetadataChange | undefined | Promise<MetadataChange | undefined>;

export interface UpdateAttempt {
  attempt: number;
  /** The version this attempt read and named as `latestVersionId`. */
  fromVersionId: string;
  outcome: 'accepted' | 'version-conflict';
  idempotencyKey: string | undefined;
  /** On a conflict: the image set's latest version and state, as the gateway reported them. */
  conflictWith?: { latestVersionId?: string; state?: string };
}

export type UpdateOutcome =
  | { kind: 'accepted'; accepted: AcceptedUpdate; attempts: UpdateAttempt[] }
  | { kind: 'unchanged'; versionId: string; attempts: UpdateAttempt[] };

export interface OptimisticUpdateOptions {
  client: GatewayClient;
  watcher: ImageSetWatcher;
  datastoreId: string;
  imageSetId: string;
  change: ChangeFunction;
  /** Attempts in all, the first included (default 5). */
  maxAttempts?: number;
  /** Back-off after a conflict (default 200 ms doubling to 5 s, full jitter). */
  backoff?: BackoffPolicy;
  log?: (line: string) => void;
}

/**
 * Optimistic concurrency done right. Each attempt re-reads the image set, waits (by subscription)
 * for a write that is still running to settle, computes the change from that version, and sends
 * it with that version as `latestVersionId`. On VERSION_CONFLICT someone else wrote first: back
 * off and start over from a fresh read, never resend the same version (it can only conflict
 * again) nor an old change (it could undo theirs). A bounded number of attempts, then the
 * conflict is the caller's. Each attempt is a new request and so gets a new Idempotency-Key.
 */
export async function updateWithOptimisticConcurrency(options: OptimisticUpdateOptions): Promise<UpdateOutcome> {
  const { client, watcher, datastoreId, imageSetId, change } = options;
  const maxAttempts = options.maxAttempts ?? 5;
  const backoff = options.backoff ?? { baseDelayMs: 200, maxDelayMs: 5000 };
  const log = options.log ?? (() => undefined);
  const attempts: UpdateAttempt[] = [];

  for (let attempt = 1; ; attempt += 1) {
    const current = await readSettled(client, watcher, datastoreId, imageSetId, log);
    const fromVersionId = current.latestVersionId!;
    const wanted = await change(current, attempt);
    if (wanted === undefined) {
      log(`attempt ${attempt}: version ${fromVersionId} already has the change; nothing to write`);
      return { kind: 'unchanged', versionId: fromVersionId, attempts };
    }
    try {
      const { data, idempotencyKey } = await client.execute(UpdateImageSetMetadataDocument, {
        input: { datastoreId, imageSetId, latestVersionId: fromVersionId, force: false, ...wanted },
      });
      const accepted = data.updateImageSetMetadata;
      if (!accepted) throw new Error('updateImageSetMetadata answered no payload.');
      attempts.push({ attempt, fromVersionId, outcome: 'accepted', idempotencyKey });
      log(
        `attempt ${attempt}: from version ${fromVersionId}: accepted, ` +
          `${accepted.imageSet.state}/${accepted.imageSet.workflowStatus} version ${accepted.imageSet.latestVersionId}`,
      );
      return { kind: 'accepted', accepted, attempts };
    } catch (error) {
      if (!(error instanceof GatewayRequestError) || error.code !== 'VERSION_CONFLICT') throw error;
      const conflictWith = conflictOf(error);
      attempts.push({ attempt, fromVersionId, outcome: 'version-conflict', idempotencyKey: undefined, conflictWith });
      log(
        `attempt ${attempt}: from version ${fromVersionId}: VERSION_CONFLICT ` +
          `(the image set is at version ${conflictWith.latestVersionId ?? '?'}, ${conflictWith.state ?? '?'})`,
      );
      if (attempt >= maxAttempts) {
        throw new Error(`Gave up after ${attempt} attempts: image set ${imageSetId} kept changing under the update.`);
      }
      await sleep(backoffDelayMs(backoff, attempt));
    }
  }
}

/** The image set as it is now; when a write is still running, after it has settled. */
async function readSettled(
  client: GatewayClient,
  watcher: ImageSetWatcher,
  datastoreId: string,
  imageSetId: string,
  log: (line: string) => void,
): Promise<ImageSetForUpdate> {
  for (;;) {
    const { data } = await client.execute(ImageSetForUpdateDocument, { datastoreId, imageSetId });
    const current = data.imageSet;
    if (!current?.latestVersionId) throw new Error(`Image set ${imageSetId} could not be read.`);
    if (current.state !== 'LOCKED') return current;
    log(`version ${current.latestVersionId} is still being written; waiting for it by subscription`);
    await watcher.untilSettled(datastoreId, imageSetId, current.latestVersionId);
  }
}

function conflictOf(error: GatewayRequestError): { latestVersionId?: string; state?: string } {
  const current = error.current ?? {};
  return {
    ...(typeof current.latestVersionId === 'string' ? { latestVersionId: current.latestVersionId } : {}),
    ...(typeof current.state === 'string' ? { state: current.state } : {}),
  };
}
