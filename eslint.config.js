// Lint rules, including the ones that keep each folder's environment obvious:
// nothing in renderer/ imports Node, Electron or our server-side code at run time, and nothing
// in db/ imports Electron or the code that builds on it; and the renderer opens none of the
// browser's own dialogs, which fail in Electron.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = builtinModules.filter((m) => !m.startsWith('_'));

// The browser's own dialogs fail in the desktop window: Electron does not implement prompt() (it
// throws), and on Windows its native alert() and confirm() leave the window's text fields unable
// to take typing (electron/electron#31917).
const browserDialogs = ['alert', 'confirm', 'prompt'];
const noBrowserDialog = (name) =>
  `${name}() ${name === 'prompt' ? 'is not implemented by Electron' : "breaks the window's text fields in Electron on Windows"}: ` +
  "ask with the app's modal (ConfirmDialog in renderer/ui/confirm-dialog.tsx, or a Mantine Modal).";

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'release/', 'coverage/', 'db/migrations/', '.cache/', 'test-results/'] },
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
      // Node's globals are in the renderer's type environment only because it type-checks main's contract.
      'no-restricted-globals': [
        'error',
        'process',
        'Buffer',
        'require',
        '__dirname',
        '__filename',
        'global',
        ...browserDialogs.map((name) => ({ name, message: noBrowserDialog(name) })),
      ],
      'no-restricted-properties': [
        'error',
        ...['window', 'globalThis', 'self'].flatMap((object) =>
          browserDialogs.map((property) => ({ object, property, message: noBrowserDialog(property) })),
        ),
      ],
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
              group: ['**/main/**', '**/sync-server/**', '**/preload/**'],
              allowTypeImports: true,
              message: 'The renderer may import types from the main contract, nothing at run time.',
            },
            {
              // The pure parts of db/ (contracts, domain rules, the policy table) run in the page
              // too, so forms check what main checks; schemas, migrations and loaders do not.
              group: ['**/db/*', '!**/db/contracts', '!**/db/domain', '!**/db/policy'],
              allowTypeImports: true,
              message: 'The renderer may use db/contracts, db/domain and db/policy; the rest of db/ is for Node.',
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
