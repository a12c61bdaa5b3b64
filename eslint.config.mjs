// Lint for every TypeScript file in the repo, with type information (floating promises and the like
// need types). Formatting is Prettier's job: eslint-config-prettier turns off the rules it owns.
// Import cycles and the direction of dependencies are checked by dependency-cruiser (.dependency-cruiser.cjs).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'proto/src/gen/**', 'coverage/**', '.wardwatch/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: {
        project: ['./tsconfig.check.json', './manager/dashboard/tsconfig.json', './agent/tray/tsconfig.test.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-console': 'off',
    },
  },
  {
    files: ['manager/dashboard/src/**/*.{ts,tsx}', 'agent/tray/src/renderer/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  {
    // The agent carries what it loads for its whole life, and the root of @wardwatch/shared builds
    // every zod schema of the manager's API (~2 MB of heap): the agent's code uses the subpath.
    files: ['agent/src/**/*.ts'],
    ignores: ['agent/src/**/*.test.ts', 'agent/src/**/*.fixture.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: '@wardwatch/shared', message: "The agent imports '@wardwatch/shared/agent'." }] },
      ],
    },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    ...tseslint.configs.disableTypeChecked,
  },
  prettier,
);
