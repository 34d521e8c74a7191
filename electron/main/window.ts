import { readFile } from 'node:fs/promises';
import { BrowserWindow, protocol, session, shell, type WebContents } from 'electron';
import path from 'node:path';
import {
  APP_SCHEME,
  CONSOLE_CSP,
  consoleResponseHeaders,
  isAllowedNavigation,
  isSafeExternalUrl,
  resolveConsoleFile,
  secureWebPreferences,
  type RendererSource,
} from './security';

/**
 * Before the app is ready: app:// is a standard, secure scheme — an origin of its own, relative URLs, module scripts
 * (which load in CORS mode, hence corsEnabled; no answer carries Access-Control-Allow-Origin, so no other origin reads one).
 */
export function registerConsoleScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true } },
  ]);
}

/** Serves the built console over app://console: its own folder only, every answer with the console's CSP as a header. */
export function serveConsole(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveConsoleFile(rendererDir, request.url);
    if (!file) return new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
    try {
      return new Response(await readFile(file), { status: 200, headers: consoleResponseHeaders(file) });
    } catch {
      return new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
    }
  });
}

/** Guards every web contents the app creates: no navigation away, no new windows, no webviews, no permissions. */
export function hardenContents(contents: WebContents, trustedOrigins: readonly string[]): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAllowedNavigation(url, trustedOrigins)) event.preventDefault();
  });
  contents.on('will-frame-navigate', (event) => {
    if (!isAllowedNavigation(event.url, trustedOrigins)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAllowedNavigation(url, trustedOrigins)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isSafeExternalUrl(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}

/**
 * Denies every permission (camera, notifications from the page, geolocation…), and puts the CSP on every HTTP answer
 * (the development server's; app:// answers carry it from serveConsole).
 */
export function hardenSession(): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  session.defaultSession.setDevicePermissionHandler(() => false);
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONSOLE_CSP] } });
  });
}

export function createConsoleWindow(options: { preload: string; source: RendererSource; iconDir: string }): BrowserWindow {
  const window = new BrowserWindow({
    width: 1360,
    height: 860,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'Marketplace Console',
    // Windows takes the .ico with every size in it; other systems the 256 px picture.
    icon: path.join(options.iconDir, process.platform === 'win32' ? 'icon.ico' : 'icon.png'),
    webPreferences: secureWebPreferences(options.preload),
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(options.source.url);
  return window;
}
