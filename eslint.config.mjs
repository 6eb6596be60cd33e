// Lint for every TypeScript folder. Type-aware rules catch what tsc alone does not (floating
// promises, awaiting non-promises); formatting is Prettier's job, so its rules are off here.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      '.data/**',
      'bench/results/**',
      'coverage/**',
      'test-output/**',
      // GraphQL Code Generator's output, checked by test/unit/partner-client/codegen-sync.test.ts instead.
      'examples/partner-client/src/generated/**',
      'examples/partner-client/dist/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
  },
  {
    // Tests read GraphQL responses as untyped JSON on purpose (`GqlResponse` data is `any`): asserting
    // on them is what a test does, so the unsafe-any family would only add casts.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      // Jest and harness callbacks are async by contract even when a body happens not to await.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    rules: {
      // Apollo plugin hooks and store interfaces are async by contract; a body without await is fine.
      '@typescript-eslint/require-await': 'off',
      // String() on JSON and database scalars typed unknown is deliberate (they are strings or numbers).
      '@typescript-eslint/no-base-to-string': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      parserOptions: { projectService: false },
      globals: { module: 'writable', require: 'readonly', __dirname: 'readonly' },
    },
  },
  prettier,
);
