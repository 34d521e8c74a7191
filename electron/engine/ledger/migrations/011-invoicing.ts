import type { Migration } from './index';

/**
 * The invoicing flow: each batch of A/R Invoices (when it ran, why, what it posted, what failed) and its documents,
 * kept 90 days like settled outbox writes; the Delivery Notes of each order with nothing left to invoice (so a due
 * order is found in the ledger without asking SAP); orders another flow asked to have invoiced ahead of the daily
 * time; and the flow's small facts (the last day the daily batch ran, a pending "run now").
 */
export const m011Invoicing: Migration = {
  version: 11,
  name: 'invoicing',
  sql: `
CREATE TABLE invoice_batches (
  id INTEGER PRIMARY KEY,
  run_id INTEGER,
  trigger TEXT NOT NULL CHECK (trigger IN ('schedule','manual','return')),
  dry_run INTEGER NOT NULL,
  started_at TEXT NOT NULL,
  ended_at TEXT,
  documents INTEGER NOT NULL DEFAULT 0,
  posted INTEGER NOT NULL DEFAULT 0,
  failed INTEGER NOT NULL DEFAULT 0,
  total TEXT NOT NULL DEFAULT '0.00',
  currency TEXT
);
CREATE INDEX invoice_batches_started ON invoice_batches (started_at);

CREATE TABLE invoice_documents (
  id INTEGER PRIMARY KEY,
  batch_id INTEGER NOT NULL REFERENCES invoice_batches(id) ON DELETE CASCADE,
  order_id TEXT NOT NULL,
  num_at_card TEXT,
  customer TEXT NOT NULL,
  delivery_doc_nums TEXT NOT NULL,
  invoice_doc_entry INTEGER,
  invoice_doc_num INTEGER,
  total TEXT,
  marketplace_total TEXT NOT NULL,
  currency TEXT,
  outcome TEXT NOT NULL CHECK (outcome IN ('posted','found','would-post','failed')),
  exception_id INTEGER,
  error TEXT,
  -- SAP did not answer the create: a later lookup says whether it landed, and the row is corrected then.
  awaiting_lookup INTEGER NOT NULL DEFAULT 0,
  at TEXT NOT NULL
);
CREATE INDEX invoice_documents_batch ON invoice_documents (batch_id, id);
CREATE INDEX invoice_documents_order ON invoice_documents (order_id);

-- A Delivery Note of an order with nothing left to invoice: copied into an invoice (ours, or one keyed in SAP), or
-- closed or cancelled in SAP without one.
CREATE TABLE invoiced_deliveries (
  order_id TEXT NOT NULL,
  delivery_entry INTEGER NOT NULL,
  invoice_entry INTEGER,
  settled_at TEXT NOT NULL,
  PRIMARY KEY (order_id, delivery_entry)
);

CREATE TABLE invoicing_requests (
  order_id TEXT PRIMARY KEY,
  why TEXT NOT NULL,
  requested_at TEXT NOT NULL
);

CREATE TABLE invoicing_state (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
`,
};
