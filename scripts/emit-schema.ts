import 'reflect-metadata';
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { printGatewaySchema } from '../src/schema';

/** The package root: the nearest directory above this file that holds package.json (works from dist/ too). */
function packageRoot(start: string): string {
  let directory = start;
  while (!existsSync(join(directory, 'package.json'))) {
    const parent = dirname(directory);
    if (parent === directory) throw new Error('package.json not found above the emit-schema script');
    directory = parent;
  }
  return directory;
}

async function main(): Promise<void> {
  const target = resolve(packageRoot(__dirname), 'schema.graphql');
  writeFileSync(target, await printGatewaySchema(), 'utf8');
  console.log(`Wrote ${target}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
