import { readFileSync } from 'node:fs';
import { documentIdOf } from '../src/limits/trusted-documents';

/**
 * `npm run trusted-documents -- hash FILE.graphql [...]`: prints the id of each file's document, the
 * SHA-256 of its exact text, as an operator lists it under `trustedDocuments` in the tenants file
 * and as a client sends it (`extensions.persistedQuery.sha256Hash`, or `documentId`). The client
 * must send the same bytes: one file is one document, sent as it is.
 */
function main(argv: string[]): number {
  const [command, ...files] = argv;
  if (command !== 'hash' || files.length === 0) {
    console.error('usage: npm run trusted-documents -- hash FILE.graphql [FILE.graphql ...]');
    return 2;
  }
  let failed = false;
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      console.error(`${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
      failed = true;
      continue;
    }
    console.log(`sha256:${documentIdOf(text)}  ${file}`);
  }
  return failed ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
