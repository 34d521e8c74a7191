import path from 'node:path';
import type { WebPreferences } from 'electron';
import { consoleContentType, consoleCsp } from '../engine';

/**
 * The Electron shell's security rules as pure functions (tests call them without Electron; window.ts, index.ts and
 * ipc-router.ts apply them). The checklist they answer, item by item: security-checklist.ts and decision 0010.
 */

/** The console's window runs sandboxed, isolated, without Node: it reaches the engine only through window.api. */
export const secureWebPreferences = (preload: string): WebPreferences => ({
  preload,
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webviewTag: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  navigateOnDragDrop: false,
  spellcheck: false,
});

/**
 * The scheme the console is served from (a standard, secure scheme of the app's own, so the page has an origin and
 * a response header — file:// has neither, and reaches every file on the disk). Registered as privileged before the
 * app is ready; handled by serving the built console's folder and nothing else.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'console';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const CONSOLE_ENTRY = `${APP_ORIGIN}/index.html`;

/**
 * The same policy the headless host sends, minus the WebSocket (connect-src 'self' only): in Electron the renderer
 * has no network at all.
 * Sent as a response header by the app:// handler (and onto the development server's responses), so frame-ancestors,
 * which a <meta> cannot carry, holds.
 */
export const CONSOLE_CSP = consoleCsp();

export type RendererSource = { kind: 'app'; url: string; origin: string } | { kind: 'development'; url: string; origin: string };

/**
 * Where the window loads the console from. electron-vite's development server (ELECTRON_RENDERER_URL) only in an
 * unpackaged app and only on this computer: in an installed app that variable would let whoever sets it show any
 * page with window.api. Otherwise the built console over app://.
 */
export function rendererSource(options: { isPackaged: boolean; developmentUrl: string | undefined }): RendererSource {
  if (!options.isPackaged && options.developmentUrl) {
    try {
      const url = new URL(options.developmentUrl);
      if ((url.protocol === 'http:' || url.protocol === 'https:') && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname))
        return { kind: 'development', url: url.href, origin: url.origin };
    } catch {
      // Not a URL: the built console.
    }
  }
  return { kind: 'app', url: CONSOLE_ENTRY, origin: APP_ORIGIN };
}

/**
 * The origin of a URL as the shell compares it: scheme, host and port. WHATWG URL gives an opaque "null" origin for
 * schemes it does not know (app:), so it is built here; file: has no origin and is never trusted.
 */
export function originOf(target: string): string | null {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return null;
  }
  if (url.protocol === 'http:' || url.protocol === 'https:') return url.origin;
  if (url.protocol === `${APP_SCHEME}:` && url.host) return `${url.protocol}//${url.host}`;
  return null;
}

/** The console never navigates away from itself: only to its own origin (app://console, or the development server). */
export function isAllowedNavigation(target: string, trustedOrigins: readonly string[]): boolean {
  const origin = originOf(target);
  return origin !== null && trustedOrigins.includes(origin);
}

/** Links the console opens in the browser (marketplace back office, SAP docs): https only. */
export function isSafeExternalUrl(target: string): boolean {
  try {
    return new URL(target).protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * The file an app:// request may be answered with: inside the built console's folder, never outside it (no `..`, no
 * encoded separators or NUL, no other host); `/` is the console's page. Null: answer 404.
 */
export function resolveConsoleFile(rendererDir: string, requestUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return null;
  const root = path.resolve(rendererDir);
  const file = path.resolve(root, `.${pathname === '/' ? '/index.html' : pathname}`);
  const relative = path.relative(root, file);
  if (!relative || relative.startsWith('..') || path.isAbsolute(relative)) return null;
  return file;
}

/** The headers of every app:// answer: its type, the console's policy, no sniffing. */
export function consoleResponseHeaders(file: string): Record<string, string> {
  return {
    'content-type': consoleContentType(file),
    'content-security-policy': CONSOLE_CSP,
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-cache',
  };
}
