import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { HostConfigSchema } from '../../electron/host/config';
import { startHost, type Host } from '../../electron/host/run-host';
import { startSapEmulator, type SapEmulator } from '../../emulators/sap-b1';
import { startMarketplaceEmulator, type MarketplaceEmulator } from '../../emulators/john-lewis';
import { openConsoleAs, openPage } from '../support/browser';
import { tempDir } from '../support/ports';

/** Day one: an engine with no connections, set up from the console in Chromium against both emulators. */
describe('setting up the connections from the console in Chromium', () => {
  const tmp = tempDir('connections-e2e-');
  let host: Host;
  let sap: SapEmulator;
  let marketplace: MarketplaceEmulator;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    [sap, marketplace] = await Promise.all([startSapEmulator({ https: true, seed: { items: 10, warehouses: 2 } }), startMarketplaceEmulator()]);
    // No secrets from this machine's environment: the operator types them.
    host = await startHost({ config: { ...HostConfigSchema.parse({ secrets: {} }), dataDir: tmp.dir }, serveConsole: true });
    ({ browser, page } = await openPage());
  });
  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    await Promise.all([sap?.stop(), marketplace?.stop()]);
    tmp.cleanup();
  });

  it('sets up SAP, trusts its certificate after comparing the fingerprint, and connects', { timeout: 60_000 }, async () => {
    await openConsoleAs(page, host.server!.consoleUrl, 'Priya Shah', 'Connections');

    const section = page.getByRole('region', { name: 'SAP Business One' });
    await section.getByLabel('Service Layer address').fill(sap.url);
    await section.getByLabel('Company database').fill('SBODEMOGB');
    await section.getByLabel('User name').fill('manager');
    await section.getByLabel('Password', { exact: true }).fill('manager');
    await section.getByRole('button', { name: 'Save SAP connection' }).click();
    await expect.poll(() => section.getByTestId('sap-password-state').textContent()).toBe('set');
    expect(await section.getByLabel('Password', { exact: true }).inputValue()).toBe('');

    // SAP's self-signed certificate is refused until the operator trusts it.
    await section.getByRole('button', { name: 'Test connection' }).click();
    const result = section.getByTestId('sap-test-result');
    await expect.poll(() => result.getAttribute('data-ok'), { timeout: 20_000 }).toBe('false');
    expect(await result.textContent()).toMatch(/certificate/i);

    await section.getByRole('button', { name: 'Check certificate' }).click();
    const groups = section.getByTestId('presented-fingerprint').locator('.group');
    await expect.poll(() => groups.count()).toBe(8);
    expect((await groups.allTextContents()).join(':')).toBe(sap.certificate!.sha256);
    expect(await section.getByTestId('presented-certificate').textContent()).toContain('openssl x509 -in server.crt -noout -fingerprint -sha256');

    await section.getByRole('button', { name: 'Trust this certificate' }).click();
    await expect
      .poll(() =>
        section
          .getByTestId('pinned-fingerprint')
          .locator('.group')
          .allTextContents()
          .then((g) => g.join(':')),
      )
      .toBe(sap.certificate!.sha256);

    await section.getByRole('button', { name: 'Test connection' }).click();
    await expect.poll(() => result.getAttribute('data-ok'), { timeout: 20_000 }).toBe('true');
    expect(await result.textContent()).toContain('Connected (2 warehouses)');
    expect((await host.engine.query('connections.get', {})).sap?.pinnedCertificate?.sha256).toBe(sap.certificate!.sha256);
  });

  it('sets up the marketplace and shows what the shop is set up for', { timeout: 60_000 }, async () => {
    const section = page.getByRole('region', { name: 'John Lewis Marketplace' });
    await section.getByLabel('Seller API address').fill(marketplace.url);
    // The emulator speaks plain http: the console advises https but still lets it through.
    await expect.poll(() => section.getByText(/https:\/\/ is recommended/).count()).toBe(1);
    await section.getByLabel('API key').fill(marketplace.apiKey);
    await section.getByRole('button', { name: 'Save marketplace connection' }).click();
    await expect.poll(() => section.getByTestId('marketplace-api-key-state').textContent()).toBe('set');
    expect(await section.getByLabel('API key').inputValue()).toBe('');

    await section.getByRole('button', { name: 'Test connection' }).click();
    await expect.poll(() => section.getByTestId('marketplace-test-result').getAttribute('data-ok'), { timeout: 20_000 }).toBe('true');
    const profile = section.getByTestId('shop-profile');
    expect(await profile.getByRole('row', { name: /^Model/ }).textContent()).toContain('MARKETPLACE');
    expect(await profile.getByRole('row', { name: /^Currency/ }).textContent()).toContain('GBP');
    expect(await page.content()).not.toContain(marketplace.apiKey);
  });
});
