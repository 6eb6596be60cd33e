import type { HealthImagingModel } from '../model/healthimaging-model';
import type { AccessKeyGrant } from '../shapes/access-grant';
import type { OperationName } from '../shapes/operation-names';
import type { PageTokens } from './page-tokens';
import type { WireResponse } from './wire';

export interface RequestContext {
  operation: OperationName;
  params: Record<string, string>;
  query: URLSearchParams;
  body: Buffer;
  grant: AccessKeyGrant;
  /** Region of the caller's signing scope; used in ARNs. */
  region: string;
}

export interface HilServices {
  model: HealthImagingModel;
  /** Account id used in ARNs. */
  accountId: string;
  pageTokens: PageTokens;
}

export type Handler = (ctx: RequestContext, services: HilServices) => WireResponse | Promise<WireResponse>;
