import type { HilStore } from '../store/hil-store';
import { DatastoreLifecycle } from './datastore-lifecycle';
import { Datastores } from './datastores';
import { ImageSets } from './image-sets';
import { ImportJobs } from './import-jobs';
import { ImportRunner, type ImportSettings } from './import-runner';
import { ImportWrites } from './import-writes';
import type { ModelContext } from './model-context';
import { recoverOnStart } from './start-up-recovery';
import { Tags } from './tags';
import { WriteScheduler } from './write-scheduler';

export interface ModelSettings {
  /** Delay before an accepted Update/Copy/Delete completes. */
  writeDelayMs: number;
  /** Delay of CREATING → ACTIVE and DELETING → DELETED. */
  datastoreDelayMs: number;
  /** Delay before a submitted import job starts. */
  importDelayMs: number;
  /** The folder `s3://bucket/key` maps to. */
  s3Dir: string;
  import: ImportSettings;
}

/**
 * The service behind the wire: every rule and every transaction of HealthImaging Local, one
 * object per resource (moto calls this the backend). Responses call it; it calls the store.
 */
export class HealthImagingModel {
  readonly datastores: Datastores;
  readonly importJobs: ImportJobs;
  readonly imageSets: ImageSets;
  readonly tags: Tags;
  /** The writes an import makes, also open to seeding image sets without DICOM files. */
  readonly importWrites: ImportWrites;
  private readonly ctx: ModelContext;
  private readonly scheduler: WriteScheduler;
  private readonly lifecycle: DatastoreLifecycle;
  private readonly runner: ImportRunner;

  constructor(store: HilStore, settings: ModelSettings, log: (line: string) => void, now: () => number = Date.now) {
    this.ctx = { store, now };
    this.importWrites = new ImportWrites(this.ctx);
    this.scheduler = new WriteScheduler(this.ctx, log);
    this.lifecycle = new DatastoreLifecycle(this.ctx, log);
    this.runner = new ImportRunner(this.ctx, this.importWrites, settings.s3Dir, settings.import, log);
    this.datastores = new Datastores(this.ctx, this.lifecycle, settings.datastoreDelayMs);
    this.importJobs = new ImportJobs(this.ctx, this.datastores, this.runner, settings.importDelayMs);
    this.imageSets = new ImageSets(this.ctx, this.scheduler, settings.writeDelayMs);
    this.tags = new Tags(this.ctx);
  }

  /** Before the first request: makes the database consistent; returns how many writes it completed. */
  recover(): number {
    return recoverOnStart(this.ctx);
  }

  /** Once serving: re-arms the data store transitions and import jobs the last process left running. */
  resume(): void {
    this.lifecycle.resume();
    this.runner.resume();
  }

  /** Completes every accepted-but-unfinished Update/Copy/Delete now. Returns how many. */
  flushWrites(): number {
    return this.scheduler.flush();
  }

  /** Cancels the timers of writes and data store transitions (the store keeps their work). */
  stopTimers(): void {
    this.scheduler.close();
    this.lifecycle.close();
  }

  /** Stops taking import work and waits for the running import to end. */
  async stopImports(): Promise<void> {
    await this.runner.close();
  }
}
