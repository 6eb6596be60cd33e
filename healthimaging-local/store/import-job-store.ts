import type { ImportJobRecord, JobStatus } from '../shapes/import-job';
import type { Db } from './database';

interface Row {
  datastore_id: string;
  id: string;
  name: string;
  status: JobStatus;
  data_access_role_arn: string;
  input_s3_uri: string;
  output_s3_uri: string;
  input_owner_account_id: string | null;
  submitted_at: number;
  ended_at: number | null;
  message: string | null;
}

const toRecord = (r: Row): ImportJobRecord => ({
  datastoreId: r.datastore_id,
  jobId: r.id,
  jobName: r.name,
  jobStatus: r.status,
  dataAccessRoleArn: r.data_access_role_arn,
  inputS3Uri: r.input_s3_uri,
  outputS3Uri: r.output_s3_uri,
  inputOwnerAccountId: r.input_owner_account_id,
  submittedAt: r.submitted_at,
  endedAt: r.ended_at,
  message: r.message,
});

export class ImportJobStore {
  private readonly s;

  constructor(db: Db) {
    this.s = {
      get: db.prepare('SELECT * FROM import_jobs WHERE datastore_id = ? AND id = ?'),
      insert: db.prepare(
        `INSERT INTO import_jobs (datastore_id, id, name, status, data_access_role_arn, input_s3_uri, output_s3_uri, input_owner_account_id, submitted_at)
         VALUES (@datastoreId, @jobId, @jobName, @jobStatus, @dataAccessRoleArn, @inputS3Uri, @outputS3Uri, @inputOwnerAccountId, @submittedAt)`,
      ),
      setStatus: db.prepare(
        'UPDATE import_jobs SET status = ?, ended_at = ?, message = ? WHERE datastore_id = ? AND id = ?',
      ),
      list: db.prepare(
        `SELECT * FROM import_jobs WHERE datastore_id = ? AND (? IS NULL OR status = ?)
         ORDER BY submitted_at DESC, id DESC`,
      ),
      unfinished: db.prepare(
        `SELECT * FROM import_jobs WHERE status IN ('SUBMITTED', 'IN_PROGRESS') ORDER BY submitted_at`,
      ),
      countRunning: db.prepare(
        `SELECT COUNT(*) AS n FROM import_jobs WHERE datastore_id = ? AND status IN ('SUBMITTED', 'IN_PROGRESS')`,
      ),
    };
  }

  get(datastoreId: string, jobId: string): ImportJobRecord | undefined {
    const row = this.s.get.get(datastoreId, jobId) as Row | undefined;
    return row ? toRecord(row) : undefined;
  }

  insert(job: Omit<ImportJobRecord, 'endedAt' | 'message'>): void {
    this.s.insert.run(job);
  }

  setStatus(
    datastoreId: string,
    jobId: string,
    status: JobStatus,
    endedAt: number | null,
    message: string | null,
  ): void {
    this.s.setStatus.run(status, endedAt, message, datastoreId, jobId);
  }

  /** Newest first. */
  list(datastoreId: string, status: JobStatus | undefined): ImportJobRecord[] {
    return (this.s.list.all(datastoreId, status ?? null, status ?? null) as Row[]).map(toRecord);
  }

  unfinished(): ImportJobRecord[] {
    return (this.s.unfinished.all() as Row[]).map(toRecord);
  }

  countRunning(datastoreId: string): number {
    return (this.s.countRunning.get(datastoreId) as { n: number }).n;
  }
}
