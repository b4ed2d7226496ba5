// Lint rules, including the ones that keep each folder's environment obvious:
// nothing in renderer/ imports Node, Electron or our server-side code at run time, and nothing
// in db/ imports Electron or the code that builds on it.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = builtinModules.filter((m) => !m.startsWith('_'));

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'release/', 'coverage/', 'db/migrations/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: globals.node },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltins.map((name) => ({ name, message: 'The renderer is a browser page: no Node modules.' })),
            { name: 'electron', message: 'The renderer reaches main only through the preload API.' },
            { name: 'better-sqlite3', message: 'The renderer never touches the database.' },
          ],
          patterns: [
            { group: ['node:*'], message: 'The renderer is a browser page: no Node modules.' },
            {
              group: ['**/main/**', '**/db/**', '**/sync-server/**', '**/preload/**'],
              allowTypeImports: true,
              message: 'The renderer may import types from the main contract, nothing at run time.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['db/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'db/ runs in plain Node and in the sync server: no Electron.' }],
          patterns: [
            { group: ['electron/*'], message: 'db/ runs in plain Node and in the sync server: no Electron.' },
            {
              group: ['**/main/**', '**/renderer/**', '**/sync-server/**', '**/preload/**'],
              message: 'db/ imports nothing of ours.',
            },
          ],
        },
      ],
    },
  },
  prettier,
);
