import { BrowserWindow, session, shell, type WebContents } from 'electron';
import path from 'node:path';
import { CONSOLE_CSP, isAllowedNavigation, isSafeExternalUrl, secureWebPreferences } from './security';

/** Guards every web contents the app creates: no navigation away, no new windows, no webviews, no permissions. */
export function hardenContents(contents: WebContents, trustedOrigins: readonly string[]): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAllowedNavigation(url, trustedOrigins)) event.preventDefault();
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

/** Denies every permission (camera, notifications from the page, geolocation…) and sets the CSP on every response. */
export function hardenSession(): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONSOLE_CSP] } });
  });
}

export function createConsoleWindow(options: { preload: string; rendererUrl: string | undefined; rendererDir: string }): BrowserWindow {
  const window = new BrowserWindow({
    width: 1360,
    height: 860,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'Marketplace Console',
    // Windows takes the .ico with every size in it; other systems the 256 px picture.
    icon: path.join(options.rendererDir, '../../build/icons', process.platform === 'win32' ? 'icon.ico' : 'icon.png'),
    webPreferences: secureWebPreferences(options.preload),
  });
  window.once('ready-to-show', () => window.show());
  if (options.rendererUrl) void window.loadURL(options.rendererUrl);
  else void window.loadFile(path.join(options.rendererDir, 'index.html'));
  return window;
}
