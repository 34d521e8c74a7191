import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import type { ConsoleApi } from '../../shared/contract';
import { startSapEmulator, DEFAULTS as SAP_DEFAULTS, type SapEmulator } from '../../emulators/sap-b1';
import { startMarketplaceEmulator, type MarketplaceEmulator } from '../../emulators/john-lewis';
import { tempDir } from '../support/ports';

/**
 * The desktop app as built (out/main), in the real Electron: the engine in a utility process of its own, the window
 * talking to it through window.api → IPC → the main process → the engine's port, settings kept by the main process.
 * Run by `npm run test:electron` (scripts/test-electron.sh), which builds the app first and reports these tests as
 * not run where there is no Electron binary.
 */
const root = path.resolve(import.meta.dirname, '../..');
const binary = path.join(root, 'node_modules/electron/dist', readFileSync(path.join(root, 'node_modules/electron/path.txt'), 'utf8').trim());
const ENGINE_SERVICE = 'Marketplace Console engine';

/** window.api in the console's page (the test's own tsconfig has no DOM). */
const api = (page: Page) => ({
  query: (name: string, request: unknown) =>
    page.evaluate(([n, r]) => (globalThis as unknown as { api: ConsoleApi }).api.query(n as never, r as never) as Promise<unknown>, [name, request] as const),
  command: (name: string, request: unknown) =>
    page.evaluate(([n, r]) => (globalThis as unknown as { api: ConsoleApi }).api.command(n as never, r as never) as Promise<unknown>, [name, request] as const),
});

describe('the desktop app in Electron', () => {
  const tmp = tempDir('desktop-');
  let app: ElectronApplication;
  let page: Page;
  let enginePid: number;

  beforeAll(async () => {
    expect(existsSync(path.join(root, 'out/main/engine-process.js'))).toBe(true);
    app = await _electron.launch({
      executablePath: binary,
      args: [path.join(root, 'out/main/index.js')],
      env: { ...process.env, MARKETPLACE_CONSOLE_DATA_DIR: tmp.dir },
    });
    page = await app.firstWindow();
    await expect.poll(() => page.evaluate(() => typeof (globalThis as unknown as { api?: unknown }).api), { timeout: 30_000 }).toBe('object');
  });
  afterAll(async () => {
    await app?.close().catch(() => undefined);
    tmp.cleanup();
  });

  it('runs the engine in a utility process of its own, which answers the console through IPC', async () => {
    const metrics = await app.evaluate(({ app: electronApp }) => electronApp.getAppMetrics().map((m) => ({ type: m.type, name: m.name ?? null, pid: m.pid })));
    const mainPid = await app.evaluate(() => process.pid);
    const engine = metrics.find((m) => m.type === 'Utility' && m.name === ENGINE_SERVICE);
    expect(engine).toBeDefined();
    enginePid = engine!.pid;
    expect(enginePid).not.toBe(mainPid);
    await expect.poll(async () => ((await api(page).query('status.get', {})) as { state: string }).state, { timeout: 20_000 }).toBe('running');
  });

  it('shows the console from app://console, never file://, every answer with the console’s CSP as a header', async () => {
    expect(page.url()).toMatch(/^app:\/\/console\/index\.html/);
    const answer = await app.evaluate(async ({ net }) => {
      const res = await net.fetch('app://console/index.html');
      return { status: res.status, csp: res.headers.get('content-security-policy') };
    });
    expect(answer.status).toBe(200);
    expect(answer.csp).toContain("frame-ancestors 'none'");
  });

  it('keeps settings in the main process: a change made in the console lands in its store', async () => {
    const updated = (await api(page).command('settings.update', { patch: { dryRun: true }, actor: 'Desktop test' })) as { dryRun: boolean };
    expect(updated.dryRun).toBe(true);
    const stored = JSON.parse(readFileSync(path.join(tmp.dir, 'console.json'), 'utf8')) as { settings: { dryRun: boolean } };
    expect(stored.settings.dryRun).toBe(true);
  });

  it('brings the engine’s events to the window: paused from the console, the console hears it', async () => {
    const heard = page.evaluate(
      () =>
        new Promise<string>((resolve) => {
          const off = (globalThis as unknown as { api: ConsoleApi }).api.on('status.changed', (status) => {
            if (status.state === 'paused') {
              off();
              resolve(status.state);
            }
          });
        }),
    );
    await api(page).command('engine.pause', {});
    expect(await heard).toBe('paused');
  });

  it('quitting stops the engine between writes and leaves no engine process behind', async () => {
    await app.close();
    expect(readFileSync(path.join(tmp.dir, 'logs', 'engine.log'), 'utf8')).toContain('"msg":"Engine stopped"');
    expect(() => process.kill(enginePid, 0)).toThrow();
  });
});

