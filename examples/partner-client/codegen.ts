import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * GraphQL Code Generator's configuration for the partner kit, run from the repository root by
 * `npm run codegen`. The client preset types the kit's `graphql()` documents from the gateway's
 * checked-in schema.graphql (no running gateway, no network) and emits them as persisted documents
 * with SHA-256 ids, the ids the gateway's trusted documents are named by. The output is committed,
 * so `npm ci && npm test` need no generation step; test/unit/partner-client/codegen-sync.test.ts
 * fails when it is stale.
 */
export const PARTNER_CLIENT_DIR = 'examples/partner-client';

const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: [`${PARTNER_CLIENT_DIR}/src/**/*.ts`, `!${PARTNER_CLIENT_DIR}/src/generated/**`],
  ignoreNoDocuments: false,
  generates: {
    [`${PARTNER_CLIENT_DIR}/src/generated/`]: {
      preset: 'client',
      presetConfig: {
        fragmentMasking: false,
        persistedDocuments: { hashAlgorithm: 'sha256' },
      },
      config: {
        // Union types instead of runtime enums: nothing to import at run time, plain JSON strings.
        enumsAsTypes: true,
        useTypeImports: true,
        strictScalars: true,
        scalars: {
          DateTime: 'string',
          JSON: 'unknown',
          JSONObject: 'Record<string, unknown>',
        },
      },
    },
  },
};

export default config;
