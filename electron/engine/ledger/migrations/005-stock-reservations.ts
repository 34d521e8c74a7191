import type { Migration } from './index';

/**
 * Units sold on the marketplace but not yet Sales Orders in SAP are taken off a SKU's figure; the figure
 * before that deduction is kept too, for the orders flow's acceptance check and the console's breakdown.
 */
export const m005StockReservations: Migration = {
  version: 5,
  name: 'stock-reservations',
  sql: `
ALTER TABLE stock_figures ADD COLUMN reserved INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stock_figures ADD COLUMN gross_available INTEGER;
`,
};
