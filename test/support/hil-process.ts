import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/**
 * Runs the real HealthImaging Local CLI in a child process, without a build step: the child
 * registers a `.ts` require hook that transpiles with the TypeScript compiler API (no type
 * checking, like ts-jest's isolatedModules), then loads `healthimaging-local/cli.ts`. Lets tests
 * kill -9 the server mid-write and check what a restart recovers.
 */
const REPO_ROOT = join(__dirname, '..', '..');

const BOOTSTRAP = `
const fs = require('node:fs');
const ts = require(${JSON.stringify(join(REPO_ROOT, 'node_modules', 'typescript'))});
require.extensions['.ts'] = (module, filename) => {
  const out = ts.transpileModule(fs.readFileSync(filename, 'utf8'), {
    fileName: filename,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true,
      experimentalDecorators: true, emitDecoratorMetadata: true },
  });
  module._compile(out.outputText, filename);
};
process.argv.splice(1, 0, 'healthimaging-local');
require(${JSON.stringify(join(REPO_ROOT, 'healthimaging-local', 'cli.ts'))});
`;

export interface HilProcess {
  url: string;
  child: ChildProcess;
  /** Everything the process printed on stdout. */
  stdout(): string;
  kill(signal: NodeJS.Signals): Promise<number | null>;
}

export function spawnHilProcess(args: string[], { timeoutMs = 20_000 } = {}): Promise<HilProcess> {
  const child = spawn(process.execPath, ['-e', BOOTSTRAP, '--', ...args], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`HealthImaging Local did not start: ${err.slice(0, 500)}`));
    }, timeoutMs);
    const onData = (): void => {
      const url = /HealthImaging Local listening on (http:\/\/\S+)\n/.exec(out)?.[1];
      if (url === undefined) return;
      clearTimeout(timer);
      child.stdout.off('data', onData);
      resolve({
        url,
        child,
        stdout: () => out,
        kill: async (signal) => {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          return exited;
        },
      });
    };
    child.stdout.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`HealthImaging Local exited with ${code} before listening: ${err.slice(0, 500)}`));
    });
  });
}
