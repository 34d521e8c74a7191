import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../electron/engine/clock';
import { createEngine, type Engine } from '../../electron/engine/engine';
import { createJohnLewisMarketplace, CallGovernor } from '../../electron/engine/connectors/john-lewis';
import { createSapConnector } from '../../electron/engine/connectors/sap-b1';
import { flowsFor } from '../../electron/engine/flows';
import { memoryLogger } from '../../electron/engine/logging';
import { createHttpClientFactory } from '../../electron/engine/net/http-client';
import { startSapEmulator, type SapEmulator } from '../../emulators/sap-b1';
import { startMarketplaceEmulator, type MarketplaceEmulator } from '../../emulators/john-lewis';
import { memorySecrets, memorySettings, tempDir } from '../support/ports';
import { GO_LIVE } from '../support/ports';
import { asSap } from '../support/sap';

const SKU = 'SKU000001';

/**
 * The stock and orders flows together, as standardFlows links them: units sold on the marketplace but not yet
 * Sales Orders in SAP are neither accepted twice nor put back on sale by the next stock push.
 */
describe('stock and orders never sell a unit twice', () => {
  const tmp = tempDir();
  let sap: SapEmulator;
  let jl: MarketplaceEmulator;
  let engine: Engine;

  beforeAll(async () => {
    [sap, jl] = await Promise.all([startSapEmulator({ seed: { items: 20, warehouses: 2 } }), startMarketplaceEmulator({ config: { debitDelayMs: null } })]);
    // SAP can sell exactly 5 of the SKU: 5 free in warehouse 01, none free in 02.
    const item = sap.state.items.get(SKU)!;
    for (const [wh, free] of [
      ['01', 5],
      ['02', 0],
    ] as const)
      sap.setStock(SKU, wh, sap.state.warehouseInfo(item, wh)!.Committed + free);
    jl.admin.seedOffers([{ sku: SKU, quantity: 5, price: '19.99' }]);

    const clock = systemClock();
    const logger = memoryLogger();
    const settings = memorySettings({
      sap: {
        baseUrl: sap.url,
        serviceLayerVersion: 'v2',
        companyDb: 'SBODEMOGB',
        userName: 'manager',
        pinnedCertificate: null,
        maxConcurrency: 4,
        timeoutSeconds: 5,
      },
      marketplace: { baseUrl: jl.url, shopId: null, timeoutSeconds: 5 },
      flows: {
        health: { enabled: false, cadenceSeconds: 60 },
        orders: { enabled: true, cadenceSeconds: 60 },
        stock: { enabled: true, cadenceSeconds: 60 },
      } as never,
      orders: { acceptancePolicy: 'refuse-short-lines', lease: { seconds: 60 }, ordersFrom: GO_LIVE } as never,
    });
    const secrets = memorySecrets({ 'sap.password': 'manager', 'marketplace.apiKey': jl.apiKey });
    const http = createHttpClientFactory();
    const isDryRun = () => settings.get().dryRun;
    // Connectors without the published call maxima, so the test does not wait a minute between imports.
    const connections = {
      sap: () => asSap(createSapConnectorOnce(), settings.get),
      marketplace: () => marketplaceOnce(),
    };
    const sapConnector = createSapConnector({ connection: settings.get().sap!, password: async () => 'manager', http, clock, logger, isDryRun });
    const marketplace = createJohnLewisMarketplace({
      connection: settings.get().marketplace!,
      secrets,
      http,
      clock,
      logger,
      isDryRun,
      governor: new CallGovernor(clock, {}),
    });
    const createSapConnectorOnce = () => sapConnector;
    const marketplaceOnce = () => marketplace;
    engine = createEngine(
      { clock, logger, settings, secrets, notifier: { notify: () => undefined }, http },
      { ledgerFile: tmp.file('ledger.db'), buildFlows: (deps) => flowsFor(deps, connections) },
    );
  });
  afterAll(async () => {
    await engine.stop();
    await Promise.all([sap.stop(), jl.stop()]);
    tmp.cleanup();
  });

  async function run(flow: 'stock' | 'orders') {
    engine.runNow(flow);
    await engine.idle();
    const [last] = await engine.query('runs.list', { flow, limit: 1 });
    expect(last?.error ?? null).toBeNull();
  }

  it('accepts orders only while SAP’s stock covers them, counting the ones accepted before', async () => {
    await engine.command('orders.preflight', { createFields: true, actor: 'test' });
    await run('stock');
    const orders = jl.admin.createOrders({ count: 3, skus: [SKU], quantities: [2], linesPerOrder: 1 });
    await run('orders');
    const states = orders.map((o) => (jl.admin.order(o.orderId) as { order_state: string }).order_state);
    expect(states).toEqual(['WAITING_DEBIT_PAYMENT', 'WAITING_DEBIT_PAYMENT', 'REFUSED']);
  });

  it('keeps units of accepted orders off the marketplace until SAP commits them', async () => {
    await run('stock');
    const breakdown = await engine.query('stock.breakdown', { sku: SKU });
    expect(breakdown).toMatchObject({ reserved: 4, available: 1 });
    expect(jl.admin.offerQuantities()[SKU]).toBe(1);
  });

  it('stops reserving once the Sales Orders are in SAP and Committed holds the units', async () => {
    jl.admin.debitOrders();
    await run('orders');
    await run('stock');
    const breakdown = await engine.query('stock.breakdown', { sku: SKU });
    expect(breakdown).toMatchObject({ reserved: 0, available: 1 });
    expect(jl.admin.offerQuantities()[SKU]).toBe(1);
  });
});
