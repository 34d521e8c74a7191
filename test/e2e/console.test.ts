import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startSandbox } from '../../electron/host/sandbox';
import { openPage } from '../support/browser';
import { tempDir } from '../support/ports';

describe('console in Chromium through the headless host', () => {
  const tmp = tempDir('sandbox-e2e-');
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    // The health flow alone (the other flows have end-to-end tests of their own), checked hourly: every change
    // the test sees comes from its own clicks.
    sandbox = await startSandbox({ port: 0, dataDir: tmp.dir, items: 100, healthCadenceSeconds: 3600, onlyFlows: ['health'] });
    await sandbox.host.engine.idle();
    ({ browser, page } = await openPage());
  });
  afterAll(async () => {
    await browser?.close();
    await sandbox?.stop();
    tmp.cleanup();
  });

  it('refuses to talk to the engine without the token the host printed', async () => {
    await page.goto(sandbox.host.server!.url);
    await expect.poll(() => page.getByText(/access token/i).count(), { timeout: 10_000 }).toBeGreaterThan(0);
    // A link printed by an earlier run of the engine: refused, and the console says which link to open.
    await page.goto(`${sandbox.host.server!.url}/?token=from-yesterday`);
    await expect.poll(() => page.getByText('The engine refused this console link’s access token').count(), { timeout: 10_000 }).toBeGreaterThan(0);
  });

  it('shows the running engine, and "Run now" shows SAP going down and coming back', { timeout: 60_000 }, async () => {
    await page.goto(sandbox.host.server!.consoleUrl);
    const state = page.getByTestId('engine-state');
    await expect.poll(() => state.getAttribute('data-state'), { timeout: 10_000 }).toBe('running');
    const health = page.getByTestId('flow-health');
    await expect.poll(() => health.textContent()).toContain('Succeeded');
    await expect.poll(() => page.getByTestId('engine-health').getAttribute('data-health')).toBe('ok');

    // The SAP server stops answering; the operator presses Run now.
    sandbox.sap.setFaults([{ kind: 'error5xx', status: 503 }]);
    await page.getByRole('button', { name: 'Run now', exact: true }).click();
    // The connector retries a failed read a few times with backoff before the check gives up.
    await expect.poll(() => health.textContent(), { timeout: 25_000 }).toContain('Failed');
    await expect.poll(() => page.getByTestId('engine-health').getAttribute('data-health')).toBe('attention');
    await expect.poll(() => page.getByTestId('open-exceptions').textContent()).toContain('1');

    // SAP is back; Run now clears it.
    sandbox.sap.setFaults([]);
    await page.getByRole('button', { name: 'Run now', exact: true }).click();
    await expect.poll(() => health.textContent(), { timeout: 10_000 }).toContain('Succeeded');
    await expect.poll(() => page.getByTestId('engine-health').getAttribute('data-health')).toBe('ok');
    const runs = await sandbox.host.engine.query('runs.list', { flow: 'health' });
    expect(runs.map((r) => `${r.trigger}:${r.outcome}`)).toEqual(['manual:succeeded', 'manual:failed', 'schedule:succeeded']);
  });

  it('pauses and resumes sync from the console', async () => {
    await page.getByRole('button', { name: 'Pause' }).click();
    await expect.poll(() => page.getByTestId('engine-state').getAttribute('data-state')).toBe('paused');
    expect((await sandbox.host.engine.status()).state).toBe('paused');
    await page.getByRole('button', { name: 'Resume' }).click();
    await expect.poll(() => page.getByTestId('engine-state').getAttribute('data-state')).toBe('running');
  });
  it('follows the operating system into dark mode, and keeps a theme chosen in the header after a reload', async () => {
    // The page's own background as Chromium paints it (a string of code: these tests compile without the DOM's types).
    const background = () => page.evaluate<string>('getComputedStyle(document.documentElement).backgroundColor');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(sandbox.host.server!.consoleUrl);
    await expect.poll(() => page.getByTestId('engine-state').getAttribute('data-state'), { timeout: 10_000 }).toBe('running');
    const light = await background();
    // Windows set to dark: the console follows it without being asked.
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(background).not.toBe(light);
    const dark = await background();
    // Chosen light in the header, it stays light whatever Windows says, and after a reload.
    await page.getByTestId('theme').selectOption('light');
    await expect.poll(background).toBe(light);
    await page.reload();
    await expect.poll(() => page.getByTestId('theme').inputValue()).toBe('light');
    expect(await background()).toBe(light);
    // Back to following Windows.
    await page.getByTestId('theme').selectOption('system');
    await expect.poll(background).toBe(dark);
    await page.emulateMedia({ colorScheme: 'light' });
  });
  it('in a browser, raises the tray’s alerts as browser notifications in words, and a click opens the record', { timeout: 60_000 }, async () => {
    const alerts = await browser.newPage();
    // A stand-in for the browser's notifications that keeps what was raised; the operator has allowed them.
    await alerts.addInitScript(`
      window.raised = [];
      window.Notification = class {
        static permission = 'granted';
        static requestPermission() { return Promise.resolve('granted'); }
        constructor(title, options) { this.title = title; this.body = options.body; window.raised.push(this); }
        close() {}
      };
    `);
    await alerts.goto(sandbox.host.server!.consoleUrl);
    await expect.poll(() => alerts.getByTestId('engine-state').getAttribute('data-state'), { timeout: 10_000 }).toBe('running');
    sandbox.sap.setFaults([{ kind: 'error5xx', status: 503 }]);
    await sandbox.host.engine.runNow('health');
    await expect
      .poll(() => alerts.evaluate<string[]>('window.raised.map((n) => n.title)'), { timeout: 25_000 })
      .toContain('Connection failed: SAP Business One');
    await alerts.evaluate("window.raised.find((n) => n.title === 'Connection failed: SAP Business One').onclick()");
    await expect.poll(() => alerts.evaluate<string>('location.hash')).toMatch(/^#\/exceptions\/\d+$/);
    await expect.poll(() => alerts.getByTestId('exception-detail').textContent()).toContain('SAP');
    sandbox.sap.setFaults([]);
    await sandbox.host.engine.runNow('health');
    await alerts.close();
  });
});
