import { createHash, timingSafeEqual } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { IncomingHttpHeaders } from 'node:http';
import type { AccessKeyRegistry } from './access-keys';
import { ServiceError } from '../shapes/errors';
import { NodeSha256 } from './node-sha256';
import type { AccessKeyGrant } from '../shapes/access-grant';

export const SIGNING_SERVICE = 'medical-imaging';

export interface SignedRequest {
  method: string;
  /** The path exactly as received (still percent-encoded): the client signed that form. */
  rawPath: string;
  query: Record<string, string | string[]>;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface VerifiedCaller {
  grant: AccessKeyGrant;
  region: string;
}

interface ParsedAuthorization {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

const AUTH_PATTERN =
  /^AWS4-HMAC-SHA256\s+Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})\s*$/;

export function parseAuthorization(header: string | undefined): ParsedAuthorization {
  if (!header) {
    throw new ServiceError('MissingAuthenticationTokenException', 'Missing Authentication Token');
  }
  const [, accessKeyId, date, region, service, signedHeaders, signature] = AUTH_PATTERN.exec(header) ?? [];
  if (!accessKeyId || !date || !region || !service || !signedHeaders || !signature) {
    throw new ServiceError(
      'IncompleteSignatureException',
      'Authorization header is not a valid AWS4-HMAC-SHA256 signature',
    );
  }
  return { accessKeyId, date, region, service, signedHeaders: signedHeaders.split(';'), signature };
}

/** The access key named in a request's Authorization header, for call statistics; no checks. */
export function accessKeyOf(headers: IncomingHttpHeaders): string | undefined {
  const auth = headers.authorization;
  if (!auth) return undefined;
  const m = /Credential=([^/,\s]+)\//.exec(auth);
  return m ? m[1] : undefined;
}

/**
 * Verifies AWS Signature V4 by re-signing the request with the caller's secret over exactly the
 * headers it claims to have signed, then comparing signatures in constant time.
 */
export class SigV4Verifier {
  private readonly signers = new Map<string, SignatureV4>();

  constructor(
    private readonly keys: AccessKeyRegistry,
    private readonly maxClockSkewMs: number,
  ) {}

  async verify(request: SignedRequest): Promise<VerifiedCaller> {
    const auth = parseAuthorization(headerValue(request.headers.authorization));
    const grant = this.keys.get(auth.accessKeyId);
    if (!grant) {
      throw new ServiceError('UnrecognizedClientException', 'The security token included in the request is invalid.');
    }
    if (auth.service !== SIGNING_SERVICE) {
      throw new ServiceError(
        'InvalidSignatureException',
        `Credential should be scoped to correct service: '${SIGNING_SERVICE}'.`,
      );
    }
    const amzDate = headerValue(request.headers['x-amz-date']);
    const signingDate = amzDate ? parseAmzDate(amzDate) : undefined;
    if (!amzDate || !signingDate || !amzDate.startsWith(auth.date)) {
      throw new ServiceError(
        'IncompleteSignatureException',
        'The request must carry a valid X-Amz-Date matching the credential scope.',
      );
    }
    if (Math.abs(Date.now() - signingDate.getTime()) > this.maxClockSkewMs) {
      throw new ServiceError(
        'InvalidSignatureException',
        'Signature expired: the request time is too far from the server time.',
      );
    }
    if (!auth.signedHeaders.includes('host')) {
      throw new ServiceError('IncompleteSignatureException', "'Host' must be a signed header.");
    }

    const headers: Record<string, string> = {};
    for (const name of auth.signedHeaders) {
      const value = request.headers[name];
      if (value === undefined) {
        throw new ServiceError('InvalidSignatureException', `Signed header '${name}' is missing from the request.`);
      }
      headers[name] = Array.isArray(value) ? value.join(',') : value;
    }
    // The signer trusts a given x-amz-content-sha256 as the payload hash, so check it against the
    // body actually received; otherwise a signed header could vouch for a different body.
    const claimedHash = headers['x-amz-content-sha256'];
    if (claimedHash !== undefined && claimedHash !== createHash('sha256').update(request.body).digest('hex')) {
      throw new ServiceError(
        'InvalidSignatureException',
        "The provided 'x-amz-content-sha256' header does not match the request body.",
      );
    }
    // Present: 'host' is a signed header, and every signed header was found above.
    const [hostname, port] = splitHost(headers.host ?? '');
    const signed = await this.signerFor(grant).sign(
      {
        method: request.method,
        protocol: 'http:',
        hostname,
        ...(port === undefined ? {} : { port }),
        path: request.rawPath,
        query: request.query,
        headers,
        ...(request.body.length > 0 ? { body: request.body } : {}),
      },
      {
        signingDate,
        signingRegion: auth.region,
        signingService: auth.service,
        signableHeaders: new Set(auth.signedHeaders),
      },
    );
    const expected = /Signature=([0-9a-f]{64})/.exec(String(signed.headers.authorization))?.[1] ?? '';
    const a = Buffer.from(expected, 'utf8');
    const b = Buffer.from(auth.signature, 'utf8');
    if (a.length !== b.length || !timingSafeEqual(a, b)) {
      throw new ServiceError(
        'InvalidSignatureException',
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
      );
    }
    return { grant, region: auth.region };
  }

  private signerFor(grant: AccessKeyGrant): SignatureV4 {
    const cacheKey = `${grant.accessKeyId}\u0000${grant.secretAccessKey}`;
    let signer = this.signers.get(cacheKey);
    if (!signer) {
      signer = new SignatureV4({
        credentials: { accessKeyId: grant.accessKeyId, secretAccessKey: grant.secretAccessKey },
        region: 'us-east-1',
        service: SIGNING_SERVICE,
        sha256: NodeSha256,
        applyChecksum: false,
      });
      this.signers.set(cacheKey, signer);
    }
    return signer;
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** `YYYYMMDDTHHMMSSZ`. */
function parseAmzDate(value: string): Date | undefined {
  if (!/^\d{8}T\d{6}Z$/.test(value)) return undefined;
  const digits = (from: number, to: number): number => Number(value.slice(from, to));
  return new Date(
    Date.UTC(digits(0, 4), digits(4, 6) - 1, digits(6, 8), digits(9, 11), digits(11, 13), digits(13, 15)),
  );
}

function splitHost(host: string): [string, number | undefined] {
  const [, name, port] = /^(.*?)(?::(\d+))?$/.exec(host) ?? [];
  return name !== undefined && port ? [name, Number(port)] : [host, undefined];
}
