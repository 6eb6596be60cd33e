import { ImportJobRejected, type ImportQuotas } from '../dicom/import-quotas';
import type { ImportTarget } from '../dicom/import-target';
import { runDicomImport } from '../dicom/run-dicom-import';
import { ServiceError } from '../shapes/errors';
import { resolveInputPrefix, resolveOutputPrefix, S3LocationError } from './s3-paths';
import type { ImportWrites } from './import-writes';
import type { ModelContext } from './model-context';
import { TimerSet } from './timer-set';

export interface ImportSettings {
  quotas: ImportQuotas;
  /** How long a job waits for a LOCKED primary image set before failing the files bound for it. */
  lockWaitMs: number;
}

/**
 * Runs import jobs one at a time (SUBMITTED → IN_PROGRESS → COMPLETED | FAILED). One at a time
 * keeps the importer's find-primary-then-write sequences from interleaving across jobs. A job
 * commits its image sets and its COMPLETED status in one transaction, so a job left unfinished by
 * a previous process wrote nothing and simply runs again on start.
 */
export class ImportRunner {
  private chain: Promise<void> = Promise.resolve();
  private readonly timers = new TimerSet();

  constructor(
    private readonly ctx: ModelContext,
    private readonly writes: ImportWrites,
    private readonly s3Root: string,
    private readonly settings: ImportSettings,
    private readonly log: (line: string) => void,
  ) {}

  submit(datastoreId: string, jobId: string, delayMs: number): void {
    this.timers.schedule(delayMs, () => {
      this.chain = this.chain.then(() => this.run(datastoreId, jobId));
    });
  }

  resume(): void {
    for (const job of this.ctx.store.importJobs.unfinished()) this.submit(job.datastoreId, job.jobId, 0);
  }

  /** Stops taking work, makes the running import's writes fail fast, and waits for it to end. */
  async close(): Promise<void> {
    this.timers.close();
    await this.chain;
  }

  private get closing(): boolean {
    return this.timers.closed;
  }

  private async run(datastoreId: string, jobId: string): Promise<void> {
    if (this.closing) return;
    const { store } = this.ctx;
    const job = store.importJobs.get(datastoreId, jobId);
    if (!job || job.jobStatus === 'COMPLETED' || job.jobStatus === 'FAILED') return;
    store.importJobs.setStatus(datastoreId, jobId, 'IN_PROGRESS', null, null);
    let failure: string;
    try {
      const input = resolveInputPrefix(this.s3Root, job.inputS3Uri);
      const outputDir = resolveOutputPrefix(this.s3Root, job.outputS3Uri);
      if (!input) {
        failure = 'INVALID_REQUEST: No object in the input S3 bucket has a key starting with the input prefix';
      } else {
        const summary = await runDicomImport({
          datastoreId,
          jobId,
          inputDir: input.dir,
          inputNamePrefix: input.namePrefix,
          outputDir,
          inputS3Uri: job.inputS3Uri,
          outputS3Uri: job.outputS3Uri,
          target: this.jobTarget(datastoreId, jobId),
          quotas: this.settings.quotas,
          lockWaitMs: this.settings.lockWaitMs,
        });
        this.log(
          `import job ${jobId}: ${summary.numberOfImportedFiles}/${summary.numberOfScannedFiles} files, ` +
            `${summary.numberOfGeneratedImageSets} image sets`,
        );
        return; // the commit recorded COMPLETED
      }
    } catch (err) {
      if (this.closing) return; // left IN_PROGRESS, nothing committed: the next start runs it again
      failure =
        err instanceof ImportJobRejected
          ? err.message
          : err instanceof S3LocationError || (err instanceof ServiceError && err.errorName === 'ValidationException')
            ? `INVALID_REQUEST: ${err.message}`
            : 'INTERNAL_ERROR: The import job could not be completed';
      this.log(`import job ${jobId} failed (${err instanceof Error ? err.name : 'error'})`);
    }
    if (!store.isOpen) return;
    store.importJobs.setStatus(datastoreId, jobId, 'FAILED', this.ctx.now(), failure);
  }

  /** The import writes as one job's importer sees them; after close() starts, every write fails fast. */
  private jobTarget(datastoreId: string, jobId: string): ImportTarget {
    const guard = (): void => {
      if (this.closing) throw new Error('HealthImaging Local is shutting down');
    };
    const { ctx, writes } = this;
    return {
      findPrimary: (d, st, se) => (guard(), writes.findPrimary(d, st, se)),
      putFrames: (d, frames) => (guard(), writes.putFrames(d, frames)),
      discardFrames: (d, ids) => (guard(), writes.discardFrames(d, ids)),
      prepareDocument: (doc) => writes.prepareDocument(doc),
      commit: (write) => {
        guard();
        ctx.store.tx(() => {
          write();
          ctx.store.importJobs.setStatus(datastoreId, jobId, 'COMPLETED', ctx.now(), null);
        });
      },
      createImageSet: (d, id, doc, primary) => writes.createImageSet(d, id, doc, primary),
      appendImportedVersion: (d, id, doc) => writes.appendImportedVersion(d, id, doc),
    };
  }
}
