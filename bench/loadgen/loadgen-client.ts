import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { distPath } from '../lib/dist-paths';
import type { LoadCommand, LoadResult, WorkerMessage } from './protocol';

/** The bench's handle on the load-generator process. */
export class LoadGenerator {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (result: LoadResult) => void; reject: (error: Error) => void }
  >();

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (message: WorkerMessage) => {
      if (message.type === 'result') {
        this.pending.get(message.result.id)?.resolve(message.result);
        this.pending.delete(message.result.id);
      } else if (message.type === 'error') {
        this.pending.get(message.id)?.reject(new Error(`load generator: ${message.message}`));
        this.pending.delete(message.id);
      }
    });
    child.on('exit', (code) => {
      for (const { reject } of this.pending.values()) reject(new Error(`The load generator exited (code ${code}).`));
      this.pending.clear();
    });
  }

  static async start(): Promise<LoadGenerator> {
    const child = fork(distPath('bench', 'loadgen', 'loadgen-worker.js'), [], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const [message] = (await once(child, 'message')) as [WorkerMessage];
    if (message.type !== 'ready') throw new Error('The load generator did not start.');
    return new LoadGenerator(child);
  }

  run(command: Omit<LoadCommand, 'id'>): Promise<LoadResult> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.send({ ...command, id } satisfies LoadCommand);
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    this.child.disconnect();
    await once(this.child, 'exit');
  }
}
