// Lint: type-aware rules that catch what reviews miss (floating promises, non-exhaustive switches,
// untyped any) and library boundaries (care/imports: scripts/eslint-care-imports.js).
import tseslint from 'typescript-eslint';
import boundaries from './scripts/eslint-care-imports.js';

export default tseslint.config(
  { ignores: ['dist/**', 'dist-bench/**', 'node_modules/**', 'apps/console/**', 'coverage/**', '*.js', '*.mjs'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { project: './tsconfig.json', tsconfigRootDir: import.meta.dirname } },
    plugins: { care: boundaries },
    rules: {
      'care/imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      // consistent-type-imports stays off: with emitDecoratorMetadata, turning an injected class into a type
      // import silently breaks Nest's dependency injection.
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // the scripts are plain CommonJS run by node
    files: ['scripts/**/*.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        console: 'readonly',
        __dirname: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
