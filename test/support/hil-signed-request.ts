import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { request } from 'node:http';

/**
 * Sends a hand-built, correctly SigV4-signed request to HealthImaging Local, for wire cases the
 * SDK never produces (malformed JSON, unknown routes, wrong member types, odd Host headers).
 */
export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  json(): Record<string, unknown>;
}

export async function signedRequest(opts: {
  url: string;
  method: string;
  path: string;
  query?: Record<string, string | string[]>;
  body?: string | Buffer;
  headers?: Record<string, string>;
  credentials: { accessKeyId: string; secretAccessKey: string };
  region?: string;
  /** Sent instead of the real Host header (after signing over it). */
  hostHeader?: string;
  sign?: boolean;
}): Promise<RawResponse> {
  const target = new URL(opts.url);
  const body = opts.body === undefined ? undefined : Buffer.isBuffer(opts.body) ? opts.body : Buffer.from(opts.body);
  const headers: Record<string, string> = {
    host: opts.hostHeader ?? target.host,
    ...(body ? { 'content-type': 'application/json', 'content-length': String(body.length) } : {}),
    ...opts.headers,
  };
  let finalHeaders = headers;
  if (opts.sign !== false) {
    const signer = new SignatureV4({
      credentials: opts.credentials,
      region: opts.region ?? 'us-east-1',
      service: 'medical-imaging',
      sha256: Sha256,
    });
    const signed = await signer.sign({
      method: opts.method,
      protocol: 'http:',
      hostname: target.hostname,
      port: Number(target.port),
      path: opts.path,
      query: opts.query ?? {},
      headers,
      body,
    });
    finalHeaders = signed.headers;
  }
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(opts.query ?? {})) for (const item of [v].flat()) qs.append(k, item);
  const search = qs.toString();
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: Number(target.port),
        method: opts.method,
        path: opts.path + (search ? `?${search}` : ''),
        headers: finalHeaders,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const buf = Buffer.concat(chunks);
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: buf,
            json: () => JSON.parse(buf.toString('utf8')) as Record<string, unknown>,
          });
        });
      },
    );
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}
