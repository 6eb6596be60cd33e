import type { FaultSpec } from './http/faults';
import type { RateLimitSpec } from './http/rate-limits';
import type { AccessKeyGrant } from './shapes/access-grant';

export type { AccessKeyGrant } from './shapes/access-grant';

export interface HealthImagingLocalOptions {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number | undefined;
  /** Interface to bind; defaults to 127.0.0.1. */
  host?: string | undefined;
  /** Directory holding `hil.sqlite` and, unless `s3Dir` is given, the `s3/` tree. */
  dataDir?: string | undefined;
  /** Keep the database in memory (nothing survives close). Needs `s3Dir` or gets a temp dir. */
  inMemory?: boolean | undefined;
  /** Root that `s3://bucket/prefix` maps to (`<s3Dir>/bucket/prefix`). */
  s3Dir?: string | undefined;
  /** Delay before an accepted Update/Copy/Delete completes (ms, default 200, 0 allowed). */
  writeDelayMs?: number | undefined;
  /** Delay of CreateDatastore CREATING→ACTIVE and DeleteDatastore DELETING→DELETED (default 200). */
  datastoreDelayMs?: number | undefined;
  /** Delay before a submitted import job starts running (default 50). */
  importDelayMs?: number | undefined;
  /** Files an import job may read (the service quota, 5,000 by default; adjustable there too). */
  maxImportFiles?: number | undefined;
  /**
   * How long an import waits for a primary image set it adds to while an Update/Copy/Delete holds
   * it LOCKED; past that, those files fail as ConflictException lines (ms, default 60,000).
   */
  importLockWaitMs?: number | undefined;
  /** Accepted access keys; defaults to the single default key pair, granted every data store. */
  accessKeys?: AccessKeyGrant[] | undefined;
  /** Account id used in ARNs. */
  accountId?: string | undefined;
  /** Reject requests whose x-amz-date is further than this from now (ms, default 15 min). */
  maxClockSkewMs?: number | undefined;
  /** Largest accepted request body in bytes (default 1 MiB). */
  maxBodyBytes?: number | undefined;
  faults?: FaultSpec[] | undefined;
  rateLimits?: RateLimitSpec | undefined;
  /** Receives one line per notable event (start-up, recovered writes); never patient data. */
  log?: ((line: string) => void) | undefined;
}

export const DEFAULT_ACCESS_KEY: AccessKeyGrant = Object.freeze({
  accessKeyId: 'AKIAHILLOCAL00000000',
  secretAccessKey: 'healthimaging-local-default-secret-key',
  datastores: '*',
});

export const DEFAULT_ACCOUNT_ID = '123456789012';
