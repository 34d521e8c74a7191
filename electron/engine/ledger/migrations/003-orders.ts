import type { Migration } from './index';

/**
 * The orders flow: marketplace orders and their lines as last read, where each is in its journey, the Sales
 * Order it became (DocEntry/DocNum, the rounding applied), a timeline per order, the VAT mapping, the intake
 * watermark and the posting lease as this engine last saw it. SKU mappings are the stock flow's (stock_sku_mappings, migration 002).
 */
export const m003Orders: Migration = {
  version: 3,
  name: 'orders',
  sql: `
CREATE TABLE marketplace_orders (
  order_id TEXT PRIMARY KEY,
  commercial_id TEXT,
  reference_for_customer TEXT,
  num_at_card TEXT,
  marketplace_state TEXT,
  stage TEXT NOT NULL,
  tax_mode TEXT,
  currency TEXT,
  total_price TEXT,
  created_date TEXT,
  last_updated_date TEXT,
  acceptance_deadline TEXT,
  shipping_deadline TEXT,
  decision TEXT CHECK (decision IN ('accept','refuse')),
  doc_entry INTEGER,
  doc_num INTEGER,
  sap_total TEXT,
  rounding TEXT,
  payload TEXT NOT NULL,
  first_seen_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  posted_at TEXT
);
CREATE INDEX marketplace_orders_stage ON marketplace_orders (stage, created_date);
CREATE INDEX marketplace_orders_commercial ON marketplace_orders (commercial_id);
CREATE INDEX marketplace_orders_num_at_card ON marketplace_orders (num_at_card);
CREATE INDEX marketplace_orders_doc_num ON marketplace_orders (doc_num);
CREATE INDEX marketplace_orders_created ON marketplace_orders (created_date DESC);

CREATE TABLE marketplace_order_lines (
  order_id TEXT NOT NULL REFERENCES marketplace_orders(order_id) ON DELETE CASCADE,
  order_line_id TEXT NOT NULL,
  sku TEXT,
  quantity INTEGER,
  state TEXT,
  unit_price TEXT,
  price TEXT,
  shipping_price TEXT,
  PRIMARY KEY (order_id, order_line_id)
);
CREATE INDEX marketplace_order_lines_sku ON marketplace_order_lines (sku);

-- What happened to one order, in order: marketplace events, SAP documents, exceptions, operator actions.
CREATE TABLE order_events (
  id INTEGER PRIMARY KEY,
  order_id TEXT NOT NULL,
  at TEXT NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('marketplace','sap','exception','operator','engine')),
  summary TEXT NOT NULL,
  detail TEXT
);
CREATE INDEX order_events_order ON order_events (order_id, id);

-- Marketplace tax (code and/or rate) → SAP output VAT group. Rows derived from SAP's own groups say so.
CREATE TABLE vat_mappings (
  id INTEGER PRIMARY KEY,
  tax_code TEXT,
  rate TEXT,
  vat_group TEXT NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('operator','derived')),
  updated_by TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX vat_mappings_key ON vat_mappings (coalesce(tax_code, ''), coalesce(rate, ''));

-- Small facts of the flow: the intake watermark, this engine's id (its name in the posting lease).
CREATE TABLE orders_state (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

-- The posting lease as this engine last saw it in SAP (the lease itself lives on the business partner).
CREATE TABLE order_posting_lease (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  holder TEXT,
  until TEXT,
  held_by_me INTEGER NOT NULL DEFAULT 0,
  checked_at TEXT NOT NULL
);
`,
};
