import type { Principal } from '../auth/principal';
import type { MetadataKey } from '../types/metadata-key';
import { framePath } from './frame-paths';
import type { FrameTokens, MintedFrameToken } from './frame-tokens';

export interface FrameUrl {
  /** `/frames/<token>`, relative to the gateway's origin. */
  url: string;
  expiresAt: Date;
}

/**
 * Mints the URL of a frame for the caller of a GraphQL request. The URL carries the caller's
 * identity so that fetching it is rate limited and audited as the caller, whoever fetches it.
 */
export class FrameUrls {
  constructor(private readonly tokens: FrameTokens) {}

  get ttlSeconds(): number {
    return this.tokens.ttlSeconds;
  }

  issue(principal: Principal, source: MetadataKey, imageFrameId: string): FrameUrl {
    const minted: MintedFrameToken = this.tokens.mint({
      tenantId: principal.tenantId,
      subject: principal.subject,
      method: principal.method,
      ...(principal.client !== undefined ? { client: principal.client } : {}),
      datastoreId: source.datastoreId,
      imageSetId: source.imageSetId,
      versionId: source.versionId,
      imageFrameId,
    });
    return { url: framePath(minted.token), expiresAt: minted.expiresAt };
  }
}
