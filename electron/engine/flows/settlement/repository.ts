import Decimal from 'decimal.js';
import type { Db } from '../../ledger/db';
import type { AccountingDocument, BillingCycle, TransactionLine } from '../../connectors/ports/marketplace';
import type { PayoutLineClass, TieOutState } from '../../../../shared/domain/finance';
import type { PayoutLine, PayoutSummary, PayoutTotals, UnpaidDocument } from '../../../../shared/contract/settlement';
import { REFUND_KINDS, SALE_KINDS, Totals, classBeforeMatching, ukMonth } from './lines';

export type ReadState = 'not-read' | 'reading' | 'read';
type CycleTotals = Omit<PayoutTotals, 'month'>;

export interface CycleRow {
  cycleId: string;
  startDate: string | null;
  endDate: string | null;
  currency: string | null;
  amountTransferred: string | null;
  payoutState: string | null;
  payoutReference: string | null;
  accountingDocuments: StoredAccountingDocument[] | null;
  readState: ReadState;
  pageToken: string | null;
  pages: number;
  lines: number;
  generation: number;
  readAt: string | null;
  tieOut: TieOutState;
  linesTotal: string | null;
  paymentTotal: string | null;
  tieOutDifference: string | null;
  variances: number;
  totals: CycleTotals | null;
  reconciledAt: string | null;
  posted: { feeInvoiceNum: number | null; paymentNum: number | null; at: string } | null;
}

export interface StoredAccountingDocument {
  id: string | null;
  type: string | null;
  state: string | null;
  issueDate: string | null;
  totalExclTaxes: string | null;
  totalInclTaxes: string | null;
}

/** A sale or refund line as matching reads it. */
export interface GroupLine {
  lineId: string;
  kind: string;
  amount: Decimal;
  orderId: string;
  commercialId: string | null;
  refundId: string | null;
}

/** What matching found for one line. */
export interface LineMatch {
  lineId: string;
  class: PayoutLineClass;
  sap: { kind: 'invoice' | 'credit-memo'; docEntry: number; docNum: number } | null;
  difference: { net: string; vat: string } | null;
}

export interface PeriodDocument {
  kind: 'invoice' | 'credit-memo';
  docEntry: number;
  docNum: number;
  orderId: string;
  refundId: string | null;
  numAtCard: string | null;
  postingDate: string;
  total: string;
}

interface CycleDbRow {
  cycle_id: string;
  start_date: string | null;
  end_date: string | null;
  currency: string | null;
  amount_transferred: string | null;
  payout_state: string | null;
  payout_reference: string | null;
  accounting_documents: string | null;
  read_state: ReadState;
  page_token: string | null;
  pages: number;
  lines: number;
  generation: number;
  read_at: string | null;
  tie_out: TieOutState;
  lines_total: string | null;
  payment_total: string | null;
  tie_out_difference: string | null;
  variances: number;
  totals: string | null;
  reconciled_at: string | null;
  posted_fee_invoice_num: number | null;
  posted_payment_num: number | null;
  posted_at: string | null;
}

interface LineDbRow {
  line_id: string;
  kind: string;
  type_code: string | null;
  amount: string;
  payment_state: string;
  date_created: string | null;
  month: string | null;
  order_id: string | null;
  commercial_id: string | null;
  refund_id: string | null;
  class: PayoutLineClass | null;
  sap_kind: 'invoice' | 'credit-memo' | null;
  sap_doc_entry: number | null;
  sap_doc_num: number | null;
  diff_net: string | null;
  diff_vat: string | null;
}

const toCycle = (r: CycleDbRow): CycleRow => ({
  cycleId: r.cycle_id,
  startDate: r.start_date,
  endDate: r.end_date,
  currency: r.currency,
  amountTransferred: r.amount_transferred,
  payoutState: r.payout_state,
  payoutReference: r.payout_reference,
  accountingDocuments: r.accounting_documents ? (JSON.parse(r.accounting_documents) as StoredAccountingDocument[]) : null,
  readState: r.read_state,
  pageToken: r.page_token,
  pages: r.pages,
  lines: r.lines,
  generation: r.generation,
  readAt: r.read_at,
  tieOut: r.tie_out,
  linesTotal: r.lines_total,
  paymentTotal: r.payment_total,
  tieOutDifference: r.tie_out_difference,
  variances: r.variances,
  totals: r.totals ? (JSON.parse(r.totals) as CycleTotals) : null,
  reconciledAt: r.reconciled_at,
  posted: r.posted_at ? { feeInvoiceNum: r.posted_fee_invoice_num, paymentNum: r.posted_payment_num, at: r.posted_at } : null,
});

