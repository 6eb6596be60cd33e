import { describeError, silentLogger, type Logger } from '../logging/logger';
import { recordIdOf, type KeyOwner } from './idempotency-key';
import type { IdempotencyStore, StoredResponse } from './idempotency-store';

/**
 * Idempotent mutations (the `Idempotency-Key` header, as Stripe and the IETF httpapi draft use it).
 * The first request with a key reserves it and runs; its response is recorded for `ttlMs`. A repeat
 * with the same body gets that response again and runs nothing; with another body, 422; while the
 * first still runs, 409. Any response of a run that began executing is recorded, errors included:
 * an error cannot prove that a write it stopped was not applied (an ambiguous write is reconciled
 * before it answers, so what is recorded is the reconciled outcome). Only a response with no
 * `data` at all (the document never ran: Apollo's parse, validation and variable errors) releases
 * the key.
 *
 * When the store cannot be reached the request is refused: running it unrecorded is exactly the
 * duplicate the client sent the key to prevent.
 */

export const DEFAULT_IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

export interface IdempotencyOptions {
  store: IdempotencyStore;
  /** How long a key's record (and its response) is kept. Default 24 h. */
  ttlMs?: number;
  /**
   * A running record older than this belongs to a request whose process died before it answered
   * (a live request ends by its deadline well before). Its outcome is unknown, so the key refuses.
   */
  leaseMs: number;
  clock?: () => number;
  logger?: Logger;
}

export interface IdempotentRequest {
  /** A key `checkIdempotencyKey` accepted. */
  key: string;
  owner: KeyOwner;
  /** `fingerprintOf` the request's document, operation name and variables. */
  fingerprint: string;
}

export interface IdempotencyRefusal {
  status: number;
  code: string;
  message: string;
  headers?: ReadonlyArray<readonly [string, string]>;
}

export interface IdempotentRun {
  kind: 'run';
  /** Records the run's response (or releases the key when the document never ran). Never rejects. */
  finish(response: StoredResponse): Promise<void>;
}

export type IdempotencyStart =
  IdempotentRun | { kind: 'replay'; response: StoredResponse } | ({ kind: 'refused' } & IdempotencyRefusal);

export const IDEMPOTENCY_REFUSALS = {
  reused: {
    status: 422,
    code: 'IDEMPOTENCY_KEY_REUSED',
    message: 'This Idempotency-Key was sent before with a different request; send a new key for a new request.',
  },
  inFlight: {
    status: 409,
    code: 'IDEMPOTENCY_KEY_IN_USE',
    message:
      'A request with this Idempotency-Key is still running; retry once it has answered to receive its response.',
    headers: [['retry-after', '1']],
  },
  abandoned: {
    status: 503,
    code: 'UPSTREAM_UNAVAILABLE',
    message:
      'The first request with this Idempotency-Key never answered, so whether it was applied is unknown; check the data, then send a new key.',
  },
  storeUnavailable: {
    status: 503,
    code: 'UPSTREAM_UNAVAILABLE',
    message:
      'Idempotency records cannot be reached, so this write was not run (it could not be protected from a duplicate); retry later.',
    headers: [['retry-after', '1']],
  },
} as const satisfies Record<string, IdempotencyRefusal>;

export class Idempotency {
  private readonly ttlMs: number;
  private readonly clock: () => number;
  private readonly logger: Logger;
  private storeDown = false;

  constructor(private readonly options: IdempotencyOptions) {
    this.ttlMs = options.ttlMs ?? DEFAULT_IDEMPOTENCY_TTL_MS;
    this.clock = options.clock ?? Date.now;
    this.logger = options.logger ?? silentLogger;
  }

  async begin(request: IdempotentRequest): Promise<IdempotencyStart> {
    const id = recordIdOf(request.owner, request.key);
    const { fingerprint } = request;
    let reservation;
    try {
      reservation = await this.options.store.reserve(
        id,
        { state: 'running', fingerprint, startedAt: this.clock() },
        this.ttlMs,
      );
      this.storeAnswered();
    } catch (error) {
      this.storeFailed(error);
      return refused(IDEMPOTENCY_REFUSALS.storeUnavailable);
    }
    if (reservation.reserved) return { kind: 'run', finish: (response) => this.finish(id, fingerprint, response) };

    const { existing } = reservation;
    if (existing.fingerprint !== fingerprint) return refused(IDEMPOTENCY_REFUSALS.reused);
    if (existing.state === 'done') return { kind: 'replay', response: existing.response };
    if (this.clock() - existing.startedAt > this.options.leaseMs) return refused(IDEMPOTENCY_REFUSALS.abandoned);
    return refused(IDEMPOTENCY_REFUSALS.inFlight);
  }

  private async finish(id: string, fingerprint: string, response: StoredResponse): Promise<void> {
    const executed = documentRan(response);
    try {
      if (executed) await this.options.store.put(id, { state: 'done', fingerprint, response }, this.ttlMs);
      else await this.options.store.delete(id);
    } catch (error) {
      // The client still gets its answer; a repeat then finds the key running, later abandoned,
      // and is refused: never run twice.
      this.logger.warn('idempotency.record_failed', {
        ...describeError(error),
        outcome: executed
          ? 'repeats of this key are refused instead of replayed'
          : 'the key stays reserved until its record expires',
      });
    }
  }

  private storeFailed(error: unknown): void {
    if (this.storeDown) return;
    this.storeDown = true;
    this.logger.warn('idempotency.store_unavailable', {
      ...describeError(error),
      outcome: 'mutations with an Idempotency-Key are refused until the store answers',
    });
  }

  private storeAnswered(): void {
    if (!this.storeDown) return;
    this.storeDown = false;
    this.logger.info('idempotency.store_restored', { outcome: 'mutations with an Idempotency-Key run again' });
  }
}

function refused(refusal: IdempotencyRefusal): IdempotencyStart {
  return { kind: 'refused', ...refusal };
}

/**
 * GraphQL over HTTP: a response without a `data` entry is a request error raised before execution
 * began (nothing resolved, nothing was sent upstream). Anything else, an unreadable body included,
 * counts as having run.
 */
export function documentRan(response: StoredResponse): boolean {
  try {
    const body = JSON.parse(response.body) as unknown;
    return !(typeof body === 'object' && body !== null && !Array.isArray(body) && !('data' in body));
  } catch {
    return true;
  }
}
