import { createEngine, type Engine } from '../../../electron/engine/engine';
import { CallGovernor, createJohnLewisMarketplace } from '../../../electron/engine/connectors/john-lewis';
import { createSapConnector, sapPort } from '../../../electron/engine/connectors/sap-b1';
import { sapFieldNames } from '../../../electron/engine/connectors/connections';
import { flowsFor } from '../../../electron/engine/flows';
import { systemClock } from '../../../electron/engine/clock';
import { memoryLogger } from '../../../electron/engine/logging';
import { createHttpClientFactory } from '../../../electron/engine/net/http-client';
import { startSapEmulator, DEFAULTS as SAP_DEFAULTS } from '../../../emulators/sap-b1';
import { startMarketplaceEmulator } from '../../../emulators/john-lewis';
import type { FlowName } from '../../../shared/domain/flows';
import type { Settings } from '../../../shared/domain/settings';
import { GO_LIVE, memorySecrets, memorySettings } from '../../support/ports';

const SKUS = ['SKU000001', 'SKU000002', 'SKU000003', 'SKU000004'];

/**
 * A few days of a shop written into a ledger by the engine's own flows against the emulators, so every table holds
 * rows as the flows write them: orders accepted, posted and despatched (one with a carrier nobody mapped, one for a
 * SKU SAP does not have), a stock cycle, invoices, a return and refunds credited, a billing cycle reconciled,
 * exceptions with a person's dismissal in their audit trail, and the runs, intents and timelines behind them.
 */
export async function tradeIntoLedger(ledgerFile: string): Promise<void> {
  const sap = await startSapEmulator({ seed: { items: 40, warehouses: 2, notNettable: 1 }, faults: [], etags: true });
  const jl = await startMarketplaceEmulator({ config: { debitDelayMs: null } });
  let engine: Engine | null = null;
  try {
    jl.admin.seedOffers([...SKUS, 'NOT-IN-SAP'].map((sku, i) => ({ sku, quantity: 30, price: `${(9.99 + i * 5).toFixed(2)}`, taxes: ['standard'] })));
    for (const sku of SKUS) for (const whs of ['01', '02']) sap.setStock(sku, whs, 50);
    const returnsWarehouse = [...sap.state.warehouses.values()].find((w) => w.Nettable === 'tNO')!.WarehouseCode as string;
    const clock = systemClock();
    const logger = memoryLogger();
    const flows: FlowName[] = ['health', 'stock', 'orders', 'despatch', 'invoicing', 'returns', 'settlement'];
    const settings = memorySettings({
      sap: { baseUrl: sap.url, companyDb: SAP_DEFAULTS.company, userName: SAP_DEFAULTS.user, timeoutSeconds: 5 },
      marketplace: { baseUrl: jl.url, timeoutSeconds: 5 },
      flows: Object.fromEntries(flows.map((f) => [f, { enabled: true, cadenceSeconds: 3600 }])),
      orders: { ordersFrom: GO_LIVE, acceptancePolicy: 'accept-all' },
      returns: { warehouse: returnsWarehouse },
      stock: { warehouses: { include: ['01', '02'], exclude: [] } },
    } as unknown as Partial<Settings>);
    const secrets = memorySecrets({ 'sap.password': SAP_DEFAULTS.password, 'marketplace.apiKey': jl.apiKey });
    engine = createEngine(
      { clock, logger, settings, secrets, notifier: { notify: () => undefined }, http: createHttpClientFactory() },
      {
        ledgerFile,
        // The engine's own HTTP (every request counted for the Overview), the marketplace's call maxima left out.
        buildFlows: (deps) => {
          const { http } = deps.ports;
          const isDryRun = () => false;
          const password = async () => SAP_DEFAULTS.password;
          const sapAt = sapPort(createSapConnector({ connection: settings.get().sap!, password, http, clock, logger, isDryRun }), () =>
            sapFieldNames(settings.get()),
          );
          const governor = new CallGovernor(clock, {});
          const marketplace = createJohnLewisMarketplace({ connection: settings.get().marketplace!, secrets, http, clock, logger, isDryRun, governor });
          return flowsFor(deps, { sap: () => sapAt, marketplace: () => marketplace });
        },
      },
    );
    const e = engine;
    const run = async (flow: FlowName) => {
      if (flow === 'invoicing') await e.command('invoicing.runNow', { actor: 'Finance' });
      else e.runNow(flow);
      await e.idle();
    };

    await e.command('orders.preflight', { createFields: true, actor: 'IT' });
    await e.command('despatch.saveMapping', { sapCarrier: 'Royal Mail', carrierCode: 'ROYAL_MAIL', actor: 'Warehouse' });
    await run('health');
    await run('stock');

    const orders = jl.admin.createOrders({ count: 6, skus: SKUS.slice(0, 2), linesPerOrder: 2, quantities: [1, 2] });
    const [unknownSku] = jl.admin.createOrders({ count: 1, skus: ['NOT-IN-SAP'], linesPerOrder: 1, quantities: [1] });
    await run('orders');
    jl.admin.debitOrders([...orders, unknownSku!].map((o) => o.orderId));
    for (let i = 0; i < 5; i++) {
      await run('orders');
      const stages = await Promise.all(orders.map(async (o) => (await e.query('orders.get', { orderId: o.orderId }))?.order.stage));
      if (stages.every((s) => s === 'posted')) break;
    }
    // Four despatched with a mapped carrier, one with a carrier nobody mapped (an exception the warehouse must fix).
    for (const [i, o] of orders.slice(0, 5).entries()) {
      const numAtCard = (await e.query('orders.get', { orderId: o.orderId }))!.order.numAtCard!;
      sap.despatch({ numAtCard, carrier: i === 4 ? 'Yodel' : 'Royal Mail', trackingNumber: `RM${o.orderId.replace(/\W/g, '')}GB` });
    }
    await run('despatch');
    await run('orders');
    await run('invoicing');

    // A return accepted and on its way back; a refund from the marketplace's back office, credited in SAP.
    const { returnId } = jl.admin.createReturn({ orderId: orders[0]!.orderId });
    jl.admin.refundFromBackOffice({ orderId: orders[1]!.orderId, lines: [{ orderLineId: orders[1]!.lines[0]!.orderLineId, amount: '2.50' }] });
    await run('returns');
    jl.admin.customerSendsReturn(returnId);
    await run('orders');
    await run('returns');
    await run('returns');

    // A refund a person sends from the console's refund form.
    const [reason] = await e.query('refunds.reasons', {});
    await e.command('refunds.issue', {
      orderId: orders[2]!.orderId,
      lines: [{ orderLineId: orders[2]!.lines[0]!.orderLineId, quantity: 1, amount: '1.00', shippingAmount: '0.00' }],
      reasonCode: reason!.code,
      actor: 'Finance',
    });
    await run('orders');
    await run('returns');

    // A billing cycle closed and reconciled.
    jl.admin.chargeSubscription({ net: '35.00' });
    jl.admin.closeBillingCycle();
    await run('settlement');
    await run('settlement');

    // A person dismisses the unknown SKU's order exception, with a reason.
    const open = (await e.query('exceptions.list', { state: 'open', limit: 50, offset: 0 })).rows;
    const unknown = open.find((x) => x.record.key === unknownSku!.orderId);
    if (unknown) await e.command('exceptions.dismiss', { id: unknown.id, actor: 'Priya Shah', reason: 'A test order from the marketplace' });
  } finally {
    await engine?.stop();
    await Promise.all([sap.stop(), jl.stop()]);
  }
}
