import { app, BrowserWindow, dialog, ipcMain, Notification, safeStorage } from 'electron';
import Store from 'electron-store';
import path from 'node:path';
import { connectEngineProcess, createLogger, ensurePrivateDir, makePrivate, PRIVATE_FILE_MODE, type Notification as EngineNotification } from '../engine';
import { IPC_CHANNELS } from '../../shared/contract';
import type { EngineStatus } from '../../shared/domain/flows';
import { keyValueSettingsStore } from './adapters/settings-store';
import { safeStorageSecretStore } from './adapters/safe-storage-secrets';
import { forkEngineProcess } from './engine-process';
import { registerIpcRouter } from './ipc-router';
import { keepUpToDate } from './updates';
import { closeToTray } from './close-to-tray';
import { loginItemFor, opensWindow } from '../../shared/domain/desktop';
import { createTray } from './tray';
import { createConsoleWindow, hardenContents, hardenSession, registerConsoleScheme, serveConsole } from './window';
import { rendererSource } from './security';

// Composition root: the engine in its own (utility) process with the shell's settings, secrets and notifications lent
// to it over the port; the IPC router, the window and the tray. This process only routes: nothing the engine does
// (a big stock cycle, a long SQLite write) runs on it. The logic lives in tested modules; what is here is wiring.
// Where the ledger, settings and logs live when IT (or the desktop test) names another folder than the user's profile.
if (process.env.MARKETPLACE_CONSOLE_DATA_DIR) app.setPath('userData', path.resolve(process.env.MARKETPLACE_CONSOLE_DATA_DIR));
// One console per data folder: a second launch hands over to the first (which comes forward) and quits.
if (!app.requestSingleInstanceLock()) app.quit();
// Windows groups the app's notifications under this id (the installer's appId) and sends their clicks back to it.
if (process.platform === 'win32') app.setAppUserModelId('uk.co.marketplace-console');

// The console comes from app://console (the built renderer folder); electron-vite's development server only in an
// unpackaged app. The one origin the window may show, navigate within and send IPC from.
const source = rendererSource({ isPackaged: app.isPackaged, developmentUrl: process.env.ELECTRON_RENDERER_URL });
const trustedOrigins = [source.origin];
const outDir = path.join(import.meta.dirname, '..');
registerConsoleScheme();

/** Opens the console on an address ('#/exceptions/42'); set once the window can be made. */
let openAt: (address: string | null) => void = () => undefined;
const notify = (n: EngineNotification) => {
  const shown = new Notification({ title: n.title, body: n.body, urgency: n.severity === 'critical' ? 'critical' : 'normal' });
  shown.on('click', () => openAt(n.address ?? null));
  shown.show();
};

void app
  .whenReady()
  .then(async () => {
    hardenSession();
    serveConsole(path.join(outDir, 'renderer'));
    app.on('web-contents-created', (_e, contents) => hardenContents(contents, trustedOrigins));
    // The profile folder holds the ledger, the logs and the settings: this user's only on POSIX (Windows: the profile's ACL).
    ensurePrivateDir(app.getPath('userData'));
    const store = new Store({ name: 'console', configFileMode: PRIVATE_FILE_MODE });
    makePrivate(store.path);
    const settings = keyValueSettingsStore(store);
    let updates: ReturnType<typeof keepUpToDate> | null = null;
    // Start in the tray at sign-in, as the Settings screen says (checked at each start and each change).
    const applyLoginItem = () => {
      const item = loginItemFor(settings.get(), process.platform);
      if (item) app.setLoginItemSettings(item);
    };
    applyLoginItem();
    const dataDir = app.getPath('userData');
    const logFile = path.join(dataDir, 'logs', 'engine.log');
    const logger = createLogger({ destination: logFile });
    const engine = await connectEngineProcess(
      forkEngineProcess(path.join(import.meta.dirname, 'engine-process.js'), logger),
      { ledgerFile: path.join(dataDir, 'ledger.db'), log: { level: 'info', file: logFile } },
      {
        settings: {
          get: settings.get,
          update: async (patch) =>
            settings.update(patch).finally(() => {
              applyLoginItem();
              updates?.settingsChanged();
            }),
        },
        secrets: safeStorageSecretStore(safeStorage, store),
        notifier: { notify },
        logger,
      },
    );
    registerIpcRouter(ipcMain, engine, { trustedOrigins, logger });
    updates = keepUpToDate(settings.get, logger);

    let window: BrowserWindow | null = null;
    const open = () => {
      if (!window || window.isDestroyed()) {
        window = createConsoleWindow({ preload: path.join(outDir, 'preload/index.cjs'), source, iconDir: path.join(outDir, '../build/icons') });
        window.on('close', (e) => closer.onClose(e));
      }
      window.show();
      window.focus();
    };
    openAt = (address) => {
      open();
      // The console follows its address (app/address.ts): the record opens as a pasted link would open it.
      if (address) void window?.webContents.executeJavaScript(`location.hash = ${JSON.stringify(address)}`).catch(() => undefined);
    };
    const closer = closeToTray({
      flag: { get: () => store.get('closeNoticeShown') === true, set: (v) => store.set('closeNoticeShown', v) },
      hide: () => window?.hide(),
      notify: (title, body) => new Notification({ title, body }).show(),
    });
    let status = await engine.status();
    const tray = createTray({
      iconDir: path.join(outDir, '../build/icons'),
      initial: status,
      onSelect: (id) => {
        if (id === 'open') open();
        else if (id === 'run-now') void engine.runNow().catch(() => undefined);
        else if (id === 'pause') void engine.pause().catch(() => undefined);
        else if (id === 'resume') void engine.resume().catch(() => undefined);
        else app.quit();
      },
    });
    // The tray and every window follow the engine's events; the status arrives with its event, no second call.
    engine.subscribe((name, payload) => {
      if (name === 'status.changed') tray.render((status = payload as EngineStatus));
      for (const w of BrowserWindow.getAllWindows()) w.webContents.send(IPC_CHANNELS.event, name, payload);
    });
    engine.onUnexpectedExit((code) => {
      tray.render({ ...status, state: 'stopped', health: 'failing' });
      notify({
        title: 'Sync stopped',
        body: `The sync engine ended unexpectedly (exit code ${code}). Quit and start the console again: the ledger picks up where it stopped.`,
        severity: 'critical',
      });
    });
    app.on('second-instance', open);
    app.on('before-quit', () => closer.markQuitting());
    app.on('will-quit', (event) => {
      event.preventDefault();
      updates?.stop();
      void engine.stop().finally(() => {
        tray.destroy();
        app.exit(0);
      });
    });
    // Keep running in the tray when the window closes.
    app.on('window-all-closed', () => undefined);
    await engine.start();
    if (opensWindow(process.argv)) open();
  })
  .catch((error: unknown) => {
    // The engine could not start (its ledger, its process): say why instead of sitting in the tray doing nothing.
    dialog.showErrorBox('Marketplace Console cannot start', error instanceof Error ? error.message : String(error));
    app.exit(1);
  });
