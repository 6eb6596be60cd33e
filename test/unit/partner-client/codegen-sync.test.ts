import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const REPO_ROOT = join(__dirname, '..', '..', '..');

/**
 * `npm run codegen`'s configuration, generated in memory (nothing written) in a child process:
 * the CLI loads ES modules that Jest's module system does not, and plain Node does.
 */
const GENERATE_IN_MEMORY = `
const { generate } = require('@graphql-codegen/cli');
const config = require('./examples/partner-client/codegen.ts').default;
generate({ ...config, cwd: process.cwd(), silent: true }, false).then(
  (files) => process.stdout.write(JSON.stringify(files.map(({ filename, content }) => ({ filename, content })))),
  (error) => { console.error(String(error && error.message)); process.exit(1); },
);`;

describe('the partner kit generated code', () => {
  it("matches what GraphQL Code Generator makes from schema.graphql and the kit's documents (run `npm run codegen`)", async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['-r', join(REPO_ROOT, 'test/support/register-ts.js'), '-e', GENERATE_IN_MEMORY],
      { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024 },
    );
    const files = JSON.parse(stdout) as Array<{ filename: string; content: string }>;
    expect(files.map((file) => file.filename).sort()).toEqual(
      ['gql.ts', 'graphql.ts', 'index.ts', 'persisted-documents.json'].map(
        (name) => `examples/partner-client/src/generated/${name}`,
      ),
    );
    const stale = files.filter(({ filename, content }) => {
      try {
        return readFileSync(join(REPO_ROOT, filename), 'utf8') !== content;
      } catch {
        return true;
      }
    });
    if (stale.length > 0) {
      throw new Error(
        `Out of date with schema.graphql or the kit's documents: ${stale.map((file) => file.filename).join(', ')}. ` +
          'Run `npm run codegen`, commit the result, and register the new trusted document ids.',
      );
    }
  });
});
