import type { Db } from './database';
import { openDatabase } from './database';
import { ClientTokenStore } from './client-token-store';
import { DatastoreStore } from './datastore-store';
import { ImageSetStore } from './image-set-store';
import { ImportJobStore } from './import-job-store';
import { PendingWriteStore } from './pending-write-store';
import { TagStore } from './tag-store';
import { WalCheckpointer } from './wal-checkpointer';

/**
 * The whole persistent state of one HealthImaging Local: one SQLite database behind per-table
 * stores. Plain SQL only: every rule, and the choice of what one transaction holds, is the
 * model's (healthimaging-local/model/).
 */
export class HilStore {
  readonly datastores: DatastoreStore;
  readonly imageSets: ImageSetStore;
  readonly importJobs: ImportJobStore;
  readonly tags: TagStore;
  readonly clientTokens: ClientTokenStore;
  readonly pendingWrites: PendingWriteStore;
  private checkpointer?: WalCheckpointer;

  constructor(readonly db: Db) {
    this.datastores = new DatastoreStore(db);
    this.imageSets = new ImageSetStore(db);
    this.importJobs = new ImportJobStore(db);
    this.tags = new TagStore(db);
    this.clientTokens = new ClientTokenStore(db);
    this.pendingWrites = new PendingWriteStore(db);
  }

  static open(location: { dataDir?: string | undefined; inMemory?: boolean | undefined }): HilStore {
    const store = new HilStore(openDatabase(location));
    if (!store.db.memory) store.checkpointer = new WalCheckpointer(store.db);
    return store;
  }

  /** Runs `fn` in one transaction (nested calls join the outer one). */
  tx<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  /** False once closed: timers that outlive a shutdown check this before touching a table. */
  get isOpen(): boolean {
    return this.db.open;
  }

  close(): void {
    this.checkpointer?.stop();
    if (this.db.open) this.db.close();
  }
}
