import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Starts HealthImaging Local in its own process, so the load generator does not share its CPU.
 * Compiled (dist/bench/...): runs dist/healthimaging-local/cli.js. From source: transpiles the
 * TypeScript on the fly with the compiler API (no build step, no type checking).
 */
export interface SpawnedHil {
  url: string;
  pid: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

function command(args: string[]): string[] {
  const compiledCli = join(__dirname, '..', '..', 'healthimaging-local', 'cli.js');
  if (__filename.endsWith('.js') && existsSync(compiledCli)) return [compiledCli, ...args];
  const root = join(__dirname, '..', '..');
  const bootstrap = `
const fs = require('node:fs');
const ts = require(${JSON.stringify(join(root, 'node_modules', 'typescript'))});
require.extensions['.ts'] = (module, filename) => {
  const out = ts.transpileModule(fs.readFileSync(filename, 'utf8'), { fileName: filename,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } });
  module._compile(out.outputText, filename);
};
process.argv.splice(1, 0, 'healthimaging-local');
require(${JSON.stringify(join(root, 'healthimaging-local', 'cli.ts'))});`;
  return ['-e', bootstrap, '--', ...args];
}

export function spawnHil(args: string[]): Promise<SpawnedHil> {
  const child = spawn(process.execPath, command(args), { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`HealthImaging Local exited (${code}) before listening`)));
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const url = /HealthImaging Local listening on (\S+)\n/.exec(out)?.[1];
      if (url === undefined) return;
      child.removeAllListeners('exit');
      child.stdout.removeAllListeners('data');
      child.stdout.resume();
      resolve({
        url,
        pid: child.pid!,
        child,
        stop: () =>
          new Promise<void>((done) => {
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}
