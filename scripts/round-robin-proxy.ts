import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { once } from 'node:events';

/**
 * A round-robin HTTP proxy in front of N gateway replicas, standing in for the load balancer of a
 * deployment in `npm run cluster` and the bench. Written on node:http rather than taken from a
 * library: forwarding is a request piped out and a response piped back (a few dozen lines), and
 * the usual library for it (http-proxy) has had no release in years. It keeps what a real load
 * balancer keeps: every end-to-end header in its raw order (two `Authorization` headers stay two,
 * which the gateway refuses), keep-alive connections to the replicas, WebSocket upgrades (each
 * subscription connection stays on the replica it reached); it drops hop-by-hop headers.
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
/** Under Node's default server keep-alive timeout (5 s). */
const IDLE_SOCKET_MS = 4000;
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
  // Idle sockets are dropped before the replica's own 5 s keep-alive timeout, so a request is never
  // sent on a socket the replica is closing (a spurious 502).
  const agent = new Agent({ keepAlive: true, maxSockets: 256, timeout: IDLE_SOCKET_MS });
  let turn = 0;
  const nextTarget = (): ProxyTarget => {
    const target = options.targets[turn++ % options.targets.length];
    if (target === undefined) throw new Error('unreachable: the targets list is not empty');
    return target;
  };

  const forward = (incoming: IncomingMessage, outgoing: ServerResponse): void => {
    const target = nextTarget();
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

  // A WebSocket (subscriptions) is one long TCP stream: the request head is replayed to the replica
  // as it came, upgrade headers included, and the bytes piped both ways until either side closes.
  const tunnels = new Set<Duplex>();
  const tunnel = (incoming: IncomingMessage, client: Duplex, head: Buffer): void => {
    const { hostname, port } = new URL(nextTarget().origin);
    const replica = connect(Number(port), hostname, () => {
      const lines = [`${incoming.method ?? 'GET'} ${incoming.url ?? '/'} HTTP/1.1`];
      for (let i = 0; i + 1 < incoming.rawHeaders.length; i += 2)
        lines.push(`${incoming.rawHeaders[i]}: ${incoming.rawHeaders[i + 1]}`);
      replica.write(`${lines.join('\r\n')}\r\n\r\n`);
      replica.write(head);
      replica.pipe(client).pipe(replica);
    });
    for (const socket of [client, replica]) {
      tunnels.add(socket);
      socket.once('close', () => tunnels.delete(socket));
      socket.on('error', () => {
        client.destroy();
        replica.destroy();
      });
    }
  };

  const server = createServer(forward).listen(options.port, options.host);
  server.on('upgrade', tunnel);
  // `once` rejects on 'error' (the port is taken) as well.
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  const close = async (): Promise<void> => {
    const closed = once(server.close(), 'close');
    server.closeAllConnections();
    for (const socket of tunnels) socket.destroy();
    agent.destroy();
    await closed;
  };
  return { origin: `http://${host}:${port}`, close };
}