describe('the desktop app started at Windows sign-in', () => {
  const tmp = tempDir('desktop-sign-in-');
  let app: ElectronApplication;
  afterAll(async () => {
    await app?.close().catch(() => undefined);
    tmp.cleanup();
  });

  it('stays in the tray: the engine runs and no window opens until someone opens it', async () => {
    app = await _electron.launch({
      executablePath: binary,
      args: [path.join(root, 'out/main/index.js'), '--started-at-sign-in'],
      env: { ...process.env, MARKETPLACE_CONSOLE_DATA_DIR: tmp.dir },
    });
    const engineRunning = () =>
      app.evaluate(({ app: electronApp }, name) => electronApp.getAppMetrics().some((m) => m.type === 'Utility' && m.name === name), ENGINE_SERVICE);
    await expect.poll(engineRunning, { timeout: 30_000 }).toBe(true);
    expect(app.windows()).toHaveLength(0);
  });
});

describe('the desktop app syncing against the emulators', () => {
  const tmp = tempDir('desktop-flow-');
  let app: ElectronApplication;
  let page: Page;
  let sap: SapEmulator;
  let jl: MarketplaceEmulator;
  beforeAll(async () => {
    [sap, jl] = await Promise.all([startSapEmulator({ seed: { items: 20, warehouses: 2 } }), startMarketplaceEmulator()]);
    app = await _electron.launch({
      executablePath: binary,
      args: [path.join(root, 'out/main/index.js')],
      env: { ...process.env, MARKETPLACE_CONSOLE_DATA_DIR: tmp.dir },
    });
    page = await app.firstWindow();
    await expect.poll(() => page.evaluate(() => typeof (globalThis as unknown as { api?: unknown }).api), { timeout: 30_000 }).toBe('object');
  });
  afterAll(async () => {
    await app?.close().catch(() => undefined);
    await Promise.all([sap?.stop(), jl?.stop()]);
    tmp.cleanup();
  });

  const tray = () => app.evaluate(() => (globalThis as { marketplaceConsoleTray?: { icon: string; tooltip: string } }).marketplaceConsoleTray ?? null);

  it('runs the health check against SAP and the marketplace, and the tray turns when SAP stops answering', { timeout: 90_000 }, async () => {
    const backend = await app.evaluate(({ safeStorage }) => safeStorage.getSelectedStorageBackend?.() ?? 'unknown');
    const saved = api(page)
      .command('connections.saveSap', {
        connection: {
          baseUrl: sap.url,
          companyDb: SAP_DEFAULTS.company,
          userName: SAP_DEFAULTS.user,
          serviceLayerVersion: 'v2',
          maxConcurrency: 4,
          timeoutSeconds: 10,
        },
        password: SAP_DEFAULTS.password,
        actor: 'Desktop test',
      })
      .then(
        () => 'saved',
        (e: unknown) => (e instanceof Error ? e.message : String(e)),
      );
    if (backend === 'basic_text') {
      // A Linux desktop without a keyring: the app refuses to keep the SAP password in plain text, and says so.
      expect(await saved).toMatch(/plain text|keyring|secret/i);
      return;
    }
    expect(await saved).toBe('saved');
    await api(page).command('connections.saveMarketplace', { connection: { baseUrl: jl.url }, apiKey: jl.apiKey, actor: 'Desktop test' });
    await api(page).command('engine.runNow', { flow: 'health' });
    await expect.poll(async () => (await tray())?.icon, { timeout: 30_000 }).toBe('ok');

    sap.setFaults([{ kind: 'error5xx', status: 503 }]);
    await api(page).command('engine.runNow', { flow: 'health' });
    await expect.poll(async () => (await tray())?.icon, { timeout: 60_000 }).not.toBe('ok');
    expect((await tray())?.tooltip).toMatch(/health|exception/);
  });
});
