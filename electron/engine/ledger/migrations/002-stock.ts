import type { Migration } from './index';

/**
 * The stock flow: SKU mappings, each SKU's last computed / sent / confirmed figure, the per-warehouse
 * breakdown behind it, stock cycles, and what the last full reconciliation found on the marketplace.
 * Quantities from SAP are decimals kept as text; figures sent to the marketplace are whole units.
 */
export const m002Stock: Migration = {
  version: 2,
  name: 'stock',
  sql: `
-- SKU ↔ ItemCode where they differ; a SKU without a row is its ItemCode (identity).
CREATE TABLE stock_sku_mappings (
  sku TEXT PRIMARY KEY,
  item_code TEXT NOT NULL UNIQUE,
  updated_at TEXT NOT NULL
);

CREATE TABLE stock_figures (
  sku TEXT PRIMARY KEY,
  item_code TEXT NOT NULL,
  available INTEGER NOT NULL,
  -- JSON [{warehouseCode, quantity}]: the figure as it goes to the marketplace.
  lines TEXT NOT NULL,
  sum TEXT NOT NULL,
  buffer INTEGER NOT NULL,
  computed_at TEXT NOT NULL,
  -- JSON array of warehouses that did not answer, so this figure was held back; NULL when complete.
  held_by TEXT,
  -- In flight: sent in a stock import not yet COMPLETE.
  sent_lines TEXT,
  sent_import_id TEXT,
  -- Last figure the marketplace confirmed (a COMPLETE import without an error on it, or the reconciliation).
  confirmed_available INTEGER,
  confirmed_lines TEXT,
  confirmed_at TEXT,
  -- The figure the marketplace rejected last, and why (not resent until it changes or an operator retries).
  rejected_lines TEXT,
  rejected_reason TEXT,
  -- Fast lane: touched by an SAP document or a marketplace order since the last cycle.
  touched_at TEXT,
  -- The marketplace has an offer for this SKU (NULL: not known yet, before the first reconciliation).
  on_marketplace INTEGER
);
CREATE INDEX stock_figures_touched ON stock_figures (touched_at) WHERE touched_at IS NOT NULL;
CREATE INDEX stock_figures_import ON stock_figures (sent_import_id) WHERE sent_import_id IS NOT NULL;

-- The warehouse lines behind each SKU's figure, as last read from SAP.
CREATE TABLE stock_warehouse_lines (
  sku TEXT NOT NULL,
  warehouse_code TEXT NOT NULL,
  in_stock TEXT NOT NULL,
  committed TEXT NOT NULL,
  ordered TEXT NOT NULL,
  read_at TEXT NOT NULL,
  PRIMARY KEY (sku, warehouse_code)
) WITHOUT ROWID;
CREATE INDEX stock_warehouse_lines_warehouse ON stock_warehouse_lines (warehouse_code);

CREATE TABLE stock_cycles (
  id INTEGER PRIMARY KEY,
  run_id INTEGER,
  started_at TEXT NOT NULL,
  ended_at TEXT,
  duration_ms INTEGER,
  skus_read INTEGER NOT NULL DEFAULT 0,
  changed INTEGER NOT NULL DEFAULT 0,
  sent INTEGER NOT NULL DEFAULT 0,
  rejected INTEGER NOT NULL DEFAULT 0,
  held INTEGER NOT NULL DEFAULT 0,
  fast_lane INTEGER NOT NULL DEFAULT 0,
  warehouses_expected TEXT NOT NULL DEFAULT '[]',
  warehouses_missing TEXT NOT NULL DEFAULT '[]',
  import_id TEXT,
  import_status TEXT,
  dry_run INTEGER NOT NULL DEFAULT 0,
  reconciled INTEGER NOT NULL DEFAULT 0,
  drift INTEGER NOT NULL DEFAULT 0,
  error TEXT
);

-- SKUs mapped on one side only, as the last full reconciliation found them.
CREATE TABLE stock_reconciliation (
  sku TEXT PRIMARY KEY,
  item_code TEXT,
  side TEXT NOT NULL CHECK (side IN ('sap-only','marketplace-only')),
  marketplace_quantity INTEGER,
  seen_at TEXT NOT NULL
);

-- Watermarks and dates the flow keeps between cycles (last document per SAP set, last reconciliation).
CREATE TABLE stock_state (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
`,
};
