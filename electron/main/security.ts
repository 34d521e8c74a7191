import type { WebPreferences } from 'electron';

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
  spellcheck: false,
});

/** The same policy the headless host sends, minus the WebSocket: in Electron the renderer has no network at all. */
export const CONSOLE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/** The console never navigates away from itself. */
export function isAllowedNavigation(target: string, trustedOrigins: readonly string[]): boolean {
  try {
    const url = new URL(target);
    return url.protocol === 'file:' ? trustedOrigins.includes('file://') : trustedOrigins.includes(url.origin);
  } catch {
    return false;
  }
}

/** Links the console opens in the browser (marketplace back office, SAP docs): https only. */
export function isSafeExternalUrl(target: string): boolean {
  try {
    return new URL(target).protocol === 'https:';
  } catch {
    return false;
  }
}
