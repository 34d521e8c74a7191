import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { builtinModules } from 'node:module';
import zones from './eslint/zones.js';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const electronOnly = [
  { name: 'electron', message: 'Only electron/main (the shell) may import electron.' },
  { name: 'electron-store', message: 'electron-store imports electron: only electron/main/adapters may use it.' },
];

// Wire values a flow never spells (decision 0003): SAP's enums and user-defined field names, the marketplace's state codes.
const WIRE_VALUES = [
  { pattern: '/^t(YES|NO)$/', what: "SAP's tYES/tNO" },
  { pattern: '/\\bU_/', what: 'A U_ field name' },
  { pattern: '/\\bbost_/', what: "SAP's bost_ status" },
  {
    pattern: '/\\b(WAITING_ACCEPTANCE|WAITING_DEBIT|SHIPPING|SHIPPED|TO_COLLECT|RECEIVED|CLOSED|REFUSED|CANCELED|STAGING|WAITING_REFUND|INCIDENT_OPEN)\\b/',
    what: 'A marketplace state code',
  },
];

// Benchmarks that run the engine as the hosts do; the others measure flow and connector internals, like tests.
const BENCHES_THROUGH_THE_ENTRY = ['bench/run.ts', 'bench/responsiveness.bench.ts'];

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
  // Zones (docs/decisions/0002-engine-process.md). The engine is plain Node that its hosts start: it never reaches back
  // into a host, the shell, the emulators, the console or the tests.
  {
    files: ['electron/engine/**'],
    plugins: { zones },
    rules: {
      'zones/engine': [
        'error',
        {
          forbid: [
            { target: 'electron/host', message: 'the engine never imports the headless host.' },
            { target: 'electron/main', message: 'the engine never imports the Electron shell.' },
            { target: 'electron/preload', message: 'the engine never imports the Electron shell.' },
            { target: 'emulators', message: 'the engine never imports the emulators: it talks to them over HTTP like to the real systems.' },
            { target: 'renderer', message: 'the engine never imports the console: they share only the contract in shared/.' },
            { target: 'test', message: 'the engine never imports tests.' },
            { target: 'bench', message: 'the engine never imports benchmarks.' },
          ],
        },
      ],
    },
  },
  // Flows decide, connectors translate: a flow speaks to ports (connectors/ports/, reached through connectors/connections.ts),
  // the domain and the engine core, never to a concrete connector and its wire formats.
  {
    files: ['electron/engine/flows/**'],
    plugins: { zones },
    rules: {
      'no-restricted-syntax': [
        'error',
        ...WIRE_VALUES.flatMap(({ pattern, what }) => [
          { selector: `Literal[value=${pattern}]`, message: `${what} is a wire value: the connector translates it.` },
          { selector: `TemplateElement[value.raw=${pattern}]`, message: `${what} is a wire value: the connector translates it.` },
        ]),
      ],
      'zones/flows': [
        'error',
        {
          forbid: [
            { target: 'electron/engine/connectors/sap-b1', message: 'a flow never imports a concrete connector: use its port.' },
            { target: 'electron/engine/connectors/john-lewis', message: 'a flow never imports a concrete connector: use its port.' },
          ],
        },
      ],
    },
  },
  // Connectors translate and never decide: they never import a flow.
  {
    files: ['electron/engine/connectors/**'],
    plugins: { zones },
    rules: {
      'zones/connectors': ['error', { forbid: [{ target: 'electron/engine/flows', message: 'a connector never imports a flow.' }] }],
    },
  },
  // The headless host, the Electron shell and the benchmark runner reach the engine only through electron/engine/index.ts.
  {
    files: ['electron/host/**', 'electron/main/**', 'electron/preload/**', ...BENCHES_THROUGH_THE_ENTRY],
    plugins: { zones },
    rules: {
      'zones/host-and-shell': [
        'error',
        { forbid: [{ target: 'electron/engine', except: ['electron/engine/index'], message: 'import the engine from electron/engine/index.ts only.' }] },
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
