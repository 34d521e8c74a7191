import type { Migration } from './index';

/**
 * The despatch flow: the SAP Delivery Notes deriving from our Sales Orders as last read (with the stamp that
 * de-duplicates overlapping reads), one despatch per marketplace order and where its confirmation is, the
 * carrier mapping (SAP carrier → marketplace carrier code, edited in the console) and the read watermark.
 */
export const m004Despatch: Migration = {
  version: 4,
  name: 'despatch',
  sql: `
CREATE TABLE despatch_deliveries (
  doc_entry INTEGER NOT NULL,
  order_id TEXT NOT NULL,
  sales_order_entry INTEGER NOT NULL,
  doc_num INTEGER,
  sap_carrier TEXT,
  tracking_number TEXT,
  -- UpdateDate and UpdateTime as SAP gave them: a re-read with the same stamp is a duplicate.
  update_stamp TEXT NOT NULL,
  first_seen_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (doc_entry, order_id)
);
CREATE INDEX despatch_deliveries_order ON despatch_deliveries (order_id, doc_entry);

CREATE TABLE despatches (
  order_id TEXT PRIMARY KEY,
  sales_order_entry INTEGER NOT NULL,
  -- The latest Delivery Note for the order: its carrier and tracking number are the ones confirmed.
  delivery_entry INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('waiting-lines','ready','tracking-sent','confirmed','blocked')),
  corrected_carrier_code TEXT,
  corrected_tracking TEXT,
  -- 1: write the corrected tracking number back to the Delivery Note at the next run.
  write_back INTEGER NOT NULL DEFAULT 0,
  carrier_code TEXT,
  sent_tracking TEXT,
  -- When this engine first saw every line delivered (the confirmation watchdog counts from here).
  delivered_at TEXT,
  confirmed_at TEXT,
  updated_at TEXT NOT NULL
);
CREATE INDEX despatches_state ON despatches (state, updated_at);

CREATE TABLE carrier_mappings (
  sap_carrier TEXT PRIMARY KEY,
  carrier_code TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE despatch_state (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
`,
};
