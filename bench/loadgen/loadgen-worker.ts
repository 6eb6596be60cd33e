import { runClosedLoad } from './closed-load';
import { runPacedLoad } from './paced-load';
import type { LoadCommand, WorkerMessage } from './protocol';

/**
 * The load generator's own process (forked by the bench): the measured servers never share a
 * CPU scheduler slot or an event loop with it. Runs one command at a time, as it arrives over IPC.
 */
function reply(message: WorkerMessage): void {
  process.send?.(message);
}

let queue: Promise<void> = Promise.resolve();

process.on('message', (command: LoadCommand) => {
  queue = queue.then(async () => {
    try {
      const result =
        command.mode.kind === 'closed'
          ? await runClosedLoad(command.id, command.baseUrl, command.scenario, command.mode)
          : await runPacedLoad(command.id, command.baseUrl, command.scenario, command.mode);
      reply({ type: 'result', result });
    } catch (error) {
      reply({ type: 'error', id: command.id, message: error instanceof Error ? error.message : String(error) });
    }
  });
});

process.on('disconnect', () => process.exit(0));
reply({ type: 'ready' });
