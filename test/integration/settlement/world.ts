import { systemClock } from '../../../electron/engine/clock';
import type { Engine } from '../../../electron/engine/engine';
import { createSapConnector } from '../../../electron/engine/connectors/sap-b1';
import { memoryLogger } from '../../../electron/engine/logging';
import { createHttpClientFactory } from '../../../electron/engine/net/http-client';
import { startReturnsWorld, type ReturnsWorld } from '../returns/world';
import { createSettlementEngine, type SettlementEngineOptions } from './engine-factory';

export { SKUS } from '../returns/world';

export interface SettlementWorld extends ReturnsWorld {
  /** A finance console on the same SAP company and marketplace shop, with its own ledger. */
  financeEngine(options: Omit<SettlementEngineOptions, 'sapUrl' | 'marketplaceUrl' | 'marketplaceKey'>): Engine;
  /**
   * An A/R Invoice keyed in SAP for a marketplace order (over the Service Layer, as a person or another tool would):
   * the order's lines at their net prices in VAT group O1, the customer's number and the order id. Returns its DocNum.
   */
  keyInvoice(orderId: string): Promise<number>;
}

/**
 * Both emulators, a warehouse console (the returns world's engine: orders, despatch, invoicing, returns) that puts
 * orders, invoices and credit memos into SAP, and finance consoles that reconcile the marketplace's payouts.
 */
export async function startSettlementWorld(options: Parameters<typeof startReturnsWorld>[0] = {}): Promise<SettlementWorld> {
  const world = await startReturnsWorld(options);
  const sap = createSapConnector({
    connection: {
      baseUrl: world.sap.url,
      serviceLayerVersion: 'v2',
      companyDb: 'SBODEMOGB',
      userName: 'manager',
      pinnedCertificate: null,
      maxConcurrency: 4,
      timeoutSeconds: 10,
    },
    password: async () => 'manager',
    http: createHttpClientFactory(),
    clock: systemClock(),
    logger: memoryLogger(),
    isDryRun: () => false,
  });
  return {
    ...world,
    async keyInvoice(orderId) {
      const order = world.jl.state.orders.get(orderId)!;
      for (const l of order.lines) world.sap.setStock(l.sku, '01', 100_000);
      const { document } = await sap.invoices.create({
        CardCode: 'C-JLM',
        NumAtCard: order.commercialId,
        DocumentLines: order.lines.map((l) => ({ ItemCode: l.sku, Quantity: l.quantity, Price: l.unitNet.toFixed(2), VatGroup: 'O1', WarehouseCode: '01' })),
        U_JLM_OrderId: orderId,
      });
      return document.DocNum;
    },
    financeEngine: (o) => createSettlementEngine({ ...o, sapUrl: world.sap.url, marketplaceUrl: world.jl.url, marketplaceKey: world.jl.apiKey }),
  };
}

/** Runs the settlement flow once and waits for it. */
export async function reconcile(engine: Engine): Promise<void> {
  engine.runNow('settlement');
  await engine.idle();
}
