import type { DatastoreLifecycle } from './datastore-lifecycle';
import { answerOnce } from './idempotency';
import type { ModelContext } from './model-context';
import { ServiceError, conflict, notFound } from '../shapes/errors';
import type { DatastoreRecord, DatastoreStatus } from '../shapes/datastore';
import { newResourceId } from '../shapes/ids';
import { MAX_DATASTORES } from '../shapes/quotas';

export interface NewDatastore {
  clientToken: string;
  /** Identifies the request for clientToken replays. */
  fingerprint: string;
  datastoreName: string | undefined;
  tags: Record<string, string>;
  kmsKeyArn: string | undefined;
  lambdaAuthorizerArn: string | undefined;
  losslessStorageFormat: string;
}

/** What CreateDatastore and DeleteDatastore answer. */
export interface DatastoreAnswer {
  datastoreId: string;
  datastoreStatus: string;
}

/** Data stores (docs/healthimaging-behaviour.md#data-stores): creation, look-up, listing, deletion. */
export class Datastores {
  constructor(
    private readonly ctx: ModelContext,
    private readonly lifecycle: DatastoreLifecycle,
    private readonly transitionDelayMs: number,
  ) {}

  create(req: NewDatastore): DatastoreAnswer {
    const { store } = this.ctx;
    return store.tx(() =>
      answerOnce(this.ctx, 'CreateDatastore', req.clientToken, req.fingerprint, (at) => {
        if (store.datastores.countNotDeleted() >= MAX_DATASTORES) {
          throw new ServiceError(
            'ServiceQuotaExceededException',
            `At most ${MAX_DATASTORES} data stores per account and region`,
          );
        }
        const id = newResourceId();
        store.datastores.insert({
          datastoreId: id,
          datastoreName: req.datastoreName ?? id,
          datastoreStatus: 'CREATING',
          kmsKeyArn: req.kmsKeyArn ?? null,
          lambdaAuthorizerArn: req.lambdaAuthorizerArn ?? null,
          losslessStorageFormat: req.losslessStorageFormat,
          createdAt: at,
          updatedAt: at,
          transitionDueAt: at + this.transitionDelayMs,
        });
        store.tags.put(id, req.tags);
        this.lifecycle.schedule(id, this.transitionDelayMs);
        return { datastoreId: id, datastoreStatus: 'CREATING' };
      }),
    );
  }

  /**
   * The data store a request names. With `requireActive` (image set and import work) a DELETED
   * one is missing (404) and any other non-ACTIVE one is a 409; without it every status shows.
   */
  find(datastoreId: string, opts: { requireActive: boolean }): DatastoreRecord {
    const ds = this.ctx.store.datastores.get(datastoreId);
    if (!ds || (opts.requireActive && ds.datastoreStatus === 'DELETED')) {
      throw notFound(`Datastore ${datastoreId} does not exist`);
    }
    if (opts.requireActive && ds.datastoreStatus !== 'ACTIVE') {
      throw conflict(`Datastore ${datastoreId} is ${ds.datastoreStatus}, not ACTIVE`);
    }
    return ds;
  }

  /** Oldest first (creation time, then id), optionally only those in `status`. */
  list(status: DatastoreStatus | undefined): DatastoreRecord[] {
    return this.ctx.store.datastores.all().filter((ds) => !status || ds.datastoreStatus === status);
  }

  /** Refused while the data store is being created or still holds image sets or running imports. */
  delete(datastoreId: string): DatastoreAnswer {
    const { store } = this.ctx;
    return store.tx(() => {
      const ds = this.find(datastoreId, { requireActive: false });
      if (ds.datastoreStatus === 'DELETED') throw notFound(`Datastore ${ds.datastoreId} does not exist`);
      if (ds.datastoreStatus === 'DELETING') return { datastoreId: ds.datastoreId, datastoreStatus: 'DELETING' };
      if (ds.datastoreStatus === 'CREATING') throw conflict('The data store is still being created');
      if (store.imageSets.countLive(ds.datastoreId) > 0) {
        throw conflict('The data store still contains image sets; delete them first');
      }
      if (store.importJobs.countRunning(ds.datastoreId) > 0) {
        throw conflict('The data store has import jobs in progress');
      }
      const at = this.ctx.now();
      store.datastores.setStatus(ds.datastoreId, 'DELETING', at, at + this.transitionDelayMs);
      this.lifecycle.schedule(ds.datastoreId, this.transitionDelayMs);
      return { datastoreId: ds.datastoreId, datastoreStatus: 'DELETING' };
    });
  }
}
