// Lint rules, including the layering rule of the README: core ← workers; core ← services ← elements; ui ← elements.

import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const layer = (files, patterns, message) => ({
  files,
  rules: {
    'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }],
  },
});

export default tseslint.config(
  { ignores: ['node_modules', 'dist', 'public', 'test/output', '.scratch', 'custom-elements.json', 'bench/results'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-globals': ['error', 'name', 'event'],
    },
  },
  layer(
    ['src/core/**/*.ts'],
    [
      '**/workers/**',
      '**/services/**',
      '**/ui/**',
      '**/elements/**',
      'lit',
      'lit/*',
      'comlink',
      'idb-keyval',
      '@huggingface/*',
      'onnxruntime-*',
      '@mlc-ai/*',
    ],
    'src/core is pure: no DOM, workers, services, UI or runtime libraries.',
  ),
  layer(
    ['workers/**/*.ts'],
    ['**/services/**', '**/ui/**', '**/elements/**', 'lit', 'lit/*'],
    'Workers import only src/core.',
  ),
  layer(
    ['src/ui/**/*.ts'],
    ['**/services/**', '**/workers/**', '**/elements/**', 'comlink', 'idb-keyval', '@huggingface/*', 'onnxruntime-*'],
    'src/ui is presentational: data in through properties, events out.',
  ),
  layer(['src/services/**/*.ts'], ['**/ui/**', '**/elements/**', 'lit', 'lit/*'], 'Services hold no UI.'),
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'core is deterministic: use createRng(seed).' },
        { object: 'Date', property: 'now', message: 'core is deterministic: take time as an argument.' },
      ],
    },
  },
);
