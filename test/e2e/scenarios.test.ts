import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { HostConfigSchema } from '../../electron/host/config';
import { startHost, type Host } from '../../electron/host/run-host';
import { startSapEmulator, type SapEmulator } from '../../emulators/sap-b1';
import { startMarketplaceEmulator, type MarketplaceEmulator } from '../../emulators/john-lewis';
import type { FlowName } from '../../shared/domain/flows';
import { consoleScenarios, type ConsoleDriver, type ScenarioWorld, type Target } from '../scenarios/console-scenarios';
import { openPage } from '../support/browser';
import { GO_LIVE, memorySecrets, tempDir } from '../support/ports';

const OPERATOR = 'Priya Shah';

/** Finds what a scenario names on a page served by the headless host (Playwright's locators). */
function locate(page: Page, t: Target): Locator {
  const base: Page | Locator = t.within ? locate(page, t.within) : page;
  if (t.testId) return base.getByTestId(t.testId);
  if (t.role) return base.getByRole(t.role, { ...(t.name === undefined ? {} : { name: t.name }), ...(t.exact ? { exact: true } : {}) });
  if (t.label) return base.getByLabel(t.label, { exact: true });
  if (t.placeholder) return base.getByPlaceholder(t.placeholder, { exact: true });
  throw new Error(`A target names nothing: ${JSON.stringify(t)}`);
}

function playwrightDriver(page: Page, consoleUrl: string): ConsoleDriver {
  return {
    patienceMs: 10_000,
    async open(screen) {
      // A fresh console each time: a new page load, not a change of address within the same one.
      await page.goto('about:blank');
      await page.goto(`${consoleUrl}#/${screen}`);
      const name = page.getByRole('textbox', { name: 'Your name' });
      if (await name.count()) {
        await name.fill(OPERATOR);
        await page.getByRole('button', { name: 'Save name' }).click();
      }
    },
    click: (t) => locate(page, t).click(),
    fill: (t, value) => locate(page, t).fill(value),
    select: async (t, value) => void (await locate(page, t).selectOption(value)),
    async text(t) {
      const l = locate(page, t);
      return (await l.count()) ? l.textContent() : null;
    },
    count: (t) => locate(page, t).count(),
  };
}

/**
 * The console scenarios (test/scenarios) against the real engine behind the headless host, with the SAP and
 * marketplace emulators: the world is made to happen there (orders taken, posted and despatched, an SKU SAP does not
 * know, a stock cycle), then each scenario drives Debian's Chromium through the console the host serves.
 */
