import { app, BrowserWindow, ipcMain, Notification, safeStorage } from 'electron';
import Store from 'electron-store';
import path from 'node:path';
import { createEngine, createHttpClientFactory, createLogger, standardFlows, systemClock } from '../engine';
import { IPC_CHANNELS } from '../../shared/contract';
import { keyValueSettingsStore } from './adapters/settings-store';
import { safeStorageSecretStore } from './adapters/safe-storage-secrets';
import { registerIpcRouter } from './ipc-router';
import { closeToTray } from './close-to-tray';
import { createTray } from './tray';
import { createConsoleWindow, hardenContents, hardenSession } from './window';

// Composition root: Electron adapters for each port, the engine, the IPC router, the window and the tray.
// The logic lives in tested modules; what is here is wiring.
if (!app.requestSingleInstanceLock()) app.quit();

const rendererUrl = process.env.ELECTRON_RENDERER_URL;
const trustedOrigins = ['file://', ...(rendererUrl ? [new URL(rendererUrl).origin] : [])];
const outDir = path.join(import.meta.dirname, '..');

void app.whenReady().then(() => {
  hardenSession();
  app.on('web-contents-created', (_e, contents) => hardenContents(contents, trustedOrigins));
  const store = new Store({ name: 'console' });
  const dataDir = app.getPath('userData');
  const logger = createLogger({ destination: path.join(dataDir, 'logs', 'engine.log') });
  const engine = createEngine(
    {
      clock: systemClock(),
      logger,
      settings: keyValueSettingsStore(store),
      secrets: safeStorageSecretStore(safeStorage, store),
      notifier: { notify: (n) => new Notification({ title: n.title, body: n.body, urgency: n.severity === 'critical' ? 'critical' : 'normal' }).show() },
      http: createHttpClientFactory(),
    },
    { ledgerFile: path.join(dataDir, 'ledger.db'), buildFlows: standardFlows },
  );
  registerIpcRouter(ipcMain, engine, { trustedOrigins, logger });

  let window: BrowserWindow | null = null;
  const open = () => {
    if (!window || window.isDestroyed()) {
      window = createConsoleWindow({ preload: path.join(outDir, 'preload/index.cjs'), rendererUrl, rendererDir: path.join(outDir, 'renderer') });
      window.on('close', (e) => closer.onClose(e));
    }
    window.show();
    window.focus();
  };
  const closer = closeToTray({
    flag: { get: () => store.get('closeNoticeShown') === true, set: (v) => store.set('closeNoticeShown', v) },
    hide: () => window?.hide(),
    notify: (title, body) => new Notification({ title, body }).show(),
  });
  const tray = createTray({
    iconDir: path.join(outDir, '../build/icons'),
    initial: engine.status(),
    onSelect: (id) => {
      if (id === 'open') open();
      else if (id === 'run-now') engine.runNow();
      else if (id === 'pause') engine.pause();
      else if (id === 'resume') engine.resume();
      else app.quit();
    },
  });
  engine.subscribe((name, payload) => {
    if (name === 'status.changed') tray.render(engine.status());
    for (const w of BrowserWindow.getAllWindows()) w.webContents.send(IPC_CHANNELS.event, name, payload);
  });
  app.on('second-instance', open);
  app.on('before-quit', () => closer.markQuitting());
  app.on('will-quit', (event) => {
    event.preventDefault();
    void engine.stop().finally(() => {
      tray.destroy();
      app.exit(0);
    });
  });
  // Keep running in the tray when the window closes.
  app.on('window-all-closed', () => undefined);
  engine.start();
  open();
});
