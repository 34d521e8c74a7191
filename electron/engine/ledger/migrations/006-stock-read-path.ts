import type { Migration } from './index';

/**
 * How each stock cycle read SAP: the stored SQL query or pages of Items (where SQLQueries is missing or not
 * permitted), and why (JSON: cause, SAP's words, since when, when the SQL query is tried again).
 */
export const m006StockReadPath: Migration = {
  version: 6,
  name: 'stock-read-path',
  sql: `
ALTER TABLE stock_cycles ADD COLUMN read_path TEXT;
ALTER TABLE stock_cycles ADD COLUMN read_fallback TEXT;
`,
};
