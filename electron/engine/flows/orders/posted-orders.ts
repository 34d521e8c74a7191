import type { Db } from '../../ledger/db';
import type { MarketplaceOrder, OrderState } from '../../connectors/ports/marketplace';
import { OrdersRepository, SALES_ORDER_OF } from './repository';

/** A marketplace order that became a Sales Order, as the flows after the orders flow need it. */
export interface PostedOrder {
  orderId: string;
  numAtCard: string | null;
  /** The Sales Order's DocNum, from the order's binding. */
  docNum: number | null;
  marketplaceState: OrderState;
  shippingDeadline: string | null;
}

/**
 * What the orders flow tells the flows after it about the orders it posted. They find an order from an SAP
 * document through the bindings, then ask here; they never read the orders flow's tables.
 */
export interface PostedOrders {
  get(orderId: string): PostedOrder | null;
  /** The marketplace order as the orders flow last read it (lines, prices, taxes, shipping); null when it has not. */
  marketplaceOrder(orderId: string): MarketplaceOrder | null;
  /** Posted orders the marketplace still waits to see shipped, due by `before`, with no Delivery Note bound. */
  dueWithoutDeliveryNote(before: string, limit: number): PostedOrder[];
  /** When the oldest posted order with no Delivery Note bound was posted: where a first read of deliveries starts. */
  oldestWithoutDeliveryNote(): string | null;
  /** The SKU of each line of an order, as the marketplace sent it (for screens that show returned or refunded lines). */
  lineSkus(orderId: string): Map<string, string | null>;
}

const NO_DELIVERY_NOTE = `NOT EXISTS (SELECT 1 FROM bindings dn WHERE dn.record_type = 'order' AND dn.record_key = o.order_id AND dn.system = 'sap-b1' AND dn.entity = 'delivery-note')`;
const COLUMNS = `o.order_id AS orderId, o.num_at_card AS numAtCard, CAST(so.label AS INTEGER) AS docNum, o.marketplace_state AS marketplaceState,
  o.shipping_deadline AS shippingDeadline`;

export function postedOrders(db: Db): PostedOrders {
  const orders = new OrdersRepository(db);
  return {
    marketplaceOrder: (orderId) => orders.order(orderId),
    get: (orderId) =>
      (db.prepare(`SELECT ${COLUMNS} FROM marketplace_orders o JOIN bindings so ON ${SALES_ORDER_OF} WHERE o.order_id = ?`).get(orderId) as
        PostedOrder | undefined) ?? null,
    dueWithoutDeliveryNote: (before, limit) =>
      db
        .prepare(
          `SELECT ${COLUMNS} FROM marketplace_orders o JOIN bindings so ON ${SALES_ORDER_OF}
           WHERE o.marketplace_state = 'shipping' AND o.shipping_deadline IS NOT NULL AND o.shipping_deadline <= ? AND ${NO_DELIVERY_NOTE}
           ORDER BY o.shipping_deadline LIMIT ?`,
        )
        .all(before, limit) as PostedOrder[],
    lineSkus: (orderId) =>
      new Map(
        (
          db.prepare('SELECT order_line_id AS id, sku FROM marketplace_order_lines WHERE order_id = ?').all(orderId) as { id: string; sku: string | null }[]
        ).map((r) => [r.id, r.sku]),
      ),
    oldestWithoutDeliveryNote: () =>
      db.prepare(`SELECT min(o.posted_at) FROM marketplace_orders o JOIN bindings so ON ${SALES_ORDER_OF} WHERE ${NO_DELIVERY_NOTE}`).pluck().get() as
        string | null,
  };
}
