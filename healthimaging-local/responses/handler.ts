import type { AccessKeyGrant } from '../shapes/access-grant';
import type { OperationName } from '../shapes/operation-names';
import type { HilStore } from '../store/hil-store';
import type { WireResponse } from '../wire';
import type { DatastoreLifecycle } from '../model/datastore-lifecycle';
import type { ImportRunner } from '../model/import-runner';
import type { WriteScheduler } from '../model/write-scheduler';
import type { ModelContext } from '../model/model-context';
import type { PageTokens } from '../pagination';

export interface RequestContext {
  operation: OperationName;
  params: Record<string, string>;
  query: URLSearchParams;
  body: Buffer;
  grant: AccessKeyGrant;
  /** Region of the caller's signing scope; used in ARNs. */
  region: string;
}

export interface ServiceSettings {
  accountId: string;
  writeDelayMs: number;
  datastoreDelayMs: number;
  importDelayMs: number;
}

export interface HilServices {
  store: HilStore;
  model: ModelContext;
  settings: ServiceSettings;
  writes: WriteScheduler;
  datastoreLifecycle: DatastoreLifecycle;
  imports: ImportRunner;
  pageTokens: PageTokens;
}

export type Handler = (ctx: RequestContext, services: HilServices) => WireResponse | Promise<WireResponse>;
