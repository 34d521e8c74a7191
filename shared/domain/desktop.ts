import type { Settings } from './settings';

/** Given on the command line by a start at sign-in: the app starts in the tray, without opening its window. */
export const STARTED_AT_SIGN_IN = '--started-at-sign-in';

/** `platform` is process.platform ('win32', 'darwin', 'linux'…). What the operating system is asked to do at sign-in (Electron's setLoginItemSettings), or null where it cannot be asked. */
export function loginItemFor(settings: Pick<Settings, 'desktop'>, platform: string): { openAtLogin: boolean; args: string[] } | null {
  if (platform !== 'win32' && platform !== 'darwin') return null;
  return { openAtLogin: settings.desktop.startAtSignIn, args: [STARTED_AT_SIGN_IN] };
}

/** A launch the operating system made at sign-in stays in the tray; one a person made opens the console. */
export const opensWindow = (argv: readonly string[]) => !argv.includes(STARTED_AT_SIGN_IN);

/** How often the desktop app asks its update feed for a new version (and once at start). */
export const UPDATE_CHECK_MS = 6 * 3_600_000;

/**
 * The feed the desktop app is updated from, or null: only an installed (packaged) app with a feed set updates itself;
 * a development run, or an app IT keeps up to date with its own installer, never does.
 */
export function updateFeed(settings: Pick<Settings, 'desktop'>, packaged: boolean): { provider: 'generic'; url: string } | null {
  return packaged && settings.desktop.updateFeedUrl ? { provider: 'generic', url: settings.desktop.updateFeedUrl } : null;
}
