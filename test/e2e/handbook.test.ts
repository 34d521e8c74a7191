import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startSandbox } from '../../electron/host/sandbox';
import { openPage } from '../support/browser';
import { tempDir } from '../support/ports';

describe('the handbook in the built console, through the headless host', () => {
  const tmp = tempDir('handbook-e2e-');
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    // The health check alone, hourly: the exception the test opens is the one its own click makes.
    sandbox = await startSandbox({ port: 0, dataDir: tmp.dir, items: 100, healthCadenceSeconds: 3600, onlyFlows: ['health'] });
    await sandbox.host.engine.idle();
    ({ browser, page } = await openPage());
  });
  afterAll(async () => {
    await browser?.close();
    await sandbox?.stop();
    tmp.cleanup();
  });

  it(
    'SAP stops answering: the exception’s help link opens its section of the handbook from the console’s own files, and its links lead on',
    { timeout: 60_000 },
    async () => {
      const origin = new URL(sandbox.host.server!.url).origin;
      const elsewhere: string[] = [];
      page.on('request', (r) => {
        if (!r.url().startsWith(origin) && !r.url().startsWith('ws://127.0.0.1')) elsewhere.push(r.url());
      });
      await page.goto(sandbox.host.server!.consoleUrl);
      await expect.poll(() => page.getByTestId('engine-state').getAttribute('data-state'), { timeout: 10_000 }).toBe('running');

      sandbox.sap.setFaults([{ kind: 'error5xx', status: 503 }]);
      await page.getByRole('button', { name: 'Run now', exact: true }).click();
      await expect.poll(() => page.getByTestId('open-exceptions').textContent(), { timeout: 25_000 }).toContain('1');
      sandbox.sap.setFaults([]);

      await page.getByRole('tab', { name: /Exceptions/ }).click();
      await page.getByRole('link', { name: 'Handbook: System unreachable' }).click();
      const landed = page.locator('.handbook-landed');
      await expect.poll(() => landed.textContent(), { timeout: 10_000 }).toBe('SAP or John Lewis does not answer (system-unreachable)');
      expect(new URL(page.url()).hash).toBe('#/handbook/operations/exceptions.md#health-system-unreachable');
      // The section is in view, below the handbook's bar (a string of code: these tests compile without the DOM's types).
      const inView = await page.evaluate<boolean>(
        "(() => { const h = document.querySelector('.handbook-landed').getBoundingClientRect(); const bar = document.querySelector('.handbook-bar').getBoundingClientRect(); return h.top >= bar.bottom && h.bottom <= innerHeight; })()",
      );
      expect(inView).toBe(true);

      // A link between pages of the built handbook (../console.md#exceptions from operations/) opens that page's section.
      await page.locator('.handbook-page').getByRole('link', { name: 'the console guide' }).click();
      await expect.poll(() => landed.textContent()).toBe('Exceptions');
      expect(new URL(page.url()).hash).toBe('#/handbook/console.md#exceptions');

      // Back to the exception, as it was.
      await page.getByRole('button', { name: 'Back to the console' }).click();
      await expect.poll(() => page.getByTestId('exception-1').count()).toBe(1);
      // Nothing was fetched from anywhere but this console's host: the handbook is in its build.
      expect(elsewhere).toEqual([]);
    },
  );
});
