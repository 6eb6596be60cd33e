import { closeHttpClient } from '../lib/http-client';
import { describePhase, runFairShareScenario } from './fair-share-scenario';

/**
 * The fair-share scenario alone (about a minute):
 *
 *   npm run build && node dist/bench/fair-share/run.js [--rate 4] [--updates 12]
 *
 * Prints one line per phase and the figures as JSON.
 */
function arg(name: string): number | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : undefined;
}

async function main(): Promise<void> {
  const log = (line: string): void => void process.stdout.write(`${line}\n`);
  const rate = arg('rate');
  const updates = arg('updates');
  const figures = await runFairShareScenario({
    log,
    ...(rate !== undefined ? { ratePerSecond: rate } : {}),
    ...(updates !== undefined ? { updates } : {}),
  });
  log('');
  for (const phase of figures.phases) log(describePhase(phase));
  log(JSON.stringify(figures, null, 2));
}

main()
  .catch((error: unknown) => {
    process.stderr.write(
      `fair-share bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  })
  .finally(closeHttpClient);
