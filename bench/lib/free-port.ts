import { createServer } from 'node:net';

/**
 * A loopback port that was free a moment ago. Servers whose URL must be known before they print
 * anything (the cold-start probe polls it from the instant of spawn) get one of these.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('No port was assigned.'))));
    });
  });
}
