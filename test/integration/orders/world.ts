import { startSapEmulator, type SapEmulator } from '../../../emulators/sap-b1';
import type { FaultRule } from '../../../emulators/sap-b1/faults';
import { startMarketplaceEmulator, type MarketplaceEmulator, type EmulatorConfig } from '../../../emulators/john-lewis';
import type { Engine } from '../../../electron/engine/engine';
import { createOrdersEngine, type OrdersEngineOptions } from './engine-factory';

/** The items sold in these tests: ordinary stock items of the seeded company (no batch, serial or frozen ones). */
export const SKUS = ['SKU000001', 'SKU000002', 'SKU000003', 'SKU000004', 'SKU000005', 'SKU000006', 'SKU000007', 'SKU000008'];

export interface World {
  sap: SapEmulator;
  jl: MarketplaceEmulator;
  engine(options: Omit<OrdersEngineOptions, 'sapUrl' | 'marketplaceUrl' | 'marketplaceKey'>): Engine;
  /** Forgets the posting lease (its table's rows), as if the console that held it had stopped long ago (tests that hand over between engines). */
  releaseLease(): void;
  /** Sales Orders in SAP per marketplace order id (from the order-id UDF). */
  salesOrdersByOrderId(): Map<string, number>;
  stop(): Promise<void>;
}

export async function startWorld(
  options: {
    sapFaults?: FaultRule[];
    jl?: Partial<EmulatorConfig>;
    items?: number;
    etags?: boolean;
    /** The marketplace's time source (e.g. the engine's fake clock); the real clock when absent. */
    jlNow?: () => number;
  } = {},
): Promise<World> {
  const sap = await startSapEmulator({ seed: { items: options.items ?? 200, warehouses: 2 }, faults: options.sapFaults ?? [], etags: options.etags ?? true });
  const jl = await startMarketplaceEmulator({ config: { debitDelayMs: null, ...options.jl }, now: options.jlNow });
  jl.admin.seedOffers(
    SKUS.map((sku, i) => ({ sku, quantity: 50, price: ['19.99', '9.99', '24.50', '3.33', '7.77', '12.49', '1.99', '45.00'][i]!, taxes: ['standard'] })),
  );
  return {
    sap,
    jl,
    engine: (o) => createOrdersEngine({ ...o, sapUrl: sap.url, marketplaceUrl: jl.url, marketplaceKey: jl.apiKey }),
    releaseLease() {
      sap.state.userTables.get('JLM_LEASE')?.rows.clear();
    },
    salesOrdersByOrderId() {
      const out = new Map<string, number>();
      for (const doc of sap.state.documents.Orders.values()) {
        const id = doc.U_JLM_OrderId as string | undefined;
        if (id) out.set(id, (out.get(id) ?? 0) + 1);
      }
      return out;
    },
    async stop() {
      await Promise.all([sap.stop(), jl.stop()]);
    },
  };
}

/** Runs the orders flow until `done` holds (or `max` runs), returning the last run's summary. */
export async function runUntil(engine: Engine, done: () => boolean, max = 20) {
  let last;
  for (let i = 0; i < max; i++) {
    [last] = await engine.runOnce();
    if (done()) return last;
  }
  return last;
}
