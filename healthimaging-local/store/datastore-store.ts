import type { DatastoreRecord, DatastoreStatus } from '../shapes/datastore';
import type { Db } from './database';

interface Row {
  id: string;
  name: string;
  status: DatastoreStatus;
  kms_key_arn: string | null;
  lambda_authorizer_arn: string | null;
  lossless_storage_format: string;
  created_at: number;
  updated_at: number;
  transition_due_at: number | null;
}

const toRecord = (r: Row): DatastoreRecord => ({
  datastoreId: r.id,
  datastoreName: r.name,
  datastoreStatus: r.status,
  kmsKeyArn: r.kms_key_arn,
  lambdaAuthorizerArn: r.lambda_authorizer_arn,
  losslessStorageFormat: r.lossless_storage_format,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  transitionDueAt: r.transition_due_at,
});

export class DatastoreStore {
  private readonly s;

  constructor(db: Db) {
    this.s = {
      get: db.prepare('SELECT * FROM datastores WHERE id = ?'),
      insert: db.prepare(
        `INSERT INTO datastores (id, name, status, kms_key_arn, lambda_authorizer_arn, lossless_storage_format, created_at, updated_at, transition_due_at)
         VALUES (@datastoreId, @datastoreName, @datastoreStatus, @kmsKeyArn, @lambdaAuthorizerArn, @losslessStorageFormat, @createdAt, @updatedAt, @transitionDueAt)`,
      ),
      setStatus: db.prepare('UPDATE datastores SET status = ?, updated_at = ?, transition_due_at = ? WHERE id = ?'),
      all: db.prepare('SELECT * FROM datastores ORDER BY created_at, id'),
      transitioning: db.prepare(`SELECT * FROM datastores WHERE transition_due_at IS NOT NULL`),
      countNotDeleted: db.prepare(`SELECT COUNT(*) AS n FROM datastores WHERE status != 'DELETED'`),
    };
  }

  get(id: string): DatastoreRecord | undefined {
    const row = this.s.get.get(id) as Row | undefined;
    return row ? toRecord(row) : undefined;
  }

  insert(record: DatastoreRecord): void {
    this.s.insert.run(record);
  }

  setStatus(id: string, status: DatastoreStatus, at: number, transitionDueAt: number | null): void {
    this.s.setStatus.run(status, at, transitionDueAt, id);
  }

  all(): DatastoreRecord[] {
    return (this.s.all.all() as Row[]).map(toRecord);
  }

  transitioning(): DatastoreRecord[] {
    return (this.s.transitioning.all() as Row[]).map(toRecord);
  }

  countNotDeleted(): number {
    return (this.s.countNotDeleted.get() as { n: number }).n;
  }
}
