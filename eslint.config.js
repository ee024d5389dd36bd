// The one lint config for every workspace (packages, services, gateway, test).
// `npm run lint` runs ESLint once over the repo: one TypeScript program (the
// one `npm run typecheck` builds) serves every file, which on two cores takes
// about half the time and a third of the memory of a program per package.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const TESTS = ['**/test/**/*.ts', 'test/**/*.ts', 'vitest.config.ts'];

/**
 * Settings come from the environment in one place per package: its config
 * module, which validates them (zod) and hands the rest of the code a typed
 * object. Everywhere else `process.env` is an unvalidated side door.
 */
const ENVIRONMENT_ONLY_IN_CONFIG = 'Read settings in the package config module (src/config.ts) and pass the typed value in.';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/drizzle/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { project: './tsconfig.check.json', tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // The bugs this config exists for: a promise nobody awaits loses its
      // error (and its ordering); a promise where a callback returns void is
      // never awaited by the caller (event handlers, Array#forEach, if (promise)).
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      // `any` only at a library seam, with an eslint-disable comment saying why.
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Declaration files for untyped libraries are referenced with triple slashes on purpose.
      '@typescript-eslint/triple-slash-reference': 'off',
      // Interface implementations (Apollo plugin hooks, transports) are async without awaiting: not a bug.
      '@typescript-eslint/require-await': 'off',
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: ENVIRONMENT_ONLY_IN_CONFIG }],
      'no-restricted-imports': [
        'error',
        { paths: ['process', 'node:process'].map((name) => ({ name, importNames: ['env'], message: ENVIRONMENT_ONLY_IN_CONFIG })) },
      ],
    },
  },
  {
    // GraphQL response bodies are `any` by design in tests; the assertions are the check.
    files: TESTS,
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    // Where the environment may be read:
    // - each package's config module;
    // - core's logger, whose LOG_LEVEL fallback serves the CLI's last-resort
    //   log when the config itself failed to load;
    // - the benches, command-line scripts whose knobs (BENCH_SECONDS, ...) are
    //   environment variables documented at the top of each.
    files: ['**/src/config.ts', 'packages/core/src/logger.ts', 'test/bench/**/*.ts'],
    rules: { 'no-restricted-properties': 'off', 'no-restricted-imports': 'off' },
  },
  {
    // Tool configs outside any workspace's tsconfig: linted without types.
    files: ['**/drizzle.config.ts'],
    extends: [tseslint.configs.disableTypeChecked],
  },
);
