/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Type checking happens once in `npm run typecheck`; ts-jest only transpiles here (it keeps
  // decorator metadata, unlike esbuild-based transformers, which type-graphql needs).
  transform: {
    '^.+\\.ts$': ['ts-jest', { isolatedModules: true, tsconfig: 'tsconfig.json' }],
    // jose 6 ships ESM only. Node 20.19+ loads it through require(esm) at run time, but Jest's
    // own module system does not, so its files are transpiled to CommonJS for tests.
    '^.+/node_modules/jose/.+\\.js$': [
      'ts-jest',
      { isolatedModules: true, tsconfig: { allowJs: true, module: 'commonjs', target: 'ES2022' } },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  setupFiles: ['reflect-metadata'],
  // Builds the explorer's browser bundle (dist/explorer/) when missing or stale; see scripts/build-explorer.ts.
  globalSetup: '<rootDir>/test/support/explorer-bundle-setup.ts',
  testTimeout: 30000,
};
