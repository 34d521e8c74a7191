import Decimal from 'decimal.js';
import { startWorld, SKUS, type World as OrdersWorld } from '../orders/world';
import type { Engine } from '../../../electron/engine/engine';
import { createInvoicingEngine, type InvoicingEngineOptions } from './engine-factory';

export { SKUS };

type Entity = Record<string, unknown>;

export interface InvoicingWorld extends Omit<OrdersWorld, 'engine'> {
  engine(options: Omit<InvoicingEngineOptions, 'sapUrl' | 'marketplaceUrl' | 'marketplaceKey'>): Engine;
  /**
   * Marketplace orders created, accepted, debited and posted to SAP by the engine's orders flow, then despatched in
   * full in SAP (a Delivery Note each) and read by its despatch flow, which binds the Delivery Notes.
   */
  deliveredOrders(
    engine: Engine,
    count: number,
    input?: { skus?: string[]; linesPerOrder?: number; quantities?: number[]; shippingPrice?: string },
  ): Promise<string[]>;
  /** A/R Invoices in SAP per marketplace order id (from the order-id field), oldest first. */
  invoicesByOrderId(): Map<string, Entity[]>;
  /** What the marketplace says the order totals (goods and shipping, VAT included), as OR11 shows it. */
  marketplaceTotal(orderId: string): Decimal;
}

export async function startInvoicingWorld(): Promise<InvoicingWorld> {
  const world = await startWorld({ items: 60 });
  const engine = (o: Omit<InvoicingEngineOptions, 'sapUrl' | 'marketplaceUrl' | 'marketplaceKey'>) =>
    createInvoicingEngine({ ...o, sapUrl: world.sap.url, marketplaceUrl: world.jl.url, marketplaceKey: world.jl.apiKey });
  const run = async (e: Engine, flow: 'orders' | 'despatch') => {
    e.runNow(flow);
    await e.idle();
  };
  return {
    ...world,
    engine,
    async deliveredOrders(e, count, input = {}) {
      const created = world.jl.admin.createOrders({
        count,
        skus: input.skus ?? SKUS.slice(0, 4),
        linesPerOrder: input.linesPerOrder ?? 1,
        quantities: input.quantities ?? [1],
        ...(input.shippingPrice ? { shippingPrice: input.shippingPrice } : {}),
      });
      const ids = created.map((c) => c.orderId);
      await run(e, 'orders');
      world.jl.admin.debitOrders(ids);
      const numAtCards = new Map<string, string>();
      for (let i = 0; i < 10 && numAtCards.size < ids.length; i++) {
        await run(e, 'orders');
        for (const id of ids) {
          const order = (await e.query('orders.get', { orderId: id }))?.order;
          if (order?.stage === 'posted') numAtCards.set(id, order.numAtCard!);
        }
      }
      if (numAtCards.size < ids.length) throw new Error(`Orders not posted: ${ids.filter((id) => !numAtCards.has(id)).join(', ')}`);
      // The warehouse has the goods (the seeded stock is small): SKU and ItemCode are one in these tests.
      for (const sku of new Set(created.flatMap((c) => c.lines.map((l) => l.sku)))) world.sap.setStock(sku, '01', 100_000);
      for (const [i, id] of ids.entries())
        world.sap.despatch({ numAtCard: numAtCards.get(id)!, carrier: 'Royal Mail', trackingNumber: `RM${String(i).padStart(9, '0')}GB` });
      const bound = () => ids.every((id) => e.ledger.bindings.external({ type: 'order', key: id }, 'sap-b1', 'delivery-note'));
      for (let i = 0; i < 5 && !bound(); i++) await run(e, 'despatch');
      if (!bound()) throw new Error('Delivery Notes not bound');
      return ids;
    },
    invoicesByOrderId() {
      const out = new Map<string, Entity[]>();
      for (const doc of world.sap.state.documents.Invoices.values()) {
        const id = doc.U_JLM_OrderId as string | undefined;
        if (id) out.set(id, [...(out.get(id) ?? []), doc]);
      }
      return out;
    },
    marketplaceTotal(orderId) {
      // The emulator writes money as raw JSON (exact decimals): read it as the wire has it.
      return new Decimal(JSON.stringify((world.jl.admin.order(orderId) as { total_price: unknown }).total_price));
    },
  };
}

/** Runs the invoicing flow once and waits for it. */
export async function runInvoicing(engine: Engine): Promise<void> {
  engine.runNow('invoicing');
  await engine.idle();
}
