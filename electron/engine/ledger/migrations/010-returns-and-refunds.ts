import type { Migration } from './index';

/**
 * Returns and refunds: each customer's return as the marketplace states it and where the console has it; each refund
 * on an order line (whoever made it) until its Credit Memo is in SAP; and each refund a person sent from the console
 * (OR28 has no idempotency key: the request is recorded before it is sent, with the refunds the order already had, so
 * an answer that never came is settled by reading the order, never by sending again).
 */
export const m010ReturnsAndRefunds: Migration = {
  version: 10,
  name: 'returns-and-refunds',
  sql: `
CREATE TABLE returns (
  return_id TEXT PRIMARY KEY,
  rma TEXT,
  order_id TEXT,
  commercial_id TEXT,
  marketplace_state TEXT NOT NULL,
  state_code TEXT,
  stage TEXT NOT NULL,
  reason_code TEXT,
  -- JSON [{orderLineId, quantity}]
  lines TEXT NOT NULL,
  created_date TEXT,
  last_updated TEXT,
  -- A person's decision waiting to be sent (RT21): 'accept' or 'refuse:<code>'.
  decision TEXT,
  -- Goods booked in: by whom (an operator, or 'SAP Return <DocNum>') and when; RT25 sent when receipt_sent_at is set.
  received_by TEXT,
  received_at TEXT,
  receipt_sent_at TEXT,
  sap_return_entry INTEGER,
  sap_return_num INTEGER,
  updated_at TEXT NOT NULL
);
CREATE INDEX returns_order ON returns (order_id);
CREATE INDEX returns_stage ON returns (stage, updated_at);

CREATE TABLE refunds (
  refund_id TEXT PRIMARY KEY,
  order_id TEXT NOT NULL,
  order_line_id TEXT NOT NULL,
  sku TEXT,
  quantity INTEGER NOT NULL,
  amount TEXT NOT NULL,
  shipping_amount TEXT NOT NULL,
  -- JSON [{code, rate, amount}]
  taxes TEXT NOT NULL,
  shipping_taxes TEXT NOT NULL,
  tax_mode TEXT NOT NULL,
  currency TEXT,
  reason_code TEXT,
  marketplace_state TEXT,
  -- The return whose goods this refund pays back, and how many units of it came back with it.
  return_id TEXT,
  returned_quantity INTEGER NOT NULL DEFAULT 0,
  stage TEXT NOT NULL,
  credit_memo_entry INTEGER,
  credit_memo_num INTEGER,
  created_date TEXT,
  updated_at TEXT NOT NULL
);
CREATE INDEX refunds_order ON refunds (order_id);
CREATE INDEX refunds_stage ON refunds (stage, updated_at);

CREATE TABLE refund_requests (
  id INTEGER PRIMARY KEY,
  order_id TEXT NOT NULL,
  -- JSON {taxMode, reasonCode, lines:[{orderLineId, quantity, amount, shippingAmount, taxes, shippingTaxes}]}
  request TEXT NOT NULL,
  state TEXT NOT NULL,
  actor TEXT NOT NULL,
  -- The refund ids the order had before this was sent: what is new after it is this request's.
  known_refund_ids TEXT NOT NULL,
  refund_ids TEXT,
  error TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX refund_requests_order ON refund_requests (order_id, id);

CREATE TABLE returns_flow_state (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
`,
};
