import { createCipheriv, createDecipheriv, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The token of a frame URL (`/frames/<token>`): the only credential a GET of the frame needs, like
 * an S3 presigned URL. It binds the tenant, the credential that asked for it (its audit identity
 * and rate-limit bucket), the data store, image set, version and frame, and an expiry.
 *
 * Keys come from the same secret as global ids and cursors (`CURSOR_SECRET`), separated by
 * purpose the way `src/auth/signed-ids.ts` does, and the MAC covers length-prefixed fields as
 * there. Unlike an id, the payload is also encrypted: a URL travels through browser histories,
 * proxy logs and referrers, and must not show who asked for which image set. The construction is
 * SIV (MAC-then-encrypt with the MAC as the counter-mode IV): deterministic, so the same frame
 * asked for by the same credential in the same issue window gets the same URL and a viewer's HTTP
 * cache can reuse it, and misuse-resistant, since it needs no random nonce.
 */

/** What a frame URL grants. Ids only: nothing here is patient data. */
export interface FrameGrant {
  tenantId: string;
  /** JWT `sub` or API key id of the credential that asked for the URL. */
  subject: string;
  method: 'jwt' | 'api-key';
  /** The JWT's `azp`, when it had one (the audit trail names it). */
  client?: string;
  datastoreId: string;
  imageSetId: string;
  /** The version whose metadata listed the frame (frames themselves are not versioned upstream). */
  versionId?: string;
  imageFrameId: string;
}

export interface MintedFrameToken {
  token: string;
  expiresAt: Date;
}

export interface OpenedFrameToken {
  grant: FrameGrant;
  expiresAt: Date;
}

const FORMAT = 'f1';
const SIV_BYTES = 16;
/** Ids, a subject of at most a few hundred characters: far below this once encoded. */
export const MAX_FRAME_TOKEN_LENGTH = 2048;
const MAX_FIELD_LENGTH = 256;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export class FrameTokens {
  private readonly macKey: Buffer;
  private readonly encryptionKey: Buffer;
  /** Issue times are rounded down to this step, so repeated queries mint the same URL for a while. */
  private readonly issueStepSeconds: number;

  /** `clock` returns epoch milliseconds (tests move it to expire tokens). */
  constructor(
    secret: string,
    readonly ttlSeconds: number,
    private readonly clock: () => number = Date.now,
  ) {
    if (typeof secret !== 'string' || secret.length < 32)
      throw new Error('FrameTokens needs a secret of at least 32 characters');
    if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0) throw new Error('ttlSeconds must be a positive integer');
    this.macKey = createHmac('sha256', secret).update('healthimaging-gateway/frame-url-mac/v1').digest();
    this.encryptionKey = createHmac('sha256', secret).update('healthimaging-gateway/frame-url-enc/v1').digest();
    // At most a tenth of the lifetime is lost to rounding: a URL always lives at least 90% of the TTL.
    this.issueStepSeconds = Math.max(1, Math.floor(ttlSeconds / 10));
  }

  mint(grant: FrameGrant): MintedFrameToken {
    const fields = fieldsOf(grant);
    if (fields.some((field) => field.length > MAX_FIELD_LENGTH)) throw new Error('A frame grant field is too long');
    const now = Math.floor(this.clock() / 1000);
    const expiresAtSeconds = now - (now % this.issueStepSeconds) + this.ttlSeconds;
    const plaintext = Buffer.from(JSON.stringify([FORMAT, ...fields, expiresAtSeconds]), 'utf8');
    const siv = this.siv(plaintext);
    const cipher = createCipheriv('aes-256-ctr', this.encryptionKey, siv);
    const sealed = Buffer.concat([siv, cipher.update(plaintext), cipher.final()]);
    return { token: sealed.toString('base64url'), expiresAt: new Date(expiresAtSeconds * 1000) };
  }

  /** The grant of a genuine, unexpired token; undefined for anything else, whatever is wrong with it. */
  open(token: unknown): OpenedFrameToken | undefined {
    if (typeof token !== 'string' || token.length > MAX_FRAME_TOKEN_LENGTH || !BASE64URL.test(token)) return undefined;
    const sealed = Buffer.from(token, 'base64url');
    // Only the canonical encoding: one token string per grant.
    if (sealed.length <= SIV_BYTES || sealed.toString('base64url') !== token) return undefined;
    const siv = sealed.subarray(0, SIV_BYTES);
    const decipher = createDecipheriv('aes-256-ctr', this.encryptionKey, siv);
    const plaintext = Buffer.concat([decipher.update(sealed.subarray(SIV_BYTES)), decipher.final()]);
    if (!timingSafeEqual(siv, this.siv(plaintext))) return undefined;
    const opened = parsePlaintext(plaintext);
    if (!opened) return undefined;
    return opened.expiresAt.getTime() > this.clock() ? opened : undefined;
  }

  private siv(plaintext: Buffer): Buffer {
    const hmac = createHmac('sha256', this.macKey);
    for (const field of ['frame-url', plaintext.toString('utf8')])
      hmac.update(`${Buffer.byteLength(field, 'utf8')}:${field};`, 'utf8');
    return hmac.digest().subarray(0, SIV_BYTES);
  }
}

/** Positional, so the token stays short; empty strings stand for the optional fields. */
function fieldsOf(grant: FrameGrant): string[] {
  return [
    grant.tenantId,
    grant.method,
    grant.subject,
    grant.client ?? '',
    grant.datastoreId,
    grant.imageSetId,
    grant.versionId ?? '',
    grant.imageFrameId,
  ];
}

function parsePlaintext(plaintext: Buffer): OpenedFrameToken | undefined {
  let decoded: unknown;
  try {
    decoded = JSON.parse(plaintext.toString('utf8'));
  } catch {
    return undefined;
  }
  // A MAC-verified payload is ours; the shape checks guard against our own format changing.
  if (!Array.isArray(decoded) || decoded.length !== 10 || decoded[0] !== FORMAT) return undefined;
  const [, tenantId, method, subject, client, datastoreId, imageSetId, versionId, imageFrameId, expiresAt] =
    decoded as unknown[];
  const strings = [tenantId, method, subject, client, datastoreId, imageSetId, versionId, imageFrameId];
  if (!strings.every((value): value is string => typeof value === 'string')) return undefined;
  if (method !== 'jwt' && method !== 'api-key') return undefined;
  if (typeof expiresAt !== 'number' || !Number.isInteger(expiresAt)) return undefined;
  return {
    grant: {
      tenantId: tenantId as string,
      method,
      subject: subject as string,
      ...(client !== '' ? { client: client as string } : {}),
      datastoreId: datastoreId as string,
      imageSetId: imageSetId as string,
      ...(versionId !== '' ? { versionId: versionId as string } : {}),
      imageFrameId: imageFrameId as string,
    },
    expiresAt: new Date(expiresAt * 1000),
  };
}
