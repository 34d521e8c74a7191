/** Remembers whether the one-time "still running in the tray" notice was shown. */
export interface NoticeFlag {
  get(): boolean;
  set(value: boolean): void;
}

/**
 * Closing the window hides it: the engine keeps syncing and the tray keeps watch. The first time, a notice
 * says so, so nobody thinks closing the window stopped the sync. Quitting from the tray really quits.
 */
export function closeToTray(options: { flag: NoticeFlag; hide: () => void; notify: (title: string, body: string) => void }) {
  let quitting = false;
  return {
    /** Call from app 'before-quit'. */
    markQuitting() {
      quitting = true;
    },
    /** Call from the window's 'close'; returns true when the close was turned into a hide. */
    onClose(event: { preventDefault(): void }): boolean {
      if (quitting) return false;
      event.preventDefault();
      options.hide();
      if (!options.flag.get()) {
        options.notify('Still syncing', 'The console keeps running in the tray. Quit from the tray menu to stop syncing.');
        options.flag.set(true);
      }
      return true;
    },
  };
}
