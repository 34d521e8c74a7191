import { describe, expect, it } from 'vitest';
import { trayModel } from '../../electron/main/tray-model';
import { closeToTray } from '../../electron/main/close-to-tray';
import { isAllowedNavigation, isSafeExternalUrl, secureWebPreferences } from '../../electron/main/security';
import { safeStorageSecretStore, type SafeStorageLike } from '../../electron/main/adapters/safe-storage-secrets';
import { keyValueSettingsStore } from '../../electron/main/adapters/settings-store';
import type { EngineStatus, FlowStatus } from '../../shared/domain/flows';

const flow = (over: Partial<FlowStatus> = {}): FlowStatus => ({
  flow: 'stock',
  enabled: true,
  cadenceSeconds: 120,
  running: false,
  lastRun: null,
  lastSuccessAt: null,
  nextRunAt: null,
  failureStreak: 0,
  driftSeconds: 0,
  ...over,
});
const status = (over: Partial<EngineStatus> = {}): EngineStatus => ({
  state: 'running',
  health: 'ok',
  dryRun: false,
  flows: [flow()],
  openExceptions: 0,
  revision: 1,
  ...over,
});

describe('tray', () => {
  it('shows which flows are failing and offers the actions that fit the state', () => {
    const failing = trayModel(status({ health: 'failing', flows: [flow({ failureStreak: 3 }), flow({ flow: 'orders' })] }));
    expect(failing.icon).toBe('failing');
    expect(failing.tooltip).toContain('Sync failing: stock');
    expect(failing.menu.map((m) => m.id)).toEqual(['open', 'run-now', 'pause', 'quit']);
    const paused = trayModel(status({ state: 'paused', health: 'attention' }));
    expect(paused.icon).toBe('paused');
    expect(paused.menu.map((m) => m.id)).toContain('resume');
    expect(trayModel(status({ health: 'attention', openExceptions: 3, dryRun: true })).tooltip).toBe('Marketplace Console — 3 exceptions to review — DRY RUN');
  });
});

describe('close to tray', () => {
  it('hides instead of closing, tells the user once, and lets a real quit through', () => {
    let shown = false;
    const notices: string[] = [];
    let hidden = 0;
    const c = closeToTray({ flag: { get: () => shown, set: (v) => (shown = v) }, hide: () => hidden++, notify: (t) => notices.push(t) });
    let prevented = 0;
    const event = { preventDefault: () => prevented++ };
    expect(c.onClose(event)).toBe(true);
    expect(c.onClose(event)).toBe(true);
    expect([hidden, prevented, notices]).toEqual([2, 2, ['Still syncing']]);
    c.markQuitting();
    expect(c.onClose(event)).toBe(false);
    expect(prevented).toBe(2);
  });
});

describe('window security', () => {
  it('keeps the renderer sandboxed and isolated, and never navigates away from the console', () => {
    expect(secureWebPreferences('/p.cjs')).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webviewTag: false });
    expect(isAllowedNavigation('app://console/index.html#/orders', ['app://console'])).toBe(true);
    expect(isAllowedNavigation('https://evil.example/', ['app://console'])).toBe(false);
    expect(isAllowedNavigation('http://localhost:5173/#/exceptions', ['app://console', 'http://localhost:5173'])).toBe(true);
    expect(isSafeExternalUrl('https://johnlewis.mirakl.net/')).toBe(true);
    expect(isSafeExternalUrl('file:///etc/passwd')).toBe(false);
    expect(isSafeExternalUrl('javascript:alert(1)')).toBe(false);
  });
});

/** safeStorage stand-in: "encrypts" by reversing and tagging, so the test can see nothing plain is stored. */
function fakeSafeStorage(backend = 'gnome_libsecret'): SafeStorageLike {
  return {
    isAsyncEncryptionAvailable: async () => true,
    encryptStringAsync: async (s) => Buffer.from(`enc:${[...s].reverse().join('')}`),
    decryptStringAsync: async (b) => ({ result: [...b.toString().slice(4)].reverse().join(''), shouldReEncrypt: false }),
    getSelectedStorageBackend: () => backend,
  };
}

describe('secrets and settings adapters', () => {
  it('stores only the encrypted secret and reads it back', async () => {
    const disk = new Map<string, unknown>();
    const kv = { get: (k: string) => disk.get(k), set: (k: string, v: unknown) => void disk.set(k, v) };
    const secrets = safeStorageSecretStore(fakeSafeStorage(), kv);
    await secrets.set('sap.password', 'B1Admin!2026');
    expect(JSON.stringify([...disk])).not.toContain('B1Admin!2026');
    expect(await secrets.get('sap.password')).toBe('B1Admin!2026');
    await secrets.delete('sap.password');
    expect(await secrets.get('sap.password')).toBeUndefined();
  });

  it('refuses to store a secret where safeStorage would fall back to a hard-coded key', async () => {
    const secrets = safeStorageSecretStore(fakeSafeStorage('basic_text'), { get: () => undefined, set: () => undefined });
    await expect(secrets.set('marketplace.apiKey', 'k')).rejects.toThrow(/keyring/);
  });

  it('keeps settings changes and survives a damaged settings file', async () => {
    const disk = new Map<string, unknown>([['settings', { dryRun: 'yes please' }]]);
    const kv = { get: (k: string) => disk.get(k), set: (k: string, v: unknown) => void disk.set(k, v) };
    const store = keyValueSettingsStore(kv);
    expect(store.get().dryRun).toBe(false);
    await store.update({ dryRun: true, flows: { stock: { cadenceSeconds: 90 } } });
    expect(keyValueSettingsStore(kv).get()).toMatchObject({ dryRun: true, flows: { stock: { cadenceSeconds: 90, enabled: false } } });
  });
});
