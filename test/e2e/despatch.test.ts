import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { HostConfigSchema } from '../../electron/host/config';
import { startHost, type Host } from '../../electron/host/run-host';
import { startSapEmulator, type SapEmulator } from '../../emulators/sap-b1';
import { startMarketplaceEmulator, type MarketplaceEmulator } from '../../emulators/john-lewis';
import { openConsoleAs, openPage } from '../support/browser';
import { GO_LIVE, memorySecrets, tempDir } from '../support/ports';

/** The warehouse despatched with a carrier nobody mapped; the office corrects it in Chromium and the marketplace shows it shipped. */
describe('manual despatch correction in Chromium through the headless host', () => {
  const tmp = tempDir('despatch-e2e-');
  let host: Host;
  let sap: SapEmulator;
  let marketplace: MarketplaceEmulator;
  let browser: Browser;
  let page: Page;
  let orderId: string;

  beforeAll(async () => {
    [sap, marketplace] = await Promise.all([
      startSapEmulator({ seed: { items: 20, warehouses: 2 } }),
      startMarketplaceEmulator({ config: { debitDelayMs: null } }),
    ]);
    marketplace.admin.seedOffers([{ sku: 'SKU000001', quantity: 20, price: '19.99', taxes: ['standard'] }]);
    const secrets = memorySecrets({ 'sap.password': 'manager', 'marketplace.apiKey': marketplace.apiKey });
    const config = HostConfigSchema.parse({
      settings: {
        sap: { baseUrl: sap.url, companyDb: 'SBODEMOGB', userName: 'manager', timeoutSeconds: 5 },
        marketplace: { baseUrl: marketplace.url },
        // An hour's cadence: every change the test sees comes from its own steps and clicks.
        flows: {
          health: { enabled: false, cadenceSeconds: 3600 },
          orders: { enabled: true, cadenceSeconds: 3600 },
          despatch: { enabled: true, cadenceSeconds: 3600 },
        },
        orders: { acceptancePolicy: 'accept-all', lease: { seconds: 60 }, ordersFrom: GO_LIVE },
      },
    });
    // The engine runs in its own process, as the CLI runs it, with the standard flows over connectors whose marketplace
    // governor has no published maxima (OR11 once a minute would stall the test): standard-flows.ts.
    host = await startHost({
      config: { ...config, dataDir: tmp.dir },
      serveConsole: true,
      secrets,
      flows: { module: path.join(import.meta.dirname, 'standard-flows.ts') },
    });
    await host.engine.command('orders.preflight', { createFields: true, actor: 'test' });

    // A marketplace order, accepted, debited and posted to SAP as a Sales Order.
    orderId = marketplace.admin.createOrders({ count: 1, skus: ['SKU000001'], quantities: [1] })[0]!.orderId;
    await host.engine.runNow('orders');
    await host.engine.idle();
    marketplace.admin.debitOrders([orderId]);
    await host.engine.runNow('orders');
    await host.engine.idle();
    const posted = await host.engine.query('orders.get', { orderId });
    expect(posted?.order.stage).toBe('posted');

    // The warehouse despatches it with Yodel, which the carrier mapping does not know.
    sap.despatch({ numAtCard: posted!.order.numAtCard!, carrier: 'Yodel', trackingNumber: 'JD0002219999999999' });
    await host.engine.runNow('despatch');
    await host.engine.idle();
    expect(await host.engine.query('despatch.get', { orderId })).toMatchObject({ state: 'blocked', exception: { type: 'carrier-unmapped' } });

    ({ browser, page } = await openPage());
  });
  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    await Promise.all([sap?.stop(), marketplace?.stop()]);
    tmp.cleanup();
  });

  it('fills the correction form, and the marketplace shows the order SHIPPED with the chosen carrier and tracking number', { timeout: 60_000 }, async () => {
    await openConsoleAs(page, host.server!.consoleUrl, 'Priya Shah', 'Despatch');

    const row = page.getByTestId(`despatch-${orderId}`);
    await expect.poll(() => row.textContent()).toContain('Yodel');
    await page.getByRole('button', { name: `Correct despatch ${orderId}` }).click();
    const form = page.getByRole('region', { name: 'Despatch correction' });
    expect(await form.getByTestId('correction-sap-carrier').textContent()).toBe('Yodel');

    await form.getByRole('combobox', { name: /^Marketplace carrier/ }).selectOption('ROYAL_MAIL');
    await expect.poll(() => form.getByTestId('tracking-hint').textContent()).toContain('AB123456789GB');
    await form.getByRole('textbox', { name: /^Tracking number/ }).fill('AB123456789GB');
    await form.getByRole('checkbox', { name: /Remember this mapping/ }).check();
    await form.getByRole('button', { name: 'Send despatch correction' }).click();

    const outcome = page.getByTestId('despatch-outcome');
    await expect.poll(() => outcome.getAttribute('data-outcome'), { timeout: 20_000 }).toBe('confirmed');
    expect(await outcome.textContent()).toContain('ROYAL_MAIL AB123456789GB');

    expect(marketplace.admin.order(orderId)).toMatchObject({ order_state: 'SHIPPED', shipping_carrier_code: 'ROYAL_MAIL', shipping_tracking: 'AB123456789GB' });
    await expect.poll(() => row.textContent()).toContain('confirmed');
    // Remembered: Yodel now maps to Royal Mail in the table.
    expect((await host.engine.query('despatch.carriers', {})).mappings.find((m) => m.sapCarrier === 'Yodel')).toMatchObject({
      carrierCode: 'ROYAL_MAIL',
      updatedBy: 'Priya Shah',
    });
  });
});
