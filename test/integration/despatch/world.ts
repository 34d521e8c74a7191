import { startWorld as startOrdersWorld, SKUS, type World as OrdersWorld } from '../orders/world';
import type { Engine } from '../../../electron/engine/engine';
import { createDespatchEngine, type DespatchEngineOptions } from './engine-factory';

export interface DespatchWorld extends Omit<OrdersWorld, 'engine'> {
  engine(options: Omit<DespatchEngineOptions, 'sapUrl' | 'marketplaceUrl' | 'marketplaceKey'>): Engine;
  /** Marketplace orders created, debited (SHIPPING) and posted to SAP by the engine's orders flow. */
  postedOrders(engine: Engine, count: number, input?: { linesPerOrder?: number }): Promise<string[]>;
  /** The order as the marketplace shows it (OR11 shape). */
  marketplaceOrder(orderId: string): { order_state: string; shipping_carrier_code: string | null; shipping_tracking: string | null };
}

/** Both emulators with the orders world's offers; an engine with the orders and despatch flows. */
export async function startDespatchWorld(): Promise<DespatchWorld> {
  const world = await startOrdersWorld({ items: 60 });
  const engine = (o: Omit<DespatchEngineOptions, 'sapUrl' | 'marketplaceUrl' | 'marketplaceKey'>) =>
    createDespatchEngine({ ...o, sapUrl: world.sap.url, marketplaceUrl: world.jl.url, marketplaceKey: world.jl.apiKey });
  return {
    ...world,
    engine,
    async postedOrders(e, count, input = {}) {
      const created = world.jl.admin.createOrders({ count, skus: SKUS.slice(0, 4), linesPerOrder: input.linesPerOrder ?? 1, quantities: [1] });
      const ids = created.map((c) => c.orderId);
      // Accepted by the first run, debited by the test, posted by the next.
      e.runNow('orders');
      await e.idle();
      world.jl.admin.debitOrders(ids);
      for (let i = 0; i < 5; i++) {
        e.runNow('orders');
        await e.idle();
        const posted = await Promise.all(ids.map((id) => e.query('orders.get', { orderId: id })));
        if (posted.every((p) => p?.order.stage === 'posted')) return ids;
      }
      throw new Error(`Orders not posted: ${ids.join(', ')}`);
    },
    marketplaceOrder: (orderId) => world.jl.admin.order(orderId) as ReturnType<DespatchWorld['marketplaceOrder']>,
  };
}

/** Runs the despatch flow once and waits for it. */
export async function runDespatch(engine: Engine): Promise<void> {
  engine.runNow('despatch');
  await engine.idle();
}
