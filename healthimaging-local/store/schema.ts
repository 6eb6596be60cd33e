/**
 * SQLite schema of HealthImaging Local. Times are epoch milliseconds. Every image set version
 * row carries its own state, workflow status, message, `forced` flag and gzip'd metadata document,
 * so any version stays readable; `pending_writes` holds the accepted-but-unfinished Update / Copy /
 * Delete work, committed in the same transaction as the LOCKED version row it belongs to.
 */
export const SCHEMA_VERSION = 2;

/** What turns a database of version N-1 into version N (SCHEMA_SQL already holds the result). */
export const MIGRATIONS: Readonly<Record<number, string>> = {
  // Every series of an image set, for search; NULL until the store backfills it from the document.
  2: 'ALTER TABLE image_sets ADD COLUMN series_uids TEXT',
};

export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS datastores (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  status TEXT NOT NULL,
  kms_key_arn TEXT,
  lambda_authorizer_arn TEXT,
  lossless_storage_format TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  transition_due_at INTEGER
);

CREATE TABLE IF NOT EXISTS image_sets (
  datastore_id TEXT NOT NULL,
  id TEXT NOT NULL,
  is_primary INTEGER NOT NULL,
  study_uid TEXT,
  series_uid TEXT,
  latest_version INTEGER NOT NULL,
  state TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  deleted_at INTEGER,
  summary TEXT NOT NULL DEFAULT '{}',
  series_uids TEXT,
  PRIMARY KEY (datastore_id, id)
);
CREATE INDEX IF NOT EXISTS image_sets_primary_series
  ON image_sets (datastore_id, study_uid, series_uid) WHERE is_primary = 1 AND state != 'DELETED';

CREATE TABLE IF NOT EXISTS image_set_versions (
  datastore_id TEXT NOT NULL,
  image_set_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  state TEXT NOT NULL,
  workflow_status TEXT NOT NULL,
  message TEXT,
  forced INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  deleted_at INTEGER,
  document BLOB NOT NULL,
  PRIMARY KEY (datastore_id, image_set_id, version)
);

CREATE TABLE IF NOT EXISTS frames (
  datastore_id TEXT NOT NULL,
  id TEXT NOT NULL,
  content_type TEXT NOT NULL,
  bytes BLOB NOT NULL,
  PRIMARY KEY (datastore_id, id)
);

CREATE TABLE IF NOT EXISTS frame_refs (
  datastore_id TEXT NOT NULL,
  image_set_id TEXT NOT NULL,
  frame_id TEXT NOT NULL,
  PRIMARY KEY (datastore_id, image_set_id, frame_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS frame_refs_by_frame ON frame_refs (datastore_id, frame_id);

CREATE TABLE IF NOT EXISTS import_jobs (
  datastore_id TEXT NOT NULL,
  id TEXT NOT NULL,
  name TEXT NOT NULL,
  status TEXT NOT NULL,
  data_access_role_arn TEXT NOT NULL,
  input_s3_uri TEXT NOT NULL,
  output_s3_uri TEXT NOT NULL,
  input_owner_account_id TEXT,
  submitted_at INTEGER NOT NULL,
  ended_at INTEGER,
  message TEXT,
  PRIMARY KEY (datastore_id, id)
);

CREATE TABLE IF NOT EXISTS tags (
  resource TEXT NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (resource, key)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS client_tokens (
  operation TEXT NOT NULL,
  token TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  response TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (operation, token)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS pending_writes (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  datastore_id TEXT NOT NULL,
  image_set_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  payload TEXT NOT NULL,
  due_at INTEGER NOT NULL
);
`;
