import type { Migration } from './index';

/**
 * The settlement flow (payout reconciliation): each billing cycle as the marketplace states it, how far its
 * transaction lines have been read (the page to go on from, kept across runs), its tie-out and when it was
 * reconciled; each transaction line, one row, with what matching found in SAP; each cycle's totals per month; the
 * marketplace customer's SAP documents posted in each cycle's period (those no line pays are "unpaid in SAP", worked
 * out when asked, so a cycle read later pays what an earlier cycle listed); and the flow's small facts. Kept 400 days.
 */
export const m012Settlement: Migration = {
  version: 12,
  name: 'settlement',
  sql: `
CREATE TABLE settlement_cycles (
  cycle_id TEXT PRIMARY KEY,
  start_date TEXT,
  end_date TEXT,
  currency TEXT,
  amount_transferred TEXT,
  payout_state TEXT,
  payout_reference TEXT,
  -- The marketplace's accounting documents of the cycle (IV01), JSON [{id, type, state, issueDate, totalExclTaxes, totalInclTaxes}]; null until read.
  accounting_documents TEXT,
  -- Reading the lines (TL02): not read, reading (page_token is where the next run goes on), read.
  read_state TEXT NOT NULL DEFAULT 'not-read' CHECK (read_state IN ('not-read','reading','read')),
  page_token TEXT,
  pages INTEGER NOT NULL DEFAULT 0,
  lines INTEGER NOT NULL DEFAULT 0,
  -- A read again (a person asked) stamps its lines with the next generation; lines of an older one are gone when it ends.
  generation INTEGER NOT NULL DEFAULT 1,
  read_at TEXT,
  tie_out TEXT NOT NULL DEFAULT 'not-read' CHECK (tie_out IN ('not-read','reading','ties','differs')),
  lines_total TEXT,
  payment_total TEXT,
  tie_out_difference TEXT,
  -- Lines whose SAP side differs or is missing, once matched.
  variances INTEGER NOT NULL DEFAULT 0,
  -- JSON totals of the whole cycle (PayoutTotals without the month).
  totals TEXT,
  -- When every line was checked against SAP and the period's SAP documents were read; null while that is to do.
  reconciled_at TEXT,
  -- Set when the payout is posted into SAP (the marketplace's fee invoice as an A/P Invoice, the payout as an Incoming Payment).
  posted_fee_invoice_num INTEGER,
  posted_payment_num INTEGER,
  posted_at TEXT,
  first_seen_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX settlement_cycles_period ON settlement_cycles (end_date, start_date);

CREATE TABLE settlement_lines (
  line_id TEXT PRIMARY KEY,
  cycle_id TEXT NOT NULL,
  generation INTEGER NOT NULL,
  kind TEXT NOT NULL,
  type_code TEXT,
  amount TEXT NOT NULL,
  currency TEXT,
  payment_state TEXT NOT NULL,
  date_created TEXT,
  -- The month (YYYY-MM, UK time) the line belongs to in the books.
  month TEXT,
  order_id TEXT,
  commercial_id TEXT,
  order_line_id TEXT,
  refund_id TEXT,
  accounting_document_number TEXT,
  -- What the line is against SAP; null until an order or refund line has been checked.
  class TEXT,
  sap_kind TEXT CHECK (sap_kind IN ('invoice','credit-memo')),
  sap_doc_entry INTEGER,
  sap_doc_num INTEGER,
  -- SAP minus the marketplace, net and VAT apart: on one line of the order or refund (its lead line), where they differ.
  diff_net TEXT,
  diff_vat TEXT,
  read_at TEXT NOT NULL
);
CREATE INDEX settlement_lines_cycle ON settlement_lines (cycle_id, class);
CREATE INDEX settlement_lines_cycle_date ON settlement_lines (cycle_id, date_created, line_id);
CREATE INDEX settlement_lines_order ON settlement_lines (order_id, kind);
CREATE INDEX settlement_lines_refund ON settlement_lines (refund_id, kind);
CREATE INDEX settlement_lines_month ON settlement_lines (month);

CREATE TABLE settlement_months (
  cycle_id TEXT NOT NULL,
  month TEXT NOT NULL,
  -- JSON totals of the cycle's lines that belong to this month.
  totals TEXT NOT NULL,
  PRIMARY KEY (cycle_id, month)
);
CREATE INDEX settlement_months_month ON settlement_months (month);

CREATE TABLE settlement_period_documents (
  cycle_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('invoice','credit-memo')),
  doc_entry INTEGER NOT NULL,
  doc_num INTEGER NOT NULL,
  order_id TEXT NOT NULL,
  refund_id TEXT,
  num_at_card TEXT,
  posting_date TEXT NOT NULL,
  total TEXT NOT NULL,
  PRIMARY KEY (cycle_id, kind, doc_entry)
);

CREATE TABLE settlement_state (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
`,
};
