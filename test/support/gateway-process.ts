import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/**
 * A gateway replica as a child process: `src/main.ts` run by `node` through the TypeScript
 * require hook (test/support/register-ts.js), as production runs `node dist/src/main.js`, with
 * exactly the environment given (plus PATH). Resolves once the replica prints its URL.
 */
const REPO_ROOT = join(__dirname, '..', '..');
/** Every module transpiled on first load: slow on 2 busy cores. */
const READY_TIMEOUT_MS = 90_000;
const KEPT_LINES = 200;

export interface GatewayProcess {
  name: string;
  /** The GraphQL endpoint, e.g. http://127.0.0.1:41234/graphql. */
  url: string;
  pid: number;
  /** The last lines it printed (stdout and stderr), for failure messages. */
  output(): string[];
  /** SIGTERM (the replica drains, then exits 0); resolves with the exit code. */
  stop(): Promise<number | null>;
}

export function startGatewayProcess(name: string, env: Record<string, string>): Promise<GatewayProcess> {
  const child = spawn(
    process.execPath,
    ['-r', join(REPO_ROOT, 'test/support/register-ts.js'), join(REPO_ROOT, 'src/main.ts')],
    { cwd: REPO_ROOT, env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const lines: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async (): Promise<number | null> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    return exited;
  };

  return new Promise((resolve, reject) => {
    const failure = (why: string): Error => new Error(`${name} ${why}; its output:\n${lines.join('\n')}`);
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(failure(`printed no URL within ${READY_TIMEOUT_MS} ms`));
    }, READY_TIMEOUT_MS);
    const onLine = (line: string): void => {
      lines.push(line);
      if (lines.length > KEPT_LINES) lines.shift();
      const url = /GraphQL gateway ready at (\S+)/.exec(line)?.[1];
      if (url === undefined || child.pid === undefined) return;
      clearTimeout(timer);
      resolve({ name, url, pid: child.pid, output: () => [...lines], stop });
    };
    createInterface({ input: child.stdout }).on('line', onLine);
    createInterface({ input: child.stderr }).on('line', onLine);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(failure(`exited (${code}) before it was ready`));
    });
  });
}
