import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';

/**
 * The machine's Redis for the tests of shared limits: `TEST_REDIS_URL`, else 127.0.0.1:6379. Each
 * suite writes under a key prefix of its own (every key it writes expires within seconds). When
 * Redis does not answer, the Redis suites are skipped with one line saying so.
 */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

let answers: boolean | undefined;

/** PING over a raw socket, synchronously: Jest decides which suites run before any test starts. */
export function redisAnswers(): boolean {
  if (answers !== undefined) return answers;
  const { hostname, port } = new URL(TEST_REDIS_URL);
  const probe = `
    const socket = require('net').connect(${Number(port || 6379)}, ${JSON.stringify(hostname)});
    socket.setTimeout(1000, () => process.exit(1));
    socket.on('error', () => process.exit(1));
    socket.on('connect', () => socket.write('PING\\r\\n'));
    socket.on('data', (data) => process.exit(/^(\\+PONG|-NOAUTH)/.test(data.toString()) ? 0 : 1));`;
  answers = spawnSync(process.execPath, ['-e', probe], { timeout: 5000 }).status === 0;
  return answers;
}

/** `describe` when Redis answers; otherwise a skipped suite and one line on the console. */
export function describeWithRedis(name: string, body: () => void): void {
  if (redisAnswers()) {
    describe(name, body);
    return;
  }
  console.warn(`SKIPPED "${name}": Redis does not answer at ${TEST_REDIS_URL} (set TEST_REDIS_URL or start Redis)`);
  describe.skip(name, body);
}

/** A key prefix no other suite or run uses. */
export function uniqueRedisPrefix(label: string): string {
  return `gateway-test:${label}:${randomBytes(6).toString('hex')}:`;
}

/** A local port nothing listens on (bound, then released): a Redis that is down. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
