import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { once } from 'node:events';

/**
 * A child process of the bench (HealthImaging Local, a measured server, the load generator), with
 * its output kept for the error message when it dies early, and a stop that waits for the exit.
 */
export class ManagedChild {
  private output = '';
  private exited = false;
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(
    readonly name: string,
    readonly process: ChildProcess,
  ) {
    const keep = (chunk: Buffer): void => {
      this.output = (this.output + chunk.toString('utf8')).slice(-8000);
    };
    process.stdout?.on('data', keep);
    process.stderr?.on('data', keep);
    this.exit = once(process, 'exit').then(([code, signal]) => {
      this.exited = true;
      return { code: code as number | null, signal: signal as NodeJS.Signals | null };
    });
  }

  static spawn(name: string, command: string, args: string[], options: SpawnOptions = {}): ManagedChild {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    return new ManagedChild(name, child);
  }

  get pid(): number {
    if (this.process.pid === undefined) throw new Error(`${this.name} has no pid (it failed to spawn).`);
    return this.process.pid;
  }

  get alive(): boolean {
    return !this.exited;
  }

  /** The last lines the child printed, for error messages. */
  recentOutput(): string {
    return this.output.trim().split('\n').slice(-15).join('\n');
  }

  /** Resolves with the first stdout/stderr match of `pattern`; rejects when the child exits or time runs out. */
  waitForOutput(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
    return new Promise((resolve, reject) => {
      let seen = '';
      const onData = (chunk: Buffer): void => {
        seen += chunk.toString('utf8');
        const match = pattern.exec(seen);
        if (match) {
          cleanup();
          resolve(match);
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(
          new Error(
            `${this.name} did not print ${pattern} within ${timeoutMs} ms. Last output:\n${this.recentOutput()}`,
          ),
        );
      }, timeoutMs);
      const onExit = (): void => {
        cleanup();
        reject(new Error(`${this.name} exited before it was ready. Last output:\n${this.recentOutput()}`));
      };
      const cleanup = (): void => {
        clearTimeout(timer);
        this.process.stdout?.off('data', onData);
        this.process.stderr?.off('data', onData);
        this.process.off('exit', onExit);
      };
      this.process.stdout?.on('data', onData);
      this.process.stderr?.on('data', onData);
      this.process.once('exit', onExit);
    });
  }

  /** SIGTERM, then SIGKILL if the child has not exited after `graceMs`. */
  async stop(graceMs = 3000): Promise<void> {
    if (this.exited) return;
    this.process.kill('SIGTERM');
    const timer = setTimeout(() => {
      if (!this.exited) this.process.kill('SIGKILL');
    }, graceMs);
    await this.exit;
    clearTimeout(timer);
  }
}
