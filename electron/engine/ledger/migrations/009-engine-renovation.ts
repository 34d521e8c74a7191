import type { Migration } from './index';

/**
 * The engine renovation (issue 11): marketplace states in the console's own words, with the platform's code kept
 * for display; bindings (decision 0004) in place of the Sales Order columns on marketplace orders and the stock
 * flow's SKU mapping table; one timeline for every flow's events on a record; the job queue's attempts per record
 * (decision 0005) and each exception's category, business or technical.
 */
export const m009EngineRenovation: Migration = {
  version: 9,
  name: 'engine-renovation',
  sql: `
-- Marketplace states in the console's words (the connector translates the platform's codes); the code stays for display.
ALTER TABLE marketplace_orders ADD COLUMN state_code TEXT;
UPDATE marketplace_orders SET state_code = marketplace_state;
UPDATE marketplace_orders SET marketplace_state = CASE state_code WHEN 'STAGING' THEN 'staging' WHEN 'WAITING_ACCEPTANCE' THEN 'awaiting-acceptance' WHEN 'WAITING_DEBIT' THEN 'awaiting-debit' WHEN 'WAITING_DEBIT_PAYMENT' THEN 'awaiting-debit' WHEN 'SHIPPING' THEN 'shipping' WHEN 'SHIPPED' THEN 'shipped' WHEN 'TO_COLLECT' THEN 'to-collect' WHEN 'RECEIVED' THEN 'received' WHEN 'CLOSED' THEN 'closed' WHEN 'REFUSED' THEN 'refused' WHEN 'CANCELED' THEN 'cancelled' WHEN 'CANCELLED' THEN 'cancelled' WHEN 'WAITING_REFUND' THEN 'refunding' WHEN 'WAITING_REFUND_PAYMENT' THEN 'refunding' ELSE 'unknown' END;
ALTER TABLE marketplace_order_lines ADD COLUMN state_code TEXT;
UPDATE marketplace_order_lines SET state_code = state;
UPDATE marketplace_order_lines SET state = CASE state_code WHEN 'STAGING' THEN 'staging' WHEN 'WAITING_ACCEPTANCE' THEN 'awaiting-acceptance' WHEN 'WAITING_DEBIT' THEN 'awaiting-debit' WHEN 'WAITING_DEBIT_PAYMENT' THEN 'awaiting-debit' WHEN 'SHIPPING' THEN 'shipping' WHEN 'SHIPPED' THEN 'shipped' WHEN 'TO_COLLECT' THEN 'to-collect' WHEN 'RECEIVED' THEN 'received' WHEN 'CLOSED' THEN 'closed' WHEN 'REFUSED' THEN 'refused' WHEN 'CANCELED' THEN 'cancelled' WHEN 'CANCELLED' THEN 'cancelled' WHEN 'WAITING_REFUND' THEN 'refunding' WHEN 'WAITING_REFUND_PAYMENT' THEN 'refunding' WHEN 'INCIDENT_OPEN' THEN 'incident-open' WHEN 'REFUNDED' THEN 'refunded' ELSE 'unknown' END;

-- "This record here is that record there", for every flow (decision 0004).
CREATE TABLE bindings (
  id INTEGER PRIMARY KEY,
  record_type TEXT NOT NULL CHECK (record_type IN ('order','sku')),
  record_key TEXT NOT NULL,
  system TEXT NOT NULL CHECK (system IN ('sap-b1','marketplace')),
  entity TEXT NOT NULL CHECK (entity IN ('sales-order','delivery-note','item','invoice','credit-memo','payout-line')),
  external_id TEXT NOT NULL,
  label TEXT,
  bound_at TEXT NOT NULL,
  synced_at TEXT NOT NULL,
  UNIQUE (record_type, record_key, system, entity, external_id)
);
CREATE INDEX bindings_external ON bindings (system, entity, external_id);
CREATE INDEX bindings_label ON bindings (system, entity, label);

INSERT INTO bindings (record_type, record_key, system, entity, external_id, label, bound_at, synced_at)
  SELECT 'order', order_id, 'sap-b1', 'sales-order', CAST(doc_entry AS TEXT), CAST(doc_num AS TEXT), coalesce(posted_at, updated_at), updated_at
  FROM marketplace_orders WHERE doc_entry IS NOT NULL;
INSERT INTO bindings (record_type, record_key, system, entity, external_id, label, bound_at, synced_at)
  SELECT 'order', order_id, 'sap-b1', 'delivery-note', CAST(doc_entry AS TEXT), CAST(doc_num AS TEXT), first_seen_at, updated_at
  FROM despatch_deliveries ORDER BY first_seen_at, doc_entry;
INSERT INTO bindings (record_type, record_key, system, entity, external_id, label, bound_at, synced_at)
  SELECT 'sku', sku, 'sap-b1', 'item', item_code, NULL, updated_at, updated_at FROM stock_sku_mappings;

-- Despatch keeps the customer's order number it shows and searches by, instead of reading the orders flow's table.
ALTER TABLE despatches ADD COLUMN num_at_card TEXT;
UPDATE despatches SET num_at_card = (SELECT o.num_at_card FROM marketplace_orders o WHERE o.order_id = despatches.order_id);

DROP INDEX marketplace_orders_doc_num;
ALTER TABLE marketplace_orders DROP COLUMN doc_entry;
ALTER TABLE marketplace_orders DROP COLUMN doc_num;
DROP TABLE stock_sku_mappings;

-- One timeline per record, whichever flow writes to it.
CREATE TABLE record_events (
  id INTEGER PRIMARY KEY,
  record_type TEXT NOT NULL,
  record_key TEXT NOT NULL,
  at TEXT NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('marketplace','sap','exception','operator','engine')),
  summary TEXT NOT NULL,
  detail TEXT
);
CREATE INDEX record_events_record ON record_events (record_type, record_key, id);
INSERT INTO record_events (id, record_type, record_key, at, source, summary, detail)
  SELECT id, 'order', order_id, at, source, summary, detail FROM order_events ORDER BY id;
DROP TABLE order_events;

-- Business: waits for a person. Technical: the engine could not finish (it retries, then waits for a replay).
ALTER TABLE exceptions ADD COLUMN category TEXT NOT NULL DEFAULT 'business' CHECK (category IN ('business','technical'));
UPDATE exceptions SET category = 'technical'
  WHERE type IN ('create-outcome-unknown','posting-lease-held','system-unreachable','reconciliation-failed','stock-import-failed');
CREATE INDEX exceptions_category ON exceptions (category, state);

-- The job queue (decision 0005): a row per record whose work failed for a technical reason, until it goes through.
CREATE TABLE jobs (
  flow TEXT NOT NULL,
  kind TEXT NOT NULL,
  record_type TEXT NOT NULL,
  record_key TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('retrying','gave-up')),
  attempts INTEGER NOT NULL,
  next_attempt_at TEXT NOT NULL,
  last_error TEXT NOT NULL,
  first_failed_at TEXT NOT NULL,
  last_failed_at TEXT NOT NULL,
  PRIMARY KEY (flow, kind, record_type, record_key)
);
CREATE INDEX jobs_state ON jobs (state, next_attempt_at);
`,
};
