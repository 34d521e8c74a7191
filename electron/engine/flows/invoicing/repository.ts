import Decimal from 'decimal.js';
import type { Db } from '../../ledger/db';
import { Bindings, orderRef } from '../../ledger/bindings';
import { Timeline, type TimelineSource } from '../../ledger/timeline';
import type { InvoiceBatch, InvoiceDocument } from '../../../../shared/contract/finance';

export type BatchTrigger = InvoiceBatch['trigger'];
export type DocumentOutcome = InvoiceDocument['outcome'];

/** An order with delivered lines the ledger does not yet know to be invoiced. */
export interface DueOrder {
  orderId: string;
  /** The order's Sales Order (its binding). */
  salesOrderEntry: number;
  /** Its Delivery Notes not yet settled, oldest binding first. */
  deliveryEntries: number[];
  /** When its oldest unsettled Delivery Note was bound: the order in which orders are invoiced. */
  deliveredAt: string;
}

export interface BatchRow extends InvoiceBatch {
  runId: number | null;
}

/** One document of a batch as recorded, before the console's view adds the exception it raised. */
export interface DocumentRow {
  orderId: string;
  numAtCard: string | null;
  customer: string;
  deliveryDocNums: number[];
  invoiceDocEntry: number | null;
  invoiceDocNum: number | null;
  total: string | null;
  marketplaceTotal: string;
  currency: string | null;
  outcome: DocumentOutcome;
  exceptionId: number | null;
  error: string | null;
  /** SAP did not answer the create: a later lookup settles it (and corrects this row). */
  awaitingLookup?: boolean;
}

/** Today's daily batch: the office day, the orders it covers (delivered before it began), and whether it is done. */
export interface DailyBatch {
  day: string;
  cutoff: string;
  done: boolean;
}

interface BatchDbRow {
  id: number;
  run_id: number | null;
  trigger: BatchTrigger;
  dry_run: number;
  started_at: string;
  ended_at: string | null;
  documents: number;
  posted: number;
  failed: number;
  total: string;
  currency: string | null;
}

const toBatch = (r: BatchDbRow): BatchRow => ({
  id: r.id,
  runId: r.run_id,
  trigger: r.trigger,
  dryRun: r.dry_run === 1,
  startedAt: r.started_at,
  endedAt: r.ended_at,
  documents: r.documents,
  posted: r.posted,
  failed: r.failed,
  total: r.total,
  currency: r.currency,
});

interface DocumentDbRow {
  order_id: string;
  num_at_card: string | null;
  customer: string;
  delivery_doc_nums: string;
  invoice_doc_entry: number | null;
  invoice_doc_num: number | null;
  total: string | null;
  marketplace_total: string;
  currency: string | null;
  outcome: DocumentOutcome;
  exception_id: number | null;
  error: string | null;
  awaiting_lookup: number;
}

/** What a batch's documents add up to: how many, posted (or found) and failed, and the total of the invoices (or those it would post). */
export function batchTotals(docs: readonly DocumentRow[]): { documents: number; posted: number; failed: number; total: string; currency: string | null } {
  let total = new Decimal(0);
  for (const d of docs) if (d.outcome !== 'failed' && d.total !== null) total = total.plus(d.total);
  const currencies = [...new Set(docs.map((d) => d.currency).filter((c): c is string => !!c))];
  return {
    documents: docs.length,
    posted: docs.filter((d) => d.outcome === 'posted' || d.outcome === 'found').length,
    failed: docs.filter((d) => d.outcome === 'failed').length,
    total: total.toFixed(2),
    currency: currencies.length === 1 ? currencies[0]! : null,
  };
}

/** The Delivery Note bindings of orders that also have a Sales Order, not yet settled by invoicing. */
const UNSETTLED_DELIVERIES = `FROM bindings dn
  JOIN bindings so ON so.record_type = 'order' AND so.record_key = dn.record_key AND so.system = 'sap-b1' AND so.entity = 'sales-order'
  WHERE dn.record_type = 'order' AND dn.system = 'sap-b1' AND dn.entity = 'delivery-note'
    AND NOT EXISTS (SELECT 1 FROM invoiced_deliveries d WHERE d.order_id = dn.record_key AND d.delivery_entry = CAST(dn.external_id AS INTEGER))`;

/**
 * The invoicing flow's tables: batches and their documents, the Delivery Notes with nothing left to invoice, the
 * orders another flow asked to have invoiced now, and the flow's small facts. Which invoice an order has is a
 * binding (entity 'invoice'), shared with the flows after it.
 */
export class InvoicingRepository {
  readonly bindings: Bindings;
  private readonly timeline: Timeline;
  constructor(private readonly db: Db) {
    this.bindings = new Bindings(db);
    this.timeline = new Timeline(db);
  }

  // ---- what is due ------------------------------------------------------------------------------------------

