import type { Migration } from './index';

/**
 * The stock cycle works set by set (docs/decisions/0304): each figure records the cycle that last computed it and
 * whether that cycle found it must go to the marketplace (1: changed, 2: chosen for this cycle's import), so the
 * SKUs to send are selected from the ledger instead of from every figure held in memory. The reservations of every SKU
 * are read in one grouped query (flows/orders/reservations.ts).
 */
export const m014StockSetBasedCycle: Migration = {
  version: 14,
  name: 'stock-set-based-cycle',
  sql: `
ALTER TABLE stock_figures ADD COLUMN read_cycle INTEGER;
ALTER TABLE stock_figures ADD COLUMN needs_send INTEGER NOT NULL DEFAULT 0;
-- What the rule's settings and SAP's warehouses were when the figure was computed (a hash): with the same rows, the same
-- reservations and the same key, the figure is the same, and a cycle does not compute it again.
ALTER TABLE stock_figures ADD COLUMN rule_key TEXT;
CREATE INDEX stock_figures_to_send ON stock_figures (read_cycle, needs_send, sku) WHERE needs_send > 0;
-- Reservations for every SKU in one query: the orders posted to SAP after a stock read are found without reading every posted order.
CREATE INDEX marketplace_orders_posted_at ON marketplace_orders (posted_at) WHERE stage = 'posted';
`,
};
