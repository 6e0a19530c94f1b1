// ESLint (flat config) with typescript-eslint: the recommended rules of both, on every TypeScript
// source; dependency-cruiser checks the layer rules, Prettier the formatting.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'test-results/**', 'clients/**/generated/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { ...globals.node } },
    rules: {
      // A closure may read a variable that is assigned once, later (a server handler before its provider exists).
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // Names starting with _ are deliberately unused (destructuring a field away, a required parameter).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
    },
  },
  {
    // @nestjs/swagger takes DTO classes as `Function` (getSchemaPath, ApiExtraModels, oneOf models).
    files: ['**/*.dto.ts'],
    rules: { '@typescript-eslint/no-unsafe-function-type': 'off' },
  },
  {
    // The dashboard runs in the browser.
    files: ['apps/web/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
  },
  {
    // Tests and the benchmark reach into answers whose shape the test asserts: `any` there is the point.
    files: ['**/*.spec.ts', 'test/**', 'bench/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