  /** Orders with delivered lines not known to be invoiced, the longest delivered first. */
  due(): DueOrder[] {
    const rows = this.db
      .prepare(
        `SELECT dn.record_key AS orderId, CAST(max(so.external_id) AS INTEGER) AS salesOrderEntry, json_group_array(CAST(dn.external_id AS INTEGER)) AS deliveries,
           min(dn.bound_at) AS deliveredAt
         ${UNSETTLED_DELIVERIES}
         GROUP BY dn.record_key ORDER BY deliveredAt, dn.record_key`,
      )
      .all() as { orderId: string; salesOrderEntry: number; deliveries: string; deliveredAt: string }[];
    return rows.map((r) => ({
      orderId: r.orderId,
      salesOrderEntry: r.salesOrderEntry,
      deliveryEntries: (JSON.parse(r.deliveries) as number[]).sort((a, b) => a - b),
      deliveredAt: r.deliveredAt,
    }));
  }

  /** How many orders wait for an invoice. */
  dueCount(): number {
    return this.db.prepare(`SELECT count(DISTINCT dn.record_key) ${UNSETTLED_DELIVERIES}`).pluck().get() as number;
  }

  /** Every Delivery Note bound to the order (settled or not). */
  deliveriesOf(orderId: string): number[] {
    return this.bindings.externals(orderRef(orderId), 'sap-b1', 'delivery-note').map((b) => Number(b.externalId));
  }

  /** Nothing is left to invoice on this Delivery Note for this order (`invoiceEntry`: the invoice that copied it, when known). */
  settleDelivery(orderId: string, deliveryEntry: number, invoiceEntry: number | null, at: Date): void {
    this.db
      .prepare(
        `INSERT INTO invoiced_deliveries (order_id, delivery_entry, invoice_entry, settled_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (order_id, delivery_entry) DO UPDATE SET invoice_entry = coalesce(excluded.invoice_entry, invoice_entry)`,
      )
      .run(orderId, deliveryEntry, invoiceEntry, at.toISOString());
  }

  // ---- invoices (bindings) --------------------------------------------------------------------------------------

  invoicesOf(orderId: string): { docEntry: number; docNum: number }[] {
    return this.bindings
      .externals(orderRef(orderId), 'sap-b1', 'invoice')
      .map((b) => ({ docEntry: Number(b.externalId), docNum: Number(b.label ?? b.externalId) }));
  }

  bindInvoice(orderId: string, invoice: { docEntry: number; docNum: number }, at: Date): void {
    this.bindings.bind(orderRef(orderId), { system: 'sap-b1', entity: 'invoice', id: String(invoice.docEntry), label: String(invoice.docNum) }, at);
  }

  // ---- requests from other flows --------------------------------------------------------------------------------

  request(orderId: string, why: string, at: Date): void {
    this.db
      .prepare('INSERT INTO invoicing_requests (order_id, why, requested_at) VALUES (?, ?, ?) ON CONFLICT (order_id) DO UPDATE SET why = excluded.why')
      .run(orderId, why, at.toISOString());
  }

  requested(): { orderId: string; why: string; requestedAt: string }[] {
    return this.db.prepare('SELECT order_id AS orderId, why, requested_at AS requestedAt FROM invoicing_requests ORDER BY requested_at').all() as {
      orderId: string;
      why: string;
      requestedAt: string;
    }[];
  }

  forgetRequest(orderId: string): void {
    this.db.prepare('DELETE FROM invoicing_requests WHERE order_id = ?').run(orderId);
  }

  // ---- batches --------------------------------------------------------------------------------------------------

  startBatch(input: { runId: number; trigger: BatchTrigger; dryRun: boolean }, at: Date): number {
    return Number(
      this.db
        .prepare('INSERT INTO invoice_batches (run_id, trigger, dry_run, started_at) VALUES (?, ?, ?, ?)')
        .run(input.runId, input.trigger, input.dryRun ? 1 : 0, at.toISOString()).lastInsertRowid,
    );
  }

