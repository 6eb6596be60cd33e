import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { closeRedis, connectRedis, redisReady } from '../src/limits/rate-limits-redis';
import { demoGatewayEnv, printDemoCredentials, startDemoUpstream } from './demo-upstream';
import { startRoundRobinProxy, type ProxyTarget } from './round-robin-proxy';

/**
 * `npm run cluster -- --replicas 2`: the production shape on one machine. One HealthImaging Local
 * with the demo data (as `npm start`), N gateway processes (`node dist/src/main.js`) sharing one
 * Redis under a key prefix of this cluster's own, one tenants file, one cursor secret and one
 * audit trail, and a round-robin proxy in front standing in for the load balancer. Tokens, API
 * keys, cursors and ids work on every replica; rate limits and idempotency records hold for the
 * sum. Ctrl-C or SIGTERM stops the proxy, then each replica with SIGTERM (it drains), then
 * HealthImaging Local.
 */
const USAGE = `usage: npm run cluster -- [--replicas N] [--port P] [--host H] [--redis-url URL] [--key-prefix P] [--data-dir D]
  --replicas    gateway processes behind the proxy (default 2, at most 16)
  --port        the proxy's port (default $PORT, else 4000)
  --host        the proxy's address (default 127.0.0.1)
  --redis-url   the Redis every replica shares (default redis://127.0.0.1:6379)
  --key-prefix  starts every Redis key of this cluster (default cluster:<random>:, new each start)
  --data-dir    HealthImaging Local's data and the demo state (default $DATA_DIR, else .data)`;

const MAX_REPLICAS = 16;
const READY_TIMEOUT_MS = 60_000;
/** A replica's own drain (SHUTDOWN_DRAIN_MS, default 10 s) plus time to close its stores. */
const STOP_GRACE_MS = 15_000;
const REDIS_CHECK_MS = 2000;

interface Options {
  replicas: number;
  port: number;
  host: string;
  redisUrl: string;
  keyPrefix: string;
  dataDir: string;
}

function optionsOf(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      replicas: { type: 'string', default: '2' },
      port: { type: 'string', default: process.env.PORT ?? '4000' },
      host: { type: 'string', default: '127.0.0.1' },
      'redis-url': { type: 'string', default: 'redis://127.0.0.1:6379' },
      'key-prefix': { type: 'string', default: `cluster:${randomBytes(4).toString('hex')}:` },
      'data-dir': { type: 'string', default: process.env.DATA_DIR ?? '.data' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const replicas = Number(values.replicas);
  const port = Number(values.port);
  const problems: string[] = [];
  if (!Number.isInteger(replicas) || replicas < 1 || replicas > MAX_REPLICAS)
    problems.push(`--replicas must be an integer from 1 to ${MAX_REPLICAS}`);
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push('--port must be an integer from 0 to 65535');
  if (problems.length > 0) throw new Error(`${problems.join('; ')}\n${USAGE}`);
  return {
    replicas,
    port,
    host: values.host,
    redisUrl: values['redis-url'],
    keyPrefix: values['key-prefix'],
    dataDir: resolve(values['data-dir']),
  };
}

interface Replica {
  name: string;
  child: ChildProcess;
  exited: Promise<number | null>;
  origin: string;
  /** The GraphQL path the replica printed (the proxy serves the same). */
  path: string;
}

/** Starts one `node dist/src/main.js` on a port of its choosing; resolves once it prints its URL. */
function startReplica(name: string, env: NodeJS.ProcessEnv): Promise<Replica> {
  const child = spawn(process.execPath, [join(__dirname, '..', 'src', 'main.js')], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return new Promise((ready, fail) => {
    const timer = setTimeout(
      () => fail(new Error(`${name} did not start within ${READY_TIMEOUT_MS} ms`)),
      READY_TIMEOUT_MS,
    );
    const onLine = (line: string): void => {
      console.log(`[${name}] ${line}`);
      const url = /GraphQL gateway ready at (\S+)/.exec(line)?.[1];
      if (url !== undefined) {
        clearTimeout(timer);
        ready({ name, child, exited, origin: new URL(url).origin, path: new URL(url).pathname });
      }
    };
    createInterface({ input: child.stdout }).on('line', onLine);
    createInterface({ input: child.stderr }).on('line', onLine);
    void exited.then((code) => {
      clearTimeout(timer);
      fail(new Error(`${name} exited (${code}) before it was ready`));
    });
  });
}

/** SIGTERM, then the replica's own drain; SIGKILL only if it outlives its grace. */
async function stopReplica(replica: Replica): Promise<void> {
  if (replica.child.exitCode !== null || replica.child.signalCode !== null) return;
  replica.child.kill('SIGTERM');
  const timer = setTimeout(() => replica.child.kill('SIGKILL'), STOP_GRACE_MS);
  await replica.exited;
  clearTimeout(timer);
}

async function main(): Promise<void> {
  const options = optionsOf(process.argv.slice(2));
  const log = (line: string): void => console.log(`[cluster] ${line}`);

  const redis = connectRedis(options.redisUrl);
  const redisAnswers = await redisReady(redis, REDIS_CHECK_MS);
  await closeRedis(redis);
  if (!redisAnswers)
    log(
      `warning: Redis does not answer at ${new URL(options.redisUrl).host}: each replica limits alone and refuses idempotent mutations until it does`,
    );

  const upstream = await startDemoUpstream(options.dataDir, log);
  const replicas: Replica[] = [];
  let proxy: Awaited<ReturnType<typeof startRoundRobinProxy>> | undefined;
  let stopping = false;
  const stopAll = async (exitCode: number): Promise<never> => {
    if (stopping) return new Promise<never>(() => undefined);
    stopping = true;
    log('stopping: the proxy, then each replica (SIGTERM, it drains), then HealthImaging Local');
    await proxy?.close();
    await Promise.all(replicas.map(stopReplica));
    await upstream.hil.close();
    process.exit(exitCode);
  };
  process.once('SIGINT', () => void stopAll(0));
  process.once('SIGTERM', () => void stopAll(0));

  // Every replica gets the same environment: what one signs (cursors, ids) the others accept.
  const env: NodeJS.ProcessEnv = {
    ...demoGatewayEnv(upstream, process.env),
    PORT: '0',
    HOST: '127.0.0.1',
    REDIS_URL: options.redisUrl,
    REDIS_KEY_PREFIX: options.keyPrefix,
  };
  try {
    for (let index = 1; index <= options.replicas; index++) {
      const replica = await startReplica(`replica-${index}`, env);
      replicas.push(replica);
      void replica.exited.then((code) => {
        if (stopping) return;
        log(`${replica.name} exited (${code}) on its own: stopping the cluster`);
        void stopAll(1);
      });
    }
    const targets: ProxyTarget[] = replicas.map(({ name, origin }) => ({ name, origin }));
    proxy = await startRoundRobinProxy({ targets, port: options.port, host: options.host });
  } catch (error) {
    log(`start failed: ${error instanceof Error ? error.message : String(error)}`);
    return stopAll(1);
  }

  log(
    `${options.replicas} replicas (${replicas.map((r) => `${r.name} ${r.origin}`).join(', ')}) behind a round-robin proxy; ` +
      `Redis key prefix ${options.keyPrefix}; each answer names its replica in x-served-by`,
  );
  await printDemoCredentials(upstream.state, `${proxy.origin}${replicas[0]?.path ?? ''}`);
}

main().catch((error: unknown) => {
  // Operator-facing: the message only; never a stack.
  console.error(`npm run cluster failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
