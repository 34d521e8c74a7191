import type { Marketplace, MarketplaceOrder, TaxMode } from '../../connectors/ports/marketplace';

export interface OrderStates {
  /** Reads the given orders in as few calls as the marketplace needs (its order-list allowance is shared with intake). */
  prefetch(orderIds: Iterable<string>): Promise<void>;
  /** The order as read this run; read now if it was not prefetched. */
  get(orderId: string): Promise<MarketplaceOrder | null>;
  /** Reads one order a person is acting on, at once (the marketplace's allowance for that, not the list window). */
  readForOperator(orderId: string): Promise<void>;
}

/**
 * The marketplace's view of the orders a run confirms, read once for all of them rather than once per despatch,
 * which at the marketplace's order-list allowance would hold a busy afternoon's despatches for hours.
 */
export function orderStates(marketplace: Pick<Marketplace, 'orders'>, taxMode: TaxMode): OrderStates {
  const known = new Map<string, MarketplaceOrder | null>();
  const states: OrderStates = {
    async prefetch(orderIds) {
      const missing = [...new Set(orderIds)].filter((id) => !known.has(id));
      if (!missing.length) return;
      const read = new Map((await marketplace.orders.get(missing, taxMode)).map((o) => [o.orderId, o]));
      for (const id of missing) known.set(id, read.get(id) ?? null);
    },
    async readForOperator(orderId) {
      const [order] = await marketplace.orders.get([orderId], taxMode, { forOperatorAction: true });
      known.set(orderId, order?.orderId === orderId ? order : null);
    },
    async get(orderId) {
      if (!known.has(orderId)) await states.prefetch([orderId]);
      return known.get(orderId) ?? null;
    },
  };
  return states;
}