describe('console scenarios against the real engine through the headless host', () => {
  const tmp = tempDir('scenarios-e2e-');
  let host: Host;
  let sap: SapEmulator;
  let marketplace: MarketplaceEmulator;
  let browser: Browser;
  let page: Page;
  let world: ScenarioWorld;

  beforeAll(async () => {
    [sap, marketplace] = await Promise.all([
      // Two ordinary warehouses and 03, not nettable: the returns warehouse.
      startSapEmulator({ seed: { items: 20, warehouses: 2, notNettable: 1 } }),
      // Stock imports and offer exports ready at once, so the setup's stock cycle takes no time of its own.
      startMarketplaceEmulator({ config: { debitDelayMs: null, importWaitMs: 0, importRunMs: 0, exportReadyMs: 0 } }),
    ]);
    marketplace.admin.seedOffers([
      { sku: 'SKU000001', quantity: 20, price: '19.99', taxes: ['standard'] },
      { sku: 'SKU000003', quantity: 20, price: '24.50', taxes: ['standard'] },
      { sku: 'SKU000002', quantity: 20, price: '14.99', taxes: ['standard'] },
      // Sold on the marketplace, unknown to SAP.
      { sku: 'JL-UNMAPPED', quantity: 5, price: '12.00', taxes: ['standard'] },
    ]);
    const secrets = memorySecrets({ 'sap.password': 'manager', 'marketplace.apiKey': marketplace.apiKey });
    const config = HostConfigSchema.parse({
      settings: {
        sap: { baseUrl: sap.url, companyDb: 'SBODEMOGB', userName: 'manager', timeoutSeconds: 5 },
        marketplace: { baseUrl: marketplace.url },
        // An hour's cadence: every run comes from the setup below or from a scenario's own clicks.
        flows: {
          health: { enabled: false, cadenceSeconds: 3600 },
          orders: { enabled: true, cadenceSeconds: 3600 },
          stock: { enabled: true, cadenceSeconds: 3600 },
          despatch: { enabled: true, cadenceSeconds: 3600 },
          invoicing: { enabled: true, cadenceSeconds: 3600 },
          returns: { enabled: true, cadenceSeconds: 3600 },
        },
        orders: { acceptancePolicy: 'accept-all', lease: { seconds: 60 }, ordersFrom: GO_LIVE },
        returns: { warehouse: [...sap.state.warehouses.values()].find((w) => w.Nettable === 'tNO')!.WarehouseCode as string },
      },
    });
    // The engine in its own process, as the CLI runs it, with the standard flows over connectors whose marketplace
    // governor has no published maxima (OR11 once a minute would stall the setup): standard-flows.ts.
    host = await startHost({
      config: { ...config, dataDir: tmp.dir },
      serveConsole: true,
      secrets,
      flows: { module: path.join(import.meta.dirname, 'standard-flows.ts') },
    });
    const engine = host.engine;
    const run = async (flow: FlowName) => {
      engine.runNow(flow);
      await engine.idle();
    };
    await engine.command('orders.preflight', { createFields: true, actor: 'test' });
    await engine.command('despatch.saveMapping', { sapCarrier: 'Royal Mail', carrierCode: 'ROYAL_MAIL', actor: 'test' });

    // Four marketplace orders, accepted and debited: three post as Sales Orders, SAP has no item for the third's SKU.
    const [posted, other, blocked, returned] = [
      marketplace.admin.createOrders({ count: 1, skus: ['SKU000001'], quantities: [1] })[0]!,
      marketplace.admin.createOrders({ count: 1, skus: ['SKU000003'], quantities: [1] })[0]!,
      marketplace.admin.createOrders({ count: 1, skus: ['JL-UNMAPPED'], quantities: [1] })[0]!,
      marketplace.admin.createOrders({ count: 1, skus: ['SKU000002'], quantities: [1] })[0]!,
    ];
    await run('orders');
    marketplace.admin.debitOrders([posted.orderId, other.orderId, blocked.orderId, returned.orderId]);
    await run('orders');
    const order = (await engine.query('orders.get', { orderId: posted.orderId }))!.order;
    const otherOrder = (await engine.query('orders.get', { orderId: other.orderId }))!.order;
    const returnedOrder = (await engine.query('orders.get', { orderId: returned.orderId }))!.order;
    expect([order.stage, otherOrder.stage, returnedOrder.stage]).toEqual(['posted', 'posted', 'posted']);
    const [exception] = (await engine.query('exceptions.list', { flow: 'orders', state: 'open', search: blocked.orderId })).rows;
    expect(exception).toMatchObject({ type: 'sku-unknown', record: { key: blocked.orderId } });

    // One order is despatched with Royal Mail and shipped, invoiced (run now), and its customer sends it back: the
    // return is accepted (RT21) and the parcel is on its way.
    sap.despatch({ numAtCard: returnedOrder.numAtCard!, carrier: 'Royal Mail', trackingNumber: 'RM200000001GB' });
    await run('despatch');
    await engine.command('invoicing.runNow', { actor: 'test' });
    await engine.idle();
    expect((await engine.query('invoicing.batches', {})).rows).toMatchObject([{ documents: 1, posted: 1 }]);
    const { returnId, rma } = marketplace.admin.createReturn({ orderId: returned.orderId, reasonCode: 'RETURN_CHANGED_MIND' });
    await run('returns');
    marketplace.admin.customerSendsReturn(returnId, { carrierCode: 'ROYAL_MAIL', trackingNumber: 'RR200000001GB' });
    expect((await engine.query('returns.list', { search: returnId })).rows).toMatchObject([{ stage: 'awaiting-goods' }]);

    // The warehouse despatches the posted order with Yodel, which the carrier mapping does not know.
    const despatched = { sapCarrier: 'Yodel', trackingNumber: 'JD0002219999999999' };
    sap.despatch({ numAtCard: order.numAtCard!, carrier: despatched.sapCarrier, trackingNumber: despatched.trackingNumber });
    sap.despatch({ numAtCard: otherOrder.numAtCard!, carrier: despatched.sapCarrier, trackingNumber: 'JD0002218888888888' });
    await run('despatch');
    await run('stock');
    const skus = await engine.query('stock.skus', { search: 'SKU000003' });
    const { waiting } = await engine.query('invoicing.batches', {});
    const [reason] = await engine.query('refunds.reasons', {});

    world = {
      operator: OPERATOR,
      posted: { orderId: posted.orderId, numAtCard: order.numAtCard!, docNum: order.docNum!, ...despatched },
      alsoDespatched: { orderId: other.orderId },
      blocked: {
        orderId: blocked.orderId,
        numAtCard: (await engine.query('orders.get', { orderId: blocked.orderId }))!.order.numAtCard!,
        exceptionId: exception!.id,
        rawError: exception!.rawError!,
      },
      stock: { skus: (await engine.query('stock.skus', {})).total, sku: 'SKU000003', available: skus.rows[0]!.available },
      returned: { returnId, rma, orderId: returned.orderId, numAtCard: returnedOrder.numAtCard!, orderLineId: returned.lines[0]!.orderLineId },
      refundReason: reason!.label,
      // The two orders despatched with Yodel: delivered in SAP, though not yet confirmed to the marketplace.
      invoicing: { waiting, orderId: posted.orderId, numAtCard: order.numAtCard! },
    };
    expect(waiting).toBe(2);
    ({ browser, page } = await openPage());
  });
  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    await Promise.all([sap?.stop(), marketplace?.stop()]);
    tmp.cleanup();
  });

  for (const scenario of consoleScenarios) {
    it(scenario.name, { timeout: 30_000 }, () => scenario.run(playwrightDriver(page, host.server!.consoleUrl), world));
  }
});
