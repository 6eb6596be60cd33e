import { once } from 'node:events';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { REPLICA_HEADER, startRoundRobinProxy, type RunningProxy } from '../../scripts/round-robin-proxy';

/**
 * The stand-in load balancer of `npm run cluster` and the replica bench, over real sockets: two
 * echo servers behind it answer in turn, headers arrive as the client sent them (duplicates
 * included, hop-by-hop ones dropped), a WebSocket is tunnelled to one of them, and a target that
 * is gone answers 502.
 */

interface Echo {
  name: string;
  rawHeaders: string[];
  body: string;
}

async function echoServer(name: string): Promise<{ server: Server; origin: string; sockets: WebSocketServer }> {
  const server = createServer((incoming, outgoing) => {
    let body = '';
    incoming.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    incoming.on('end', () => {
      outgoing.writeHead(200, { 'content-type': 'application/json' });
      outgoing.end(JSON.stringify({ name, rawHeaders: incoming.rawHeaders, body } satisfies Echo));
    });
  });
  const sockets = new WebSocketServer({ server });
  sockets.on('connection', (socket) => socket.on('message', (data) => socket.send(`${name}: ${String(data)}`)));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, sockets };
}

/** A request with raw headers (two of one name stay two), answered as the echo saw it. */
function send(
  origin: string,
  rawHeaders: string[],
  body = '',
): Promise<{ status: number; servedBy?: string; echo?: Echo }> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(origin);
    const outgoing = request(
      { hostname, port, method: 'POST', path: '/graphql', headers: ['Host', `${hostname}:${port}`, ...rawHeaders] },
      (answer) => {
        let text = '';
        answer.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        answer.on('end', () => {
          const servedBy = answer.headers[REPLICA_HEADER];
          resolve({
            status: answer.statusCode ?? 0,
            ...(typeof servedBy === 'string' ? { servedBy } : {}),
            ...(answer.statusCode === 200 ? { echo: JSON.parse(text) as Echo } : {}),
          });
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

describe('the round-robin proxy', () => {
  let first: Awaited<ReturnType<typeof echoServer>>;
  let second: Awaited<ReturnType<typeof echoServer>>;
  let proxy: RunningProxy;

  beforeAll(async () => {
    [first, second] = await Promise.all([echoServer('one'), echoServer('two')]);
    proxy = await startRoundRobinProxy({
      targets: [
        { name: 'replica-1', origin: first.origin },
        { name: 'replica-2', origin: second.origin },
      ],
      port: 0,
      host: '127.0.0.1',
    });
  });
  afterAll(async () => {
    await proxy.close();
    for (const { server, sockets } of [first, second]) {
      sockets.close();
      server.closeAllConnections();
      server.close();
    }
  });

  it('sends requests to each target in turn and names the one that answered', async () => {
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await send(proxy.origin, [], `request ${i}`));
    // Whichever target the turn starts at (earlier tests moved it), the next one follows.
    const names = { 'replica-1': 'one', 'replica-2': 'two' } as Record<string, string>;
    const [start, next] =
      answers[0]?.servedBy === 'replica-1' ? ['replica-1', 'replica-2'] : ['replica-2', 'replica-1'];
    expect(answers.map((answer) => [answer.servedBy, answer.echo?.name, answer.echo?.body])).toEqual(
      [start, next, start, next].map((replica, index) => [replica, names[replica], `request ${index}`]),
    );
  });

  it('passes headers as sent, duplicates included, and drops hop-by-hop ones', async () => {
    const answer = await send(proxy.origin, [
      'Authorization',
      'Bearer first',
      'Authorization',
      'Bearer second',
      'Idempotency-Key',
      'key-1',
      'Keep-Alive',
      'timeout=5',
      'TE',
      'trailers',
    ]);
    const received = answer.echo!.rawHeaders;
    const valuesOf = (name: string) =>
      received.filter((_, index) => index % 2 === 1 && received[index - 1]?.toLowerCase() === name);
    expect(valuesOf('authorization')).toEqual(['Bearer first', 'Bearer second']);
    expect(valuesOf('idempotency-key')).toEqual(['key-1']);
    expect(valuesOf('keep-alive')).toEqual([]);
    expect(valuesOf('te')).toEqual([]);
  });

  it('tunnels a WebSocket to one target for the life of the connection', async () => {
    const socket = new WebSocket(proxy.origin.replace(/^http/, 'ws'));
    await once(socket, 'open');
    const replies: string[] = [];
    socket.on('message', (data) => replies.push(String(data)));
    socket.send('a');
    socket.send('b');
    while (replies.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    socket.close();
    expect(new Set(replies.map((reply) => reply.split(':')[0])).size).toBe(1);
    expect(replies.map((reply) => reply.split(': ')[1])).toEqual(['a', 'b']);
  });

  it('answers 502 when the target it picked is gone', async () => {
    const gone = await echoServer('gone');
    gone.server.close();
    await once(gone.server, 'close');
    const lonely = await startRoundRobinProxy({
      targets: [{ name: 'replica-1', origin: gone.origin }],
      port: 0,
      host: '127.0.0.1',
    });
    try {
      expect((await send(lonely.origin, [])).status).toBe(502);
    } finally {
      await lonely.close();
    }
  });
});