const money = (v: string | null): string | null => (v === null ? null : new Decimal(v).toFixed(2));
const GROUP_KINDS = [...SALE_KINDS, ...REFUND_KINDS];
const inList = (values: readonly string[]) => values.map((v) => `'${v}'`).join(',');
const SALE_SQL = inList(SALE_KINDS);
const REFUND_SQL = inList(REFUND_KINDS);
const GROUP_SQL = inList(GROUP_KINDS);
/** Lines whose order or refund is to be (re)checked in SAP: never checked, or found differing or missing last time. */
const TO_CHECK = "(class IS NULL OR class IN ('amount-differs','missing-in-sap'))";

/**
 * An SAP document of the period that no line pays: an invoice whose order has no sale line, a credit memo whose
 * refund (or, keyed without one, whose order) has no refund line, in any read cycle; pending lines pay nothing.
 */
const UNPAID = `CASE p.kind
  WHEN 'invoice' THEN NOT EXISTS (SELECT 1 FROM settlement_lines l WHERE l.order_id = p.order_id AND l.kind IN (${SALE_SQL}) AND coalesce(l.class, '') <> 'pending')
  ELSE CASE WHEN p.refund_id IS NOT NULL
    THEN NOT EXISTS (SELECT 1 FROM settlement_lines l WHERE l.refund_id = p.refund_id AND l.kind IN (${REFUND_SQL}) AND coalesce(l.class, '') <> 'pending')
    ELSE NOT EXISTS (SELECT 1 FROM settlement_lines l WHERE l.order_id = p.order_id AND l.kind IN (${REFUND_SQL}) AND coalesce(l.class, '') <> 'pending') END
  END`;