  addDocument(batchId: number, d: DocumentRow, at: Date): void {
    this.db
      .prepare(
        `INSERT INTO invoice_documents (batch_id, order_id, num_at_card, customer, delivery_doc_nums, invoice_doc_entry, invoice_doc_num, total,
           marketplace_total, currency, outcome, exception_id, error, awaiting_lookup, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        batchId,
        d.orderId,
        d.numAtCard,
        d.customer,
        JSON.stringify(d.deliveryDocNums),
        d.invoiceDocEntry,
        d.invoiceDocNum,
        d.total,
        d.marketplaceTotal,
        d.currency,
        d.outcome,
        d.exceptionId,
        d.error,
        d.awaitingLookup ? 1 : 0,
        at.toISOString(),
      );
  }

  /**
   * A create SAP did not answer was found in SAP after all: the document that said so becomes 'found', with the
   * invoice, and its batch's counts and total follow.
   */
  landed(orderId: string, invoice: { docEntry: number; docNum: number; total: string }): void {
    this.db.transaction(() => {
      const row = this.db
        .prepare('SELECT id, batch_id FROM invoice_documents WHERE order_id = ? AND awaiting_lookup = 1 ORDER BY id DESC LIMIT 1')
        .get(orderId) as { id: number; batch_id: number } | undefined;
      if (!row) return;
      this.db
        .prepare(
          "UPDATE invoice_documents SET outcome = 'found', invoice_doc_entry = ?, invoice_doc_num = ?, total = ?, awaiting_lookup = 0, error = NULL WHERE id = ?",
        )
        .run(invoice.docEntry, invoice.docNum, invoice.total, row.id);
      this.recount(row.batch_id);
    })();
  }

  /** A create SAP did not answer never landed: the document stays failed, no longer waiting for its lookup. */
  neverLanded(orderId: string): void {
    this.db.prepare('UPDATE invoice_documents SET awaiting_lookup = 0 WHERE order_id = ? AND awaiting_lookup = 1').run(orderId);
  }

  /** A batch's counts and total, from its documents. */
  private recount(batchId: number): void {
    const docs = this.documents(batchId);
    const totals = batchTotals(docs);
    this.db
      .prepare('UPDATE invoice_batches SET documents = ?, posted = ?, failed = ?, total = ?, currency = ? WHERE id = ?')
      .run(totals.documents, totals.posted, totals.failed, totals.total, totals.currency, batchId);
  }

  /** Closes a batch with the counts and total of its documents. */
  endBatch(batchId: number, at: Date): BatchRow {
    this.db.transaction(() => {
      this.recount(batchId);
      this.db.prepare('UPDATE invoice_batches SET ended_at = ? WHERE id = ?').run(at.toISOString(), batchId);
    })();
    return this.batch(batchId)!;
  }

  /** A batch that found nothing to record (every order it took had nothing left open) is not kept. */
  dropBatch(batchId: number): void {
    this.db.prepare('DELETE FROM invoice_batches WHERE id = ?').run(batchId);
  }

  batches(limit: number, offset: number): { rows: BatchRow[]; total: number } {
    const total = this.db.prepare('SELECT count(*) FROM invoice_batches').pluck().get() as number;
    const rows = this.db.prepare('SELECT * FROM invoice_batches ORDER BY id DESC LIMIT ? OFFSET ?').all(limit, offset) as BatchDbRow[];
    return { rows: rows.map(toBatch), total };
  }

  batch(id: number): BatchRow | null {
    const row = this.db.prepare('SELECT * FROM invoice_batches WHERE id = ?').get(id) as BatchDbRow | undefined;
    return row ? toBatch(row) : null;
  }

  documents(batchId: number): DocumentRow[] {
    const rows = this.db.prepare('SELECT * FROM invoice_documents WHERE batch_id = ? ORDER BY id').all(batchId) as DocumentDbRow[];
    return rows.map((r) => ({
      orderId: r.order_id,
      numAtCard: r.num_at_card,
      customer: r.customer,
      deliveryDocNums: JSON.parse(r.delivery_doc_nums) as number[],
      invoiceDocEntry: r.invoice_doc_entry,
      invoiceDocNum: r.invoice_doc_num,
      total: r.total,
      marketplaceTotal: r.marketplace_total,
      currency: r.currency,
      outcome: r.outcome,
      exceptionId: r.exception_id,
      error: r.error,
      awaitingLookup: r.awaiting_lookup === 1,
    }));
  }

  // ---- the daily batch and "run now" ----------------------------------------------------------------------------

  daily(): DailyBatch | null {
    const value = this.getState('daily');
    return value ? (JSON.parse(value) as DailyBatch) : null;
  }

  setDaily(daily: DailyBatch): void {
    this.setState('daily', JSON.stringify(daily));
  }

  /** A person asked for a batch now (the console's "run now"): when, and who. */
  runNowRequested(): { at: string; actor: string } | null {
    const value = this.getState('run-now');
    return value ? (JSON.parse(value) as { at: string; actor: string }) : null;
  }

  requestRunNow(actor: string, at: Date): void {
    this.setState('run-now', JSON.stringify({ at: at.toISOString(), actor }));
  }

  /** The run that began at `startedAt` answered the request: forgotten, unless another came in meanwhile. */
  runNowAnswered(startedAt: Date): void {
    const pending = this.runNowRequested();
    if (pending && Date.parse(pending.at) <= startedAt.getTime()) this.deleteState('run-now');
  }

  // ---- timeline and small state ---------------------------------------------------------------------------------

  event(orderId: string, source: TimelineSource, summary: string, at: Date, detail: unknown = null): void {
    this.timeline.add(orderRef(orderId), source, summary, at, detail);
  }

  getState(key: string): string | null {
    return (this.db.prepare('SELECT value FROM invoicing_state WHERE key = ?').pluck().get(key) as string | undefined) ?? null;
  }

  setState(key: string, value: string): void {
    this.db.prepare('INSERT INTO invoicing_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  deleteState(key: string): void {
    this.db.prepare('DELETE FROM invoicing_state WHERE key = ?').run(key);
  }
}
