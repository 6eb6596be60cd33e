import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import autocannon from 'autocannon';

/**
 * What the server alone sustains: one correctly signed read, replayed by autocannon on 32
 * keep-alive connections (the signature stays valid for the 15-minute clock-skew window, and the
 * server verifies it in full on every request). Without the SDK's per-call CPU on the client side,
 * this is the server's ceiling on this machine; the SDK figures show what a real client gets.
 */
export interface CapacityResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
}

export async function replaySignedRead(opts: {
  url: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  path: string;
  connections: number;
  seconds: number;
}): Promise<CapacityResult> {
  const target = new URL(opts.url);
  const signer = new SignatureV4({
    credentials: opts.credentials,
    region: 'us-east-1',
    service: 'medical-imaging',
    sha256: Sha256,
  });
  const signed = await signer.sign({
    method: 'POST',
    protocol: 'http:',
    hostname: target.hostname,
    port: Number(target.port),
    path: opts.path,
    query: {},
    headers: { host: target.host },
  });
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: opts.url,
        requests: [{ method: 'POST', path: opts.path, headers: signed.headers }],
        connections: opts.connections,
        duration: opts.seconds,
      },
      (error, result) => {
        if (error) {
          reject(error);
          return;
        }
        resolve({
          requestsPerSecond: Math.round(result.requests.average),
          p50Ms: result.latency.p50,
          p99Ms: result.latency.p99,
          non2xx: result.non2xx,
        });
      },
    );
  });
}