/** The settlement flow's tables (migration 012): cycles, their lines one row each, month totals, the period's SAP documents. */
export class SettlementRepository {
  constructor(private readonly db: Db) {}

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  getState(key: string): string | null {
    return (this.db.prepare('SELECT value FROM settlement_state WHERE key = ?').pluck().get(key) as string | undefined) ?? null;
  }
  clearState(key: string): void {
    this.db.prepare('DELETE FROM settlement_state WHERE key = ?').run(key);
  }
  setState(key: string, value: string): void {
    this.db.prepare('INSERT INTO settlement_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  /** A person asked for a cycle to be read and reconciled again: done at the start of the next run, never under one. */
  requestReread(cycleId: string, now: Date): void {
    this.setState(`reread:${cycleId}`, now.toISOString());
  }

  /** Starts the reads asked for since the last run. */
  applyRereads(now: Date): string[] {
    return this.transaction(() => {
      const keys = this.db.prepare("SELECT key FROM settlement_state WHERE key LIKE 'reread:%'").pluck().all() as string[];
      const ids = keys.map((k) => k.slice('reread:'.length));
      for (const id of ids) if (this.cycle(id)) this.restartRead(id, now);
      this.db.prepare("DELETE FROM settlement_state WHERE key LIKE 'reread:%'").run();
      return ids;
    });
  }

  // ---- cycles ---------------------------------------------------------------------------------------------------

  /**
   * Keeps a cycle as the marketplace states it now. A read cycle whose amount transferred changed is tied out again;
   * one whose payout moved on (paid since it was read: its payout line and paid lines are new) is read again.
   */
  upsertCycle(c: BillingCycle, now: Date): void {
    const amount = c.amountTransferredToSeller?.toFixed(2) ?? null;
    const at = now.toISOString();
    const before = this.db.prepare('SELECT payout_state, read_state FROM settlement_cycles WHERE cycle_id = ?').get(c.id) as
      { payout_state: string | null; read_state: ReadState } | undefined;
    if (before && before.read_state !== 'not-read' && before.payout_state !== c.payOutState) this.restartRead(c.id, now);
    this.db
      .prepare(
        `INSERT INTO settlement_cycles (cycle_id, start_date, end_date, currency, amount_transferred, payout_state, payout_reference, first_seen_at, updated_at)
         VALUES (@id, @start, @end, @currency, @amount, @state, @reference, @at, @at)
         ON CONFLICT (cycle_id) DO UPDATE SET start_date = excluded.start_date, end_date = excluded.end_date, currency = excluded.currency,
           payout_state = excluded.payout_state, payout_reference = excluded.payout_reference,
           reconciled_at = CASE WHEN settlement_cycles.amount_transferred IS excluded.amount_transferred THEN settlement_cycles.reconciled_at ELSE NULL END,
           amount_transferred = excluded.amount_transferred,
           updated_at = CASE WHEN settlement_cycles.amount_transferred IS excluded.amount_transferred AND settlement_cycles.payout_state IS excluded.payout_state
             THEN settlement_cycles.updated_at ELSE excluded.updated_at END`,
      )
      .run({ id: c.id, start: c.startDate, end: c.endDate, currency: c.currency, amount, state: c.payOutState, reference: c.payOutReference, at });
  }

  cycle(cycleId: string): CycleRow | undefined {
    const r = this.db.prepare('SELECT * FROM settlement_cycles WHERE cycle_id = ?').get(cycleId) as CycleDbRow | undefined;
    return r ? toCycle(r) : undefined;
  }

  /** Cycles whose lines are not all read, oldest first, that ended (or, without an end, began) on or after `from`. */
  cyclesToRead(from: string): CycleRow[] {
    return (
      this.db
        .prepare(
          `SELECT * FROM settlement_cycles WHERE read_state <> 'read' AND coalesce(end_date, start_date, first_seen_at) >= ?
           ORDER BY coalesce(start_date, end_date, first_seen_at), cycle_id`,
        )
        .all(from) as CycleDbRow[]
    ).map(toCycle);
  }

  /** Read cycles not reconciled since they were read (or since a person asked), oldest first. */
  cyclesToReconcile(): CycleRow[] {
    return (
      this.db
        .prepare(
          "SELECT * FROM settlement_cycles WHERE read_state = 'read' AND reconciled_at IS NULL ORDER BY coalesce(start_date, end_date, first_seen_at), cycle_id",
        )
        .all() as CycleDbRow[]
    ).map(toCycle);
  }

  /** Reconciled cycles some of whose orders or refunds were missing in SAP or differed: SAP may have been corrected since. */
  cyclesWithVariances(reconciledBefore: string): CycleRow[] {
    return (
      this.db
        .prepare(
          `SELECT c.* FROM settlement_cycles c WHERE c.read_state = 'read' AND c.reconciled_at IS NOT NULL AND c.reconciled_at < @before
           AND EXISTS (SELECT 1 FROM settlement_lines l WHERE l.cycle_id = c.cycle_id AND ${TO_CHECK.replaceAll('class', 'l.class')} AND l.kind IN (${GROUP_SQL}))
           ORDER BY coalesce(c.start_date, c.end_date, c.first_seen_at), c.cycle_id`,
        )
        .all({ before: reconciledBefore }) as CycleDbRow[]
    ).map(toCycle);
  }

  /** Read cycles whose accounting documents the marketplace has not listed yet. */
  cyclesWithoutDocuments(): CycleRow[] {
    return (
      this.db
        .prepare("SELECT * FROM settlement_cycles WHERE read_state = 'read' AND accounting_documents IS NULL ORDER BY first_seen_at, cycle_id")
        .all() as CycleDbRow[]
    ).map(toCycle);
  }

  saveAccountingDocuments(cycleId: string, docs: readonly AccountingDocument[]): void {
    const stored: StoredAccountingDocument[] = docs.map((d) => ({
      id: d.id,
      type: d.type,
      state: d.state,
      issueDate: d.issueDate,
      totalExclTaxes: d.totalExclTaxes?.toFixed(2) ?? null,
      totalInclTaxes: d.totalInclTaxes?.toFixed(2) ?? null,
    }));
    this.db.prepare('UPDATE settlement_cycles SET accounting_documents = ? WHERE cycle_id = ?').run(JSON.stringify(stored), cycleId);
  }

  // ---- reading --------------------------------------------------------------------------------------------------

  /**
   * One page of a cycle's lines, stored with where the next page starts, in one transaction: a run cut short after
   * this goes on from the next page. Lines of another cycle (the marketplace's token should never give them) are left
   * out and counted. Returns how many lines were new.
   */
  savePage(cycle: CycleRow, lines: readonly TransactionLine[], nextPageToken: string | null, now: Date): { stored: number; foreign: number } {
    const at = now.toISOString();
    const upsert = this.db.prepare(
      `INSERT INTO settlement_lines (line_id, cycle_id, generation, kind, type_code, amount, currency, payment_state, date_created, month, order_id,
         commercial_id, order_line_id, refund_id, accounting_document_number, class, read_at)
       VALUES (@lineId, @cycleId, @generation, @kind, @typeCode, @amount, @currency, @paymentState, @dateCreated, @month, @orderId,
         @commercialId, @orderLineId, @refundId, @accountingDocumentNumber, @class, @at)
       ON CONFLICT (line_id) DO UPDATE SET
         -- What matching found stays while the line is the same line; a changed one is checked again.
         class = CASE WHEN settlement_lines.amount = excluded.amount AND settlement_lines.kind = excluded.kind
             AND settlement_lines.payment_state = excluded.payment_state AND settlement_lines.cycle_id = excluded.cycle_id
           THEN coalesce(excluded.class, settlement_lines.class) ELSE excluded.class END,
         cycle_id = excluded.cycle_id, generation = excluded.generation, kind = excluded.kind, type_code = excluded.type_code,
         amount = excluded.amount, currency = excluded.currency, payment_state = excluded.payment_state, date_created = excluded.date_created,
         month = excluded.month, order_id = excluded.order_id, commercial_id = excluded.commercial_id, order_line_id = excluded.order_line_id,
         refund_id = excluded.refund_id, accounting_document_number = excluded.accounting_document_number, read_at = excluded.read_at`,
    );
    let foreign = 0;
    let stored = 0;
    this.transaction(() => {
      for (const l of lines) {
        if (!l.id) continue;
        if (l.billingCycleId !== null && l.billingCycleId !== cycle.cycleId) {
          foreign++;
          continue;
        }
        upsert.run({
          lineId: l.id,
          cycleId: cycle.cycleId,
          generation: cycle.generation,
          kind: l.kind,
          typeCode: l.typeCode,
          amount: (l.amount ?? new Decimal(0)).toString(),
          currency: l.currency,
          paymentState: l.paymentState,
          dateCreated: l.dateCreated,
          month: ukMonth(l.dateCreated),
          orderId: l.orderId,
          commercialId: l.commercialId,
          orderLineId: l.orderLineId,
          refundId: l.refundId,
          accountingDocumentNumber: l.accountingDocumentNumber,
          class: classBeforeMatching(l.kind, l.paymentState, l.billingCycleId === cycle.cycleId),
          at,
        });
        stored++;
      }
      const count = this.db
        .prepare('SELECT count(*) FROM settlement_lines WHERE cycle_id = ? AND generation = ?')
        .pluck()
        .get(cycle.cycleId, cycle.generation) as number;
      this.db
        .prepare(
          `UPDATE settlement_cycles SET read_state = 'reading', tie_out = 'reading', page_token = ?, pages = pages + 1, lines = ?, updated_at = ?
           WHERE cycle_id = ?`,
        )
        .run(nextPageToken, count, at, cycle.cycleId);
    });
    return { stored, foreign };
  }

  /** Every page is read: lines an earlier read had and this one did not are gone, and the cycle is to be reconciled. */
  finishRead(cycleId: string, now: Date): void {
    this.transaction(() => {
      const { generation } = this.db.prepare('SELECT generation FROM settlement_cycles WHERE cycle_id = ?').get(cycleId) as { generation: number };
      this.db.prepare('DELETE FROM settlement_lines WHERE cycle_id = ? AND generation < ?').run(cycleId, generation);
      // Read (again): every sale and refund is checked against SAP as SAP holds it now.
      this.db
        .prepare(
          `UPDATE settlement_lines SET class = NULL, sap_kind = NULL, sap_doc_entry = NULL, sap_doc_num = NULL, diff_net = NULL, diff_vat = NULL
           WHERE cycle_id = ? AND kind IN (${GROUP_SQL}) AND coalesce(class, '') <> 'pending'`,
        )
        .run(cycleId);
      const count = this.db.prepare('SELECT count(*) FROM settlement_lines WHERE cycle_id = ?').pluck().get(cycleId) as number;
      this.db
        .prepare(
          "UPDATE settlement_cycles SET read_state = 'read', page_token = NULL, lines = ?, read_at = ?, reconciled_at = NULL, updated_at = ? WHERE cycle_id = ?",
        )
        .run(count, now.toISOString(), now.toISOString(), cycleId);
    });
  }

  /** Reads the cycle again from its first page (a person asked, or the marketplace refused the page to go on from). */
  restartRead(cycleId: string, now: Date): void {
    this.db
      .prepare(
        `UPDATE settlement_cycles SET read_state = 'not-read', page_token = NULL, pages = 0, generation = generation + 1, reconciled_at = NULL,
           accounting_documents = NULL, updated_at = ? WHERE cycle_id = ?`,
      )
      .run(now.toISOString(), cycleId);
  }

  // ---- tie-out and totals ---------------------------------------------------------------------------------------

  /**
   * Adds up a cycle's lines, streamed from SQLite (a 50,000-line month is never in memory): every line but the payout
   * and pending ones, per total and per month, and the payout lines.
   */
  sumLines(cycleId: string): { total: Totals; months: Map<string, Totals>; payment: Decimal; paymentLines: number } {
    const total = new Totals();
    const months = new Map<string, Totals>();
    let payment = new Decimal(0);
    let paymentLines = 0;
    const rows = this.db.prepare('SELECT kind, amount, class, month FROM settlement_lines WHERE cycle_id = ?').iterate(cycleId) as IterableIterator<{
      kind: string;
      amount: string;
      class: PayoutLineClass | null;
      month: string | null;
    }>;
    for (const r of rows) {
      const amount = new Decimal(r.amount);
      if (r.class === 'payment') {
        payment = payment.plus(amount);
        paymentLines++;
        continue;
      }
      if (r.class === 'pending') continue;
      total.add(r.kind, amount);
      const month = r.month ?? 'unknown';
      let m = months.get(month);
      if (!m) months.set(month, (m = new Totals()));
      m.add(r.kind, amount);
    }
    return { total, months, payment, paymentLines };
  }

  /** The first and last creation date of a cycle's lines. */
  lineDates(cycleId: string): { first: string | null; last: string | null } {
    const r = this.db.prepare('SELECT min(date_created) AS first, max(date_created) AS last FROM settlement_lines WHERE cycle_id = ?').get(cycleId) as {
      first: string | null;
      last: string | null;
    };
    return r;
  }

  saveTieOut(
    cycleId: string,
    t: { tieOut: TieOutState; linesTotal: string; paymentTotal: string; difference: string | null; totals: CycleTotals; months: Map<string, CycleTotals> },
  ): void {
    this.transaction(() => {
      this.db
        .prepare('UPDATE settlement_cycles SET tie_out = ?, lines_total = ?, payment_total = ?, tie_out_difference = ?, totals = ? WHERE cycle_id = ?')
        .run(t.tieOut, t.linesTotal, t.paymentTotal, t.difference, JSON.stringify(t.totals), cycleId);
      this.db.prepare('DELETE FROM settlement_months WHERE cycle_id = ?').run(cycleId);
      const insert = this.db.prepare('INSERT INTO settlement_months (cycle_id, month, totals) VALUES (?, ?, ?)');
      for (const [month, totals] of [...t.months].sort(([a], [b]) => a.localeCompare(b))) insert.run(cycleId, month, JSON.stringify(totals));
    });
  }

  monthsOf(cycleId: string): PayoutTotals[] {
    return (
      this.db.prepare('SELECT month, totals FROM settlement_months WHERE cycle_id = ? ORDER BY month').all(cycleId) as { month: string; totals: string }[]
    ).map((r) => ({ month: /^\d{4}-\d{2}$/.test(r.month) ? r.month : null, ...(JSON.parse(r.totals) as CycleTotals) }));
  }

  /** One month's totals across every cycle that has lines in it (the month's books). */
  monthTotals(month: string): PayoutTotals {
    const parts = (this.db.prepare('SELECT totals FROM settlement_months WHERE month = ?').pluck().all(month) as string[]).map(
      (t) => JSON.parse(t) as CycleTotals,
    );
    return { month, ...Totals.sum(parts) };
  }

  // ---- matching -------------------------------------------------------------------------------------------------

  /** Sale or refund lines without an order: nothing in SAP can be found for them. */
  markOrphans(cycleId: string): number {
    return this.db
      .prepare(`UPDATE settlement_lines SET class = 'missing-in-sap' WHERE cycle_id = ? AND class IS NULL AND order_id IS NULL AND kind IN (${GROUP_SQL})`)
      .run(cycleId).changes;
  }

  /** The next orders (by id, after `after`) of the cycle with sale or refund lines to check. */
  ordersToCheck(cycleId: string, after: string, limit: number): string[] {
    return this.db
      .prepare(
        `SELECT DISTINCT order_id FROM settlement_lines WHERE cycle_id = ? AND order_id > ? AND kind IN (${GROUP_SQL}) AND ${TO_CHECK}
         ORDER BY order_id LIMIT ?`,
      )
      .pluck()
      .all(cycleId, after, limit) as string[];
  }

  /** Every sale and refund line of these orders in the cycle (not pending): a whole order or refund is compared at once. */
  groupLines(cycleId: string, orderIds: readonly string[]): GroupLine[] {
    if (!orderIds.length) return [];
    const rows = this.db
      .prepare(
        `SELECT line_id, kind, amount, order_id, commercial_id, refund_id FROM settlement_lines
         WHERE cycle_id = ? AND order_id IN (${orderIds.map(() => '?').join(',')}) AND kind IN (${GROUP_SQL}) AND coalesce(class, '') <> 'pending'
         ORDER BY order_id, line_id`,
      )
      .all(cycleId, ...orderIds) as {
      line_id: string;
      kind: string;
      amount: string;
      order_id: string;
      commercial_id: string | null;
      refund_id: string | null;
    }[];
    return rows.map((r) => ({
      lineId: r.line_id,
      kind: r.kind,
      amount: new Decimal(r.amount),
      orderId: r.order_id,
      commercialId: r.commercial_id,
      refundId: r.refund_id,
    }));
  }

  saveMatches(matches: readonly LineMatch[]): void {
    const update = this.db.prepare(
      'UPDATE settlement_lines SET class = ?, sap_kind = ?, sap_doc_entry = ?, sap_doc_num = ?, diff_net = ?, diff_vat = ? WHERE line_id = ?',
    );
    this.transaction(() => {
      for (const m of matches)
        update.run(
          m.class,
          m.sap?.kind ?? null,
          m.sap?.docEntry ?? null,
          m.sap?.docNum ?? null,
          m.difference?.net ?? null,
          m.difference?.vat ?? null,
          m.lineId,
        );
    });
  }

  /** Lines still to check (never checked: SAP could not be asked about them). */
  uncheckedCount(cycleId: string): number {
    return this.db.prepare(`SELECT count(*) FROM settlement_lines WHERE cycle_id = ? AND class IS NULL`).pluck().get(cycleId) as number;
  }

  /** Counts the cycle's variances and, when every line was checked, marks it reconciled. */
  finishMatching(cycleId: string, now: Date, reconciled: boolean): number {
    const variances = this.db
      .prepare("SELECT count(*) FROM settlement_lines WHERE cycle_id = ? AND class IN ('amount-differs','missing-in-sap')")
      .pluck()
      .get(cycleId) as number;
    this.db
      .prepare('UPDATE settlement_cycles SET variances = ?, reconciled_at = CASE WHEN ? THEN ? ELSE reconciled_at END, updated_at = ? WHERE cycle_id = ?')
      .run(variances, reconciled ? 1 : 0, now.toISOString(), now.toISOString(), cycleId);
    return variances;
  }

  // ---- the period's SAP documents -------------------------------------------------------------------------------

  clearPeriodDocuments(cycleId: string): void {
    this.db.prepare('DELETE FROM settlement_period_documents WHERE cycle_id = ?').run(cycleId);
  }

  addPeriodDocuments(cycleId: string, docs: readonly PeriodDocument[]): void {
    const insert = this.db.prepare(
      `INSERT OR REPLACE INTO settlement_period_documents (cycle_id, kind, doc_entry, doc_num, order_id, refund_id, num_at_card, posting_date, total)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.transaction(() => {
      for (const d of docs) insert.run(cycleId, d.kind, d.docEntry, d.docNum, d.orderId, d.refundId, d.numAtCard, d.postingDate, d.total);
    });
  }

  unpaidCount(cycleId: string): number {
    return this.db.prepare(`SELECT count(*) FROM settlement_period_documents p WHERE p.cycle_id = ? AND ${UNPAID}`).pluck().get(cycleId) as number;
  }

  unpaid(cycleId: string, limit: number): UnpaidDocument[] {
    return (
      this.db
        .prepare(
          `SELECT kind, doc_entry, doc_num, order_id, num_at_card, posting_date, total FROM settlement_period_documents p
           WHERE p.cycle_id = ? AND ${UNPAID} ORDER BY posting_date, kind, doc_entry LIMIT ?`,
        )
        .all(cycleId, limit) as {
        kind: 'invoice' | 'credit-memo';
        doc_entry: number;
        doc_num: number;
        order_id: string;
        num_at_card: string | null;
        posting_date: string;
        total: string;
      }[]
    ).map((r) => ({
      kind: r.kind,
      docEntry: r.doc_entry,
      docNum: r.doc_num,
      orderId: r.order_id,
      numAtCard: r.num_at_card,
      postingDate: r.posting_date,
      total: new Decimal(r.total).toFixed(2),
    }));
  }

  // ---- the console's views --------------------------------------------------------------------------------------

  summary(c: CycleRow): PayoutSummary {
    return {
      cycleId: c.cycleId,
      startDate: c.startDate,
      endDate: c.endDate,
      currency: c.currency,
      amountTransferred: money(c.amountTransferred),
      payoutReference: c.payoutReference,
      tieOut: c.tieOut,
      tieOutDifference: c.tieOut === 'differs' ? money(c.tieOutDifference) : null,
      variances: c.variances,
      unpaidInSap: this.unpaidCount(c.cycleId),
      read: { lines: c.lines, pages: c.pages, done: c.readState === 'read' },
      reconciledAt: c.reconciledAt,
      posted: c.posted ? { purchaseInvoiceDocNum: c.posted.feeInvoiceNum, paymentDocNum: c.posted.paymentNum, at: c.posted.at } : null,
    };
  }

  list(filter: 'all' | 'not-posted' | 'has-variances', limit: number, offset: number): { rows: CycleRow[]; total: number } {
    const where =
      filter === 'not-posted'
        ? 'WHERE c.posted_at IS NULL'
        : filter === 'has-variances'
          ? `WHERE c.tie_out = 'differs' OR c.variances > 0
               OR EXISTS (SELECT 1 FROM settlement_period_documents p WHERE p.cycle_id = c.cycle_id AND ${UNPAID})`
          : '';
    const total = this.db.prepare(`SELECT count(*) FROM settlement_cycles c ${where}`).pluck().get() as number;
    const rows = this.db
      .prepare(`SELECT c.* FROM settlement_cycles c ${where} ORDER BY coalesce(c.end_date, c.start_date, c.first_seen_at) DESC, c.cycle_id LIMIT ? OFFSET ?`)
      .all(limit, offset) as CycleDbRow[];
    return { rows: rows.map(toCycle), total };
  }

  /** A page of a cycle's lines, oldest first, optionally of one class and matching a search (order, customer's number, refund, line, type). */
  lines(query: { cycleId: string; class?: PayoutLineClass; search?: string; limit: number; offset: number }): { rows: PayoutLine[]; total: number } {
    const conditions = ['cycle_id = @cycleId'];
    if (query.class) conditions.push('class = @class');
    const search = query.search?.trim();
    if (search)
      conditions.push(
        `(order_id LIKE @like ESCAPE '\\' OR commercial_id LIKE @like ESCAPE '\\' OR refund_id LIKE @like ESCAPE '\\' OR line_id LIKE @like ESCAPE '\\'
          OR type_code LIKE @like ESCAPE '\\' OR kind LIKE @like ESCAPE '\\')`,
      );
    const params = { cycleId: query.cycleId, class: query.class ?? null, like: `%${(search ?? '').replace(/[\\%_]/g, (m) => `\\${m}`)}%` };
    const where = conditions.join(' AND ');
    const total = this.db.prepare(`SELECT count(*) FROM settlement_lines WHERE ${where}`).pluck().get(params) as number;
    const rows = this.db
      .prepare(`SELECT * FROM settlement_lines WHERE ${where} ORDER BY date_created, line_id LIMIT @limit OFFSET @offset`)
      .all({ ...params, limit: query.limit, offset: query.offset }) as LineDbRow[];
    return { rows: rows.map(toPayoutLine), total };
  }

  /** The cycles with lines in a month (a month's export). */
  cyclesWithLinesIn(month: string): CycleRow[] {
    const ids = this.db.prepare('SELECT DISTINCT cycle_id FROM settlement_lines WHERE month = ? ORDER BY cycle_id').pluck().all(month) as string[];
    return ids.map((id) => this.cycle(id)).filter((c): c is CycleRow => c !== undefined);
  }

  /** The SAP documents a cycle's matched lines pay, with what the lines pay of each (signed as the lines are). */
  matchedDocuments(cycleId: string): { kind: 'invoice' | 'credit-memo'; docEntry: number; docNum: number; amount: Decimal }[] {
    const rows = this.db
      .prepare(
        `SELECT sap_kind AS kind, sap_doc_entry AS docEntry, sap_doc_num AS docNum, group_concat(amount, '|') AS amounts FROM settlement_lines
         WHERE cycle_id = ? AND class = 'matched' AND sap_doc_entry IS NOT NULL GROUP BY sap_kind, sap_doc_entry ORDER BY sap_kind, sap_doc_entry`,
      )
      .all(cycleId) as { kind: 'invoice' | 'credit-memo'; docEntry: number; docNum: number; amounts: string }[];
    // Summed as decimals here: SQLite would sum the text amounts as floating point.
    return rows.map((r) => ({
      kind: r.kind,
      docEntry: r.docEntry,
      docNum: r.docNum,
      amount: r.amounts.split('|').reduce((a, v) => a.plus(v), new Decimal(0)),
    }));
  }

  /** A cycle's fee lines summed by kind (signed as the lines are: a fee the seller pays is negative). */
  feesByKind(cycleId: string): Map<string, Decimal> {
    const out = new Map<string, Decimal>();
    for (const r of this.db.prepare("SELECT kind, amount FROM settlement_lines WHERE cycle_id = ? AND class = 'fee'").iterate(cycleId) as Iterable<{
      kind: string;
      amount: string;
    }>)
      out.set(r.kind, (out.get(r.kind) ?? new Decimal(0)).plus(r.amount));
    return out;
  }

  markPosted(cycleId: string, posted: { feeInvoiceNum: number | null; paymentNum: number | null }, at: Date): void {
    this.db
      .prepare('UPDATE settlement_cycles SET posted_fee_invoice_num = ?, posted_payment_num = ?, posted_at = ? WHERE cycle_id = ?')
      .run(posted.feeInvoiceNum, posted.paymentNum, at.toISOString(), cycleId);
  }

  /**
   * Every line of a cycle or a month, a page at a time in line order (the export): never the whole month in memory.
   */
  *iterateLines(scope: { cycleId: string } | { month: string }, pageSize = 1000): Generator<PayoutLine[]> {
    const byCycle = 'cycleId' in scope;
    const statement = this.db.prepare(
      `SELECT * FROM settlement_lines WHERE ${byCycle ? 'cycle_id' : 'month'} = ? AND (coalesce(date_created, ''), line_id) > (?, ?)
       ORDER BY coalesce(date_created, ''), line_id LIMIT ?`,
    );
    let after: [string, string] = ['', ''];
    for (;;) {
      const rows = statement.all(byCycle ? scope.cycleId : scope.month, after[0], after[1], pageSize) as LineDbRow[];
      if (!rows.length) return;
      const last = rows[rows.length - 1]!;
      after = [last.date_created ?? '', last.line_id];
      yield rows.map(toPayoutLine);
      if (rows.length < pageSize) return;
    }
  }
}

function toPayoutLine(r: LineDbRow): PayoutLine {
  return {
    lineId: r.line_id,
    kind: r.kind,
    typeCode: r.type_code,
    amount: new Decimal(r.amount).toFixed(2),
    paymentState: r.payment_state,
    date: r.date_created,
    month: r.month,
    orderId: r.order_id,
    numAtCard: r.commercial_id,
    refundId: r.refund_id,
    class: r.class,
    sapDocument:
      r.sap_kind && r.sap_doc_entry !== null && r.sap_doc_num !== null ? { kind: r.sap_kind, docEntry: r.sap_doc_entry, docNum: r.sap_doc_num } : null,
    difference: r.diff_net !== null && r.diff_vat !== null ? { net: r.diff_net, vat: r.diff_vat } : null,
  };
}
