/**
 * Electron's security checklist (https://www.electronjs.org/docs/latest/tutorial/security), item by item, with the
 * code that enforces each. `code` names a file and a text in it; test/shell/electron-security.test.ts checks each is
 * there, so the table cannot drift from the code. docs/reliability.md's security section is written from this
 * (npm run reliability:security).
 */
export interface ChecklistItem {
  item: number;
  recommendation: string;
  /** How the desktop app meets it. */
  how: string;
  /** `path/from/repo/root.ts: text in that file` for each place that enforces it. */
  code: string[];
}

export const ELECTRON_SECURITY_CHECKLIST: readonly ChecklistItem[] = [
  {
    item: 1,
    recommendation: 'Only load secure content',
    how: "The window loads only the console built into the app (app://console); the renderer has no network (CSP connect-src 'self'). SAP and the marketplace are reached by the engine process, never the page.",
    code: [
      'electron/main/security.ts: export const CONSOLE_ENTRY',
      'electron/main/security.ts: export const CONSOLE_CSP = consoleCsp();',
      'electron/engine/console-policy.ts: const connect = ["\'self\'", ...sockets]',
    ],
  },
  {
    item: 2,
    recommendation: 'Do not enable Node.js integration for remote content',
    how: 'nodeIntegration, nodeIntegrationInWorker and nodeIntegrationInSubFrames are false for the console window.',
    code: ['electron/main/security.ts: nodeIntegration: false', 'electron/main/window.ts: webPreferences: secureWebPreferences(options.preload)'],
  },
  {
    item: 3,
    recommendation: 'Enable context isolation',
    how: 'contextIsolation: true; the preload reaches the page only through contextBridge.',
    code: ['electron/main/security.ts: contextIsolation: true', "electron/preload/index.ts: contextBridge.exposeInMainWorld('api'"],
  },
  {
    item: 4,
    recommendation: 'Enable process sandboxing',
    how: 'sandbox: true; the preload is one bundled CommonJS file that needs no Node.',
    code: ['electron/main/security.ts: sandbox: true'],
  },
  {
    item: 5,
    recommendation: 'Handle session permission requests from remote content',
    how: 'Every permission request, permission check and device permission is refused.',
    code: [
      'electron/main/window.ts: setPermissionRequestHandler((_contents, _permission, callback) => callback(false))',
      'electron/main/window.ts: setPermissionCheckHandler(() => false)',
      'electron/main/window.ts: setDevicePermissionHandler(() => false)',
    ],
  },
  {
    item: 6,
    recommendation: 'Do not disable webSecurity',
    how: 'webSecurity: true, set explicitly.',
    code: ['electron/main/security.ts: webSecurity: true'],
  },
  {
    item: 7,
    recommendation: 'Define a Content-Security-Policy',
    how: "script-src 'self', no inline script or eval, frame-ancestors 'none' — delivered as a response header on every app:// answer (and on the development server's), since a <meta> cannot carry frame-ancestors and file:// has no headers.",
    code: [
      'electron/main/security.ts: export const CONSOLE_CSP',
      "electron/main/security.ts: 'content-security-policy': CONSOLE_CSP",
      "electron/main/window.ts: 'Content-Security-Policy': [CONSOLE_CSP]",
    ],
  },
  {
    item: 8,
    recommendation: 'Do not enable allowRunningInsecureContent',
    how: 'allowRunningInsecureContent: false, set explicitly.',
    code: ['electron/main/security.ts: allowRunningInsecureContent: false'],
  },
  {
    item: 9,
    recommendation: 'Do not enable experimental features',
    how: 'experimentalFeatures: false, set explicitly.',
    code: ['electron/main/security.ts: experimentalFeatures: false'],
  },
  {
    item: 10,
    recommendation: 'Do not use enableBlinkFeatures',
    how: 'Never set (the test checks the window preferences carry no enableBlinkFeatures).',
    code: ['electron/main/security.ts: export const secureWebPreferences'],
  },
  {
    item: 11,
    recommendation: '<webview>: Do not use allowpopups',
    how: 'No <webview> at all: webviewTag: false.',
    code: ['electron/main/security.ts: webviewTag: false'],
  },
  {
    item: 12,
    recommendation: '<webview>: Verify options and params',
    how: 'Every webview attach is refused, in every web contents the app creates.',
    code: [
      "electron/main/window.ts: contents.on('will-attach-webview', (event) => event.preventDefault())",
      "electron/main/index.ts: app.on('web-contents-created'",
    ],
  },
  {
    item: 13,
    recommendation: 'Disable or limit navigation',
    how: "will-navigate, will-frame-navigate and will-redirect are refused unless the target is the console's own origin (app://console, or the development server of an unpackaged app); file:// is never trusted.",
    code: [
      'electron/main/window.ts: isAllowedNavigation(url, trustedOrigins)',
      "electron/main/window.ts: contents.on('will-frame-navigate'",
      'electron/main/security.ts: export function isAllowedNavigation',
    ],
  },
  {
    item: 14,
    recommendation: 'Disable or limit creation of new windows',
    how: "setWindowOpenHandler denies every new window; an https link opens in the person's browser instead.",
    code: ["electron/main/window.ts: return { action: 'deny' }"],
  },
  {
    item: 15,
    recommendation: 'Do not use shell.openExternal with untrusted content',
    how: 'Only https URLs reach shell.openExternal (never file:, javascript:, custom schemes).',
    code: ['electron/main/security.ts: export function isSafeExternalUrl', 'electron/main/window.ts: if (isSafeExternalUrl(url)) void shell.openExternal(url)'],
  },
  {
    item: 16,
    recommendation: 'Use a current version of Electron',
    how: "Electron 45.5.0, the registry's latest when this was checked; npm run reliability:audit lists any advisory against it.",
    code: ['package.json: "electron": "45.5.0"'],
  },
  {
    item: 17,
    recommendation: 'Validate the sender of all IPC messages',
    how: "Every invoke is answered only for a window's main frame showing the console's own origin; the channel must be one of the two routed ones, the arguments a name and a payload (zod), the name in the contract and the payload valid — all in the main process, before the engine's process hears of it.",
    code: [
      'electron/main/ipc-router.ts: export function isTrustedSender',
      'electron/main/ipc-router.ts: const IpcArgsSchema',
      'electron/main/ipc-router.ts: export function routeIpc',
    ],
  },
  {
    item: 18,
    recommendation: 'Avoid usage of the file:// protocol and prefer usage of custom protocols',
    how: "The console is served over app://console by a protocol handler that answers only files inside the built console's folder (no .., no encoded separators, no other host).",
    code: [
      'electron/main/window.ts: protocol.handle(APP_SCHEME',
      'electron/main/security.ts: export function resolveConsoleFile',
      'electron/main/index.ts: registerConsoleScheme();',
    ],
  },
  {
    item: 19,
    recommendation: 'Check which fuses you can change',
    how: 'The installer build flips the fuses: no ELECTRON_RUN_AS_NODE, no NODE_OPTIONS, no --inspect, the app only from its ASAR with integrity checked, cookies encrypted, file:// without extra privileges.',
    code: [
      'electron-builder.yml: runAsNode: false',
      'electron-builder.yml: onlyLoadAppFromAsar: true',
      'electron-builder.yml: grantFileProtocolExtraPrivileges: false',
    ],
  },
  {
    item: 20,
    recommendation: 'Do not expose Electron APIs to untrusted web content',
    how: 'The preload exposes four named functions (the contract), never ipcRenderer or an event object; every reply and event is parsed with the contract before the page sees it.',
    code: ["electron/preload/index.ts: contextBridge.exposeInMainWorld('api', {", 'electron/preload/api.ts: events[name as EventName].safeParse(payload)'],
  },
  {
    item: 21,
    recommendation: "(this app's own) The development renderer only in development",
    how: 'ELECTRON_RENDERER_URL is honoured only when the app is not packaged, and only for a server on this computer.',
    code: ['electron/main/security.ts: export function rendererSource', 'electron/main/index.ts: rendererSource({ isPackaged: app.isPackaged'],
  },
];
