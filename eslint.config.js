import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const electronOnly = [
  { name: 'electron', message: 'Only electron/main (the shell) may import electron.' },
  { name: 'electron-store', message: 'electron-store imports electron: only electron/main/adapters may use it.' },
];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'build/**', '.data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { paths: electronOnly }],
    },
  },
  // The engine, the headless host, emulators, tests and benchmarks run on plain Node: no electron below the shell.
  {
    files: ['electron/engine/**', 'electron/host/**', 'emulators/**', 'test/**', 'bench/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: electronOnly, patterns: [{ group: ['**/electron/main/**', '**/main/*'], message: 'Nothing below the shell imports the shell.' }] },
      ],
    },
  },
  // shared/ runs in every layer: no Node, no DOM, no other layer.
  {
    files: ['shared/**'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...electronOnly, ...nodeBuiltins.map((name) => ({ name, message: 'shared/ runs in the renderer too: no Node APIs.' }))],
          patterns: [{ group: ['**/electron/**', '**/renderer/**', '**/emulators/**'], message: 'shared/ imports only shared/.' }],
        },
      ],
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'localStorage', 'process', 'Buffer', 'require'],
    },
  },
  // The renderer imports only shared/ and itself, and no Node API: it talks to the engine through the contract alone.
  {
    files: ['renderer/**', 'test/ui/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...electronOnly,
            ...nodeBuiltins.map((name) => ({ name, message: 'The renderer has no Node APIs.' })),
            ...['axios', 'better-sqlite3', 'ws', 'pino'].map((name) => ({ name, message: 'The renderer reaches the engine only through the contract.' })),
          ],
          patterns: [{ group: ['**/electron/**', '**/emulators/**', '**/bench/**'], message: 'renderer/ imports only shared/ and itself.' }],
        },
      ],
    },
  },
  // Tests of the shell's logic import its modules and Electron's types, never Electron itself (no binary here).
  {
    files: ['test/shell/**'],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', allowTypeImports: true, message: 'Tests run without the Electron binary: import types only.' },
            { name: 'electron-store', message: 'electron-store imports electron.' },
          ],
        },
      ],
    },
  },
  // The shell: the only place electron is allowed.
  {
    files: ['electron/main/**', 'electron/preload/**', 'electron.vite.config.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
