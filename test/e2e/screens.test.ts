import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startSandbox } from '../../electron/host/sandbox';
import { openPage } from '../support/browser';
import { tempDir } from '../support/ports';

/** Where the screenshots go: a test artefact (test-results/ is kept out of git), one per screen and theme. */
const SHOTS = path.resolve(import.meta.dirname, '../../test-results/screens');
const SCREENS = ['overview', 'exceptions', 'orders', 'despatch', 'returns', 'invoicing', 'payouts', 'stock', 'runs', 'settings', 'connections'];

/**
 * Every screen of the console on the sandbox (its emulators, its demo orders and flows), in light and in dark, at the
 * desktop window's usual size: each one renders without a script error, and is kept as a picture for review.
 */
describe('every screen on the sandbox, light and dark', () => {
  const tmp = tempDir('screens-e2e-');
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, dataDir: tmp.dir, items: 200 });
    await sandbox.host.engine.idle();
    ({ browser, page } = await openPage());
    page.on('pageerror', (e) => errors.push(e.message));
    await page.setViewportSize({ width: 1280, height: 860 });
    mkdirSync(SHOTS, { recursive: true });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await sandbox?.stop();
    tmp.cleanup();
  });

  for (const theme of ['light', 'dark'] as const) {
    it(`${theme}: each screen renders and is saved`, { timeout: 120_000 }, async () => {
      await page.emulateMedia({ colorScheme: theme });
      await page.goto(sandbox.host.server!.consoleUrl);
      for (const screen of SCREENS) {
        await page.evaluate(`location.hash = '#/${screen}'`);
        await expect.poll(() => page.getByRole('tab', { selected: true }).getAttribute('id')).toBe(`tab-${screen}`);
        // The screen's first answers: nothing says "Loading" any more.
        await expect.poll(() => page.locator('.loading').count(), { timeout: 10_000 }).toBe(0);
        await page.screenshot({ path: path.join(SHOTS, `${screen}-${theme}.png`), fullPage: true });
      }
      expect(errors).toEqual([]);
    });
  }
});
