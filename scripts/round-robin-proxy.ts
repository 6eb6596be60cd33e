import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';

/**
 * A round-robin HTTP proxy in front of N gateway replicas, standing in for the load balancer of a
 * deployment in `npm run cluster` and the bench. Written on node:http rather than taken from a
 * library: forwarding is a request piped out and a response piped back (a few dozen lines), and
 * the usual library for it (http-proxy) has had no release in years. It keeps what a real load
 * balancer keeps: every end-to-end header in its raw order (two `Authorization` headers stay two,
 * which the gateway refuses), keep-alive connections to the replicas; it drops hop-by-hop headers.
 */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);
/** Names the replica that answered, so a person trying the cluster sees the turns. */
export const REPLICA_HEADER = 'x-served-by';

export interface ProxyTarget {
  /** e.g. `replica-1`: the value of `x-served-by`. */
  name: string;
  /** Origin of the replica, e.g. http://127.0.0.1:41234. */
  origin: string;
}

export interface RunningProxy {
  /** The proxy's origin, e.g. http://127.0.0.1:4000. */
  origin: string;
  close(): Promise<void>;
}

function endToEnd(raw: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i];
    const value = raw[i + 1];
    if (name !== undefined && value !== undefined && !HOP_BY_HOP.has(name.toLowerCase())) kept.push(name, value);
  }
  return kept;
}

export async function startRoundRobinProxy(options: {
  targets: readonly ProxyTarget[];
  port: number;
  host: string;
}): Promise<RunningProxy> {
  if (options.targets.length === 0) throw new Error('the proxy needs at least one target');
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  let turn = 0;

  const forward = (incoming: IncomingMessage, outgoing: ServerResponse): void => {
    const target = options.targets[turn++ % options.targets.length];
    if (target === undefined) throw new Error('unreachable: the targets list is not empty');
    const { hostname, port } = new URL(target.origin);
    const upstream = request(
      { hostname, port, agent, method: incoming.method, path: incoming.url, headers: endToEnd(incoming.rawHeaders) },
      (answer) => {
        const headers = endToEnd(answer.rawHeaders);
        headers.push(REPLICA_HEADER, target.name);
        outgoing.writeHead(answer.statusCode ?? 502, headers);
        answer.pipe(outgoing);
      },
    );
    upstream.on('error', () => {
      // The replica went away mid-request (stopped, crashed): the client gets a plain 502.
      if (!outgoing.headersSent) outgoing.writeHead(502, { 'content-type': 'text/plain' }).end('bad gateway\n');
      else outgoing.destroy();
    });
    incoming.pipe(upstream);
  };

  const server = createServer(forward).listen(options.port, options.host);
  // `once` rejects on 'error' (the port is taken) as well.
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  const close = async (): Promise<void> => {
    const closed = once(server.close(), 'close');
    server.closeAllConnections();
    agent.destroy();
    await closed;
  };
  return { origin: `http://${host}:${port}`, close };
}
