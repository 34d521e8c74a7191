import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM } from '../../vitest.config';

/** Debian's Chromium, headless, with the flags that keep it off the network. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ headless: true, executablePath: CHROMIUM.executablePath, args: CHROMIUM.args });
}

/** A browser and a page whose script errors show in the test output. */
export async function openPage(): Promise<{ browser: Browser; page: Page }> {
  const browser = await launchChromium();
  const page = await browser.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  return { browser, page };
}

/** Opens the console as an operator would: the printed link, their name, then the screen they came for. */
export async function openConsoleAs(page: Page, consoleUrl: string, operator: string, tab: string): Promise<void> {
  await page.goto(consoleUrl);
  await page.getByLabel('Your name').fill(operator);
  await page.getByRole('button', { name: 'Save name' }).click();
  await page.getByRole('tab', { name: tab }).click();
  await page.waitForURL((url) => url.hash === `#/${tab.toLowerCase()}`);
}
