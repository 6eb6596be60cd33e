import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { matchRestRoute, type RestRouteName } from '../workloads/rest-routes';

/**
 * Entry of the floor: `BODIES_FILE=… PORT=… node floor-server.js`. Bare node:http answering
 * each route with a fixed body of the size the real answer has: what the platform costs
 * before any work is done (HTTP parsing, routing, writing the bytes).
 */
function main(): void {
  const bodiesFile = process.env.BODIES_FILE;
  if (!bodiesFile) throw new Error('BODIES_FILE is required.');
  const port = Number(process.env.PORT ?? '0');
  const bodies = new Map<RestRouteName, Buffer>(
    Object.entries(JSON.parse(readFileSync(bodiesFile, 'utf8')) as Record<RestRouteName, string>).map(
      ([route, body]) => [route as RestRouteName, Buffer.from(body, 'utf8')],
    ),
  );
  const server = createServer((req, res) => {
    const [path = '/'] = (req.url ?? '/').split('?');
    const route = matchRestRoute(req.method ?? 'GET', path);
    const body = route ? bodies.get(route.route) : undefined;
    // Drain the request body before answering, like every other variant must.
    req.resume();
    req.on('end', () => {
      if (!body) {
        res.writeHead(404, { 'content-type': 'application/json; charset=utf-8' });
        res.end('{"errors":[{"message":"No such route."}]}\n');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
      res.end(body);
    });
  });
  server.listen(port, '127.0.0.1', () => {
    const address = server.address();
    const actual = typeof address === 'object' && address ? address.port : port;
    process.stdout.write(`floor listening on http://127.0.0.1:${actual}\n`);
  });
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

main();
