import { startSapEmulator, type SapEmulator } from '../../../emulators/sap-b1';
import { startMarketplaceEmulator, type MarketplaceEmulator, type EmulatorConfig } from '../../../emulators/john-lewis';
import type { Entity } from '../../../emulators/sap-b1/state';
import type { FlowName } from '../../../shared/domain/flows';
import type { Engine } from '../../../electron/engine/engine';
import { createFinanceEngine, type FinanceEngineOptions } from './engine-factory';

/** Ordinary items, a batch-managed one (every 25th) and a serial-managed one (every 40th) of the seeded company. */
export const SKUS = ['SKU000001', 'SKU000002', 'SKU000003', 'SKU000004'];
export const BATCH_SKU = 'SKU000025';
export const SERIAL_SKU = 'SKU000040';
const PRICES: Record<string, string> = {
  SKU000001: '19.99',
  SKU000002: '9.99',
  SKU000003: '24.50',
  SKU000004: '3.33',
  [BATCH_SKU]: '12.00',
  [SERIAL_SKU]: '249.00',
};

export interface ReturnsWorld {
  sap: SapEmulator;
  jl: MarketplaceEmulator;
  /** The not-nettable warehouse returned goods go into. */
  returnsWarehouse: string;
  engine(options: Omit<FinanceEngineOptions, 'sapUrl' | 'marketplaceUrl' | 'marketplaceKey' | 'returnsWarehouse'>): Engine;
  /** Orders created, debited, posted as Sales Orders, despatched in SAP, confirmed and shipped on the marketplace. */
  shippedOrders(
    engine: Engine,
    count: number,
    input?: { skus?: string[]; quantity?: number },
  ): Promise<{ orderId: string; numAtCard: string; lines: { orderLineId: string; sku: string; quantity: number }[] }[]>;
  run(engine: Engine, flow: FlowName): Promise<void>;
  /** SAP documents of a set carrying a marketplace order id. */
  documents(set: 'Invoices' | 'CreditNotes' | 'Returns', orderId?: string): Entity[];
  inStock(itemCode: string, warehouse: string): number;
  stop(): Promise<void>;
}

export async function startReturnsWorld(options: { jl?: Partial<EmulatorConfig>; offerQuantity?: number } = {}): Promise<ReturnsWorld> {
  const sap = await startSapEmulator({ seed: { items: 60, warehouses: 2, notNettable: 1 }, faults: [], etags: true });
  const jl = await startMarketplaceEmulator({ config: { debitDelayMs: null, ...options.jl } });
  jl.admin.seedOffers(Object.entries(PRICES).map(([sku, price]) => ({ sku, quantity: options.offerQuantity ?? 50, price, taxes: ['standard'] })));
  const returnsWarehouse = [...sap.state.warehouses.values()].find((w) => w.Nettable === 'tNO')!.WarehouseCode as string;

  const engine = (o: FinanceEngineOptions): Engine =>
    createFinanceEngine({ ...o, sapUrl: sap.url, marketplaceUrl: jl.url, marketplaceKey: jl.apiKey, returnsWarehouse });

  const run = async (e: Engine, flow: FlowName) => {
    // Invoicing posts outside its daily time only when asked to ("run now"), as a person would.
    if (flow === 'invoicing') await e.command('invoicing.runNow', { actor: 'test' });
    else e.runNow(flow);
    await e.idle();
  };

  return {
    sap,
    jl,
    returnsWarehouse,
    engine,
    run,
    async shippedOrders(e, count, input = {}) {
      const skus = input.skus ?? SKUS.slice(0, 2);
      const created = jl.admin.createOrders({ count, skus, linesPerOrder: skus.length, quantities: [input.quantity ?? 2] });
      const ids = created.map((c) => c.orderId);
      await run(e, 'orders');
      jl.admin.debitOrders(ids);
      for (let i = 0; i < 5; i++) {
        await run(e, 'orders');
        const posted = await Promise.all(ids.map((id) => e.query('orders.get', { orderId: id })));
        if (posted.every((p) => p?.order.stage === 'posted')) break;
      }
      const out = [];
      for (const c of created) {
        const numAtCard = (await e.query('orders.get', { orderId: c.orderId }))!.order.numAtCard!;
        sap.despatch({ numAtCard, carrier: 'Royal Mail', trackingNumber: `RM${c.orderId.replace(/\W/g, '')}GB` });
        out.push({ orderId: c.orderId, numAtCard, lines: c.lines });
      }
      await run(e, 'despatch');
      return out;
    },
    documents(set, orderId) {
      return [...sap.state.documents[set].values()].filter((d) => orderId === undefined || d.U_JLM_OrderId === orderId);
    },
    inStock(itemCode, warehouse) {
      const item = sap.state.items.get(itemCode)!;
      return (item.ItemWarehouseInfoCollection as { WarehouseCode: string; InStock: number }[]).find((w) => w.WarehouseCode === warehouse)?.InStock ?? 0;
    },
    async stop() {
      await Promise.all([sap.stop(), jl.stop()]);
    },
  };
}
