import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AccessKeyRegistry } from './http/access-keys';
import { CallStats, type CallStatsSnapshot } from './http/call-stats';
import { DEFAULT_IMPORT_QUOTAS } from './dicom/import-quotas';
import { FaultController } from './http/faults';
import { HealthImagingModel } from './model/healthimaging-model';
import type { ImportWrites } from './model/import-writes';
import { DEFAULT_ACCESS_KEY, DEFAULT_ACCOUNT_ID, type HealthImagingLocalOptions } from './options';
import { RateLimiter } from './http/rate-limits';
import { HilHttpServer } from './http/server';
import { SigV4Verifier } from './http/sigv4-verifier';
import { PageTokens } from './responses/page-tokens';
import { lockDataDir, type DataDirLock } from './store/data-dir-lock';
import { HilStore } from './store/hil-store';

export type { HealthImagingLocalOptions, AccessKeyGrant } from './options';
export { DEFAULT_ACCESS_KEY, DEFAULT_ACCOUNT_ID } from './options';
export type { FaultSpec, FaultMode } from './http/faults';
export { parseFaultSpec } from './http/faults';
export type { RateLimitSpec, RateLimit } from './http/rate-limits';
export { parseRateLimits, QUOTA_RATE_LIMITS } from './http/rate-limits';
export type { CallStatsSnapshot } from './http/call-stats';
export type { OperationName } from './shapes/operation-names';

export interface HealthImagingLocalAdmin {
  /** Injected faults (also reachable at `/_hil/faults`). */
  faults: FaultController;
  /** Per-operation token buckets; `set('quota')` applies the service's documented rates. */
  rateLimits: RateLimiter;
  /** Calls per operation and per access key (also at `/_hil/stats`). */
  stats(): CallStatsSnapshot;
  resetStats(): void;
  /** Keys the server accepts; add or remove at run time. */
  accessKeys: AccessKeyRegistry;
  /** Completes every accepted-but-unfinished Update/Copy/Delete now. Returns how many. */
  flushWrites(): number;
  /** Direct, transactional writes of image sets and frames, for seeding without DICOM files. */
  importTarget: Pick<
    ImportWrites,
    'findPrimary' | 'putFrames' | 'discardFrames' | 'createImageSet' | 'appendImportedVersion'
  >;
  /** Where `s3://bucket/prefix` lives on disk. */
  s3Dir: string;
  accountId: string;
}

export interface HealthImagingLocal {
  url: string;
  port: number;
  close(): Promise<void>;
  admin: HealthImagingLocalAdmin;
}

/**
 * Starts HealthImaging Local: opens the store, recovers it through the model, then listens. Every write the
 * previous process acknowledged is completed before the first request is served.
 */
export async function startHealthImagingLocal(options: HealthImagingLocalOptions = {}): Promise<HealthImagingLocal> {
  const log = options.log ?? (() => undefined);
  const inMemory = options.inMemory ?? !options.dataDir;
  let tempS3: string | undefined;
  const s3Dir =
    options.s3Dir ??
    (!inMemory && options.dataDir ? join(options.dataDir, 's3') : (tempS3 = mkdtempSync(join(tmpdir(), 'hil-s3-'))));

  // Taken before anything reads the folder: the recovery below must never run beside a live owner.
  const lock: DataDirLock | undefined = !inMemory && options.dataDir ? lockDataDir(options.dataDir) : undefined;
  let store: HilStore;
  let pageTokens: PageTokens;
  try {
    store = HilStore.open({ dataDir: options.dataDir, inMemory });
    pageTokens = !inMemory && options.dataDir ? PageTokens.forDataDir(options.dataDir) : PageTokens.ephemeral();
  } catch (err) {
    lock?.release();
    throw err;
  }
  const model = new HealthImagingModel(
    store,
    {
      writeDelayMs: options.writeDelayMs ?? 200,
      datastoreDelayMs: options.datastoreDelayMs ?? 200,
      importDelayMs: options.importDelayMs ?? 50,
      s3Dir,
      import: {
        quotas: { ...DEFAULT_IMPORT_QUOTAS, maxFiles: options.maxImportFiles ?? DEFAULT_IMPORT_QUOTAS.maxFiles },
        lockWaitMs: options.importLockWaitMs ?? 60_000,
      },
    },
    log,
  );
  let recovered: number;
  try {
    recovered = model.recover();
  } catch (err) {
    store.close();
    lock?.release();
    throw err;
  }
  if (recovered > 0) log(`completed ${recovered} write(s) left pending by the previous run`);

  const accountId = options.accountId ?? DEFAULT_ACCOUNT_ID;
  const accessKeys = new AccessKeyRegistry(options.accessKeys ?? [DEFAULT_ACCESS_KEY]);
  const faults = new FaultController(options.faults);
  const rateLimiter = new RateLimiter(options.rateLimits);
  const stats = new CallStats();
  const server = new HilHttpServer({
    services: { model, accountId, pageTokens },
    verifier: new SigV4Verifier(accessKeys, options.maxClockSkewMs ?? 15 * 60_000),
    faults,
    rateLimiter,
    stats,
    maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024,
    log,
  });

  let address;
  try {
    address = await server.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  } catch (err) {
    store.close();
    lock?.release();
    throw err;
  }
  model.resume();

  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closed: Promise<void> | undefined;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    close: () =>
      (closed ??= (async () => {
        model.stopTimers();
        await server.close();
        await model.stopImports();
        store.close();
        lock?.release();
        if (tempS3) rmSync(tempS3, { recursive: true, force: true });
      })()),
    admin: {
      faults,
      rateLimits: rateLimiter,
      stats: () => stats.snapshot(),
      resetStats: () => stats.reset(),
      accessKeys,
      flushWrites: () => model.flushWrites(),
      importTarget: model.importWrites,
      s3Dir,
      accountId,
    },
  };
}
