import type { Marketplace, MarketplaceOrder, TaxMode } from '../../connectors/marketplace';

/** OR11 takes up to 100 order ids a call. */
const IDS_PER_CALL = 100;

export interface OrderStates {
  /** Reads the given orders in as few calls as possible (the marketplace allows one OR11 a minute, shared with intake). */
  prefetch(orderIds: Iterable<string>): Promise<void>;
  /** The order as read this run; read now if it was not prefetched. */
  get(orderId: string): Promise<MarketplaceOrder | null>;
  /** Reads one order a person is acting on, at once (the marketplace's allowance for that, not the list window). */
  readForOperator(orderId: string): Promise<void>;
}

/**
 * The marketplace's view of the orders a run confirms, read once for all of them: one OR11 per hundred orders
 * instead of one per despatch, which at one call a minute would hold a busy afternoon's despatches for hours.
 */
export function orderStates(marketplace: Marketplace, taxMode: TaxMode): OrderStates {
  const known = new Map<string, MarketplaceOrder | null>();
  const states: OrderStates = {
    async prefetch(orderIds) {
      const missing = [...new Set(orderIds)].filter((id) => !known.has(id));
      for (let i = 0; i < missing.length; i += IDS_PER_CALL) {
        const chunk = missing.slice(i, i + IDS_PER_CALL);
        const read = new Map((await marketplace.getOrders(chunk, taxMode)).map((o) => [o.orderId, o]));
        for (const id of chunk) known.set(id, read.get(id) ?? null);
      }
    },
    async readForOperator(orderId) {
      const [order] = await marketplace.getOrders([orderId], taxMode, { forOperatorAction: true });
      known.set(orderId, order?.orderId === orderId ? order : null);
    },
    async get(orderId) {
      if (!known.has(orderId)) await states.prefetch([orderId]);
      return known.get(orderId) ?? null;
    },
  };
  return states;
}
