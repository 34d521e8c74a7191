import { useState } from 'react';
import type { ConsoleApi } from '../../shared/contract';

/** The console runs in a browser (the headless host), not in the desktop app, whose tray raises the notifications itself. */
const inBrowser = () => typeof window !== 'undefined' && !('api' in window) && 'Notification' in window;

/**
 * Raises, in a browser console, the notifications the desktop app's tray would: the engine's `notification` event,
 * once the operator allowed them. Clicking one brings the console forward on the record it is about.
 */
export function raiseBrowserAlerts(api: ConsoleApi): () => void {
  return api.on('notification', (n) => {
    if (!inBrowser() || Notification.permission !== 'granted') return;
    const shown = new Notification(n.title, { body: n.body, tag: n.address ?? n.title, requireInteraction: n.severity === 'critical' });
    shown.onclick = () => {
      window.focus();
      if (n.address) location.hash = n.address;
      shown.close();
    };
  });
}

/** The header's offer to turn alerts on, while the browser has not been asked; nothing in the desktop app. */
export function AlertsPermission() {
  const [permission, setPermission] = useState(() => (inBrowser() ? Notification.permission : 'granted'));
  if (permission !== 'default') return null;
  return (
    <button
      type="button"
      className="link"
      title="Have this browser tell you when sync fails or a record is blocked, as the desktop app's tray does"
      onClick={() => void Notification.requestPermission().then(setPermission)}
    >
      Turn on alerts
    </button>
  );
}
