import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describePhase, runFairShareScenario, type FairShareFigures } from './fair-share-scenario';

/**
 * The fair-share scenario as a part of `npm run bench`: it runs after the rounds, on its own
 * HealthImaging Local with the write quota on, and writes `<date>-fair-share.json` next to the
 * run's other results.
 */
export async function runFairSharePart(
  log: (line: string) => void,
  outDir: string,
  startedAt: Date,
): Promise<FairShareFigures> {
  log('');
  const figures = await runFairShareScenario({ log });
  const file = join(outDir, `${startedAt.toISOString().slice(0, 10)}-fair-share.json`);
  writeFileSync(file, `${JSON.stringify({ startedAt: startedAt.toISOString(), ...figures }, null, 2)}\n`);
  for (const phase of figures.phases) log(`fair share, ${describePhase(phase)}`);
  log(`fair share results: ${file}`);
  return figures;
}
