import type { Datastores } from './datastores';
import { answerOnce } from './idempotency';
import type { ImportRunner } from './import-runner';
import type { ModelContext } from './model-context';
import { ServiceError, notFound } from '../shapes/errors';
import { newResourceId } from '../shapes/ids';
import type { ImportJobRecord, JobStatus } from '../shapes/import-job';
import { MAX_CONCURRENT_IMPORTS_PER_DATASTORE } from '../shapes/quotas';
import { epochSeconds } from '../shapes/times';

export interface NewImportJob {
  datastoreId: string;
  clientToken: string;
  /** Identifies the request for clientToken replays. */
  fingerprint: string;
  jobName: string | undefined;
  dataAccessRoleArn: string;
  inputS3Uri: string;
  outputS3Uri: string;
  inputOwnerAccountId: string | undefined;
}

/** What StartDICOMImportJob answers, kept as it was first given for clientToken replays. */
export interface ImportJobAnswer {
  datastoreId: string;
  jobId: string;
  jobStatus: string;
  /** Epoch seconds, as on the wire. */
  submittedAt: number;
}

/** DICOM import jobs (docs/healthimaging-behaviour.md#imports): submission, look-up, listing. */
export class ImportJobs {
  constructor(
    private readonly ctx: ModelContext,
    private readonly datastores: Datastores,
    private readonly runner: ImportRunner,
    private readonly startDelayMs: number,
  ) {}

  start(req: NewImportJob): ImportJobAnswer {
    const { store } = this.ctx;
    return store.tx(() => {
      const ds = this.datastores.find(req.datastoreId, { requireActive: true });
      return answerOnce(this.ctx, 'StartDICOMImportJob', req.clientToken, req.fingerprint, (at) => {
        if (store.importJobs.countRunning(ds.datastoreId) >= MAX_CONCURRENT_IMPORTS_PER_DATASTORE) {
          throw new ServiceError('ServiceQuotaExceededException', 'Too many concurrent import jobs in this data store');
        }
        const jobId = newResourceId();
        store.importJobs.insert({
          datastoreId: ds.datastoreId,
          jobId,
          jobName: req.jobName ?? `DicomImport-${jobId}`,
          jobStatus: 'SUBMITTED',
          dataAccessRoleArn: req.dataAccessRoleArn,
          inputS3Uri: req.inputS3Uri,
          outputS3Uri: req.outputS3Uri,
          inputOwnerAccountId: req.inputOwnerAccountId ?? null,
          submittedAt: at,
        });
        this.runner.submit(ds.datastoreId, jobId, this.startDelayMs);
        return { datastoreId: ds.datastoreId, jobId, jobStatus: 'SUBMITTED', submittedAt: epochSeconds(at) };
      });
    });
  }

  get(datastoreId: string, jobId: string): ImportJobRecord {
    const job = this.ctx.store.importJobs.get(datastoreId, jobId);
    if (!job) throw notFound(`Import job ${jobId} does not exist`);
    return job;
  }

  /** Newest first, optionally only those in `status`. */
  list(datastoreId: string, status: JobStatus | undefined): ImportJobRecord[] {
    return this.ctx.store.importJobs.list(datastoreId, status);
  }
}
