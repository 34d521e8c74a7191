import { app } from 'electron';
import electronUpdater from 'electron-updater';
import type { Logger } from '../engine';
import type { Settings } from '../../shared/domain/settings';
import { UPDATE_CHECK_MS, updateFeed } from '../../shared/domain/desktop';

/**
 * Keeps an installed desktop app up to date from the feed IT sets in Settings (off until one is set): checks at start
 * and every few hours, downloads a new version in the background, tells the person once it is ready and installs it
 * when the app next quits. A feed that cannot be reached is a log line, never a stop.
 */
export function keepUpToDate(settings: () => Settings, logger: Logger): { settingsChanged(): void; stop(): void } {
  const { autoUpdater } = electronUpdater;
  autoUpdater.autoDownload = true;
  autoUpdater.autoInstallOnAppQuit = true;
  let feedUrl: string | null = null;
  const check = () => {
    const feed = updateFeed(settings(), app.isPackaged);
    if (!feed) return;
    if (feed.url !== feedUrl) {
      autoUpdater.setFeedURL(feed);
      feedUrl = feed.url;
    }
    autoUpdater.checkForUpdatesAndNotify().catch((error: unknown) => {
      logger.warn('The update feed could not be read', { feed: feed.url, error: error instanceof Error ? error.message : String(error) });
    });
  };
  check();
  const timer = setInterval(check, UPDATE_CHECK_MS);
  return { settingsChanged: check, stop: () => clearInterval(timer) };
}
