import { Agent, request } from 'node:http';

/** A plain HTTP exchange against a loopback server: used for verification, probes and admin calls, never for load. */
export interface HttpRequestSpec {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface HttpResponse {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

const agent = new Agent({ keepAlive: true, maxSockets: 16 });

export function httpRequest(baseUrl: string, spec: HttpRequestSpec, timeoutMs = 30_000): Promise<HttpResponse> {
  const url = new URL(spec.path, baseUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: spec.method,
        agent,
        headers: {
          ...(spec.body !== undefined ? { 'content-length': Buffer.byteLength(spec.body) } : {}),
          ...spec.headers,
        },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${spec.method} ${url.pathname} timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(spec.body);
  });
}

/** Closes the idle keep-alive sockets so the bench process can exit. */
export function closeHttpClient(): void {
  agent.destroy();
}
