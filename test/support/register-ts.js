/* eslint-disable @typescript-eslint/no-require-imports -- a preload script for `node -r`: plain CommonJS, loaded before any transpiler */
// Lets a child process run the gateway's TypeScript entry as `node -r ./test/support/register-ts.js
// src/main.ts`, the way production runs `node dist/src/main.js`, without a build first. Each file
// is transpiled alone with the project's compiler options: tsc's emit, so type-graphql keeps the
// decorator metadata it reads (esbuild-based loaders drop it).
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const ts = require('typescript');

const root = join(__dirname, '..', '..');
const { config } = ts.readConfigFile(join(root, 'tsconfig.json'), ts.sys.readFile);
const { options } = ts.parseJsonConfigFileContent(config, ts.sys, root);
const compilerOptions = { ...options, sourceMap: false, inlineSourceMap: true, noEmit: false };

require.extensions['.ts'] = (module, filename) => {
  const { outputText } = ts.transpileModule(readFileSync(filename, 'utf8'), { compilerOptions, fileName: filename });
  module._compile(outputText, filename);
};
