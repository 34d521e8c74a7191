import Decimal from 'decimal.js';
import type { Db } from '../../ledger/db';
import type { LineRefund, MarketplaceReturn, ReturnState, TaxAmount, TaxMode } from '../../connectors/ports/marketplace';
import type { RefundRequestState, RefundStage, ReturnStage } from '../../../../shared/domain/finance';

export interface ReturnLineRow {
  orderLineId: string;
  quantity: number;
}

export interface ReturnRow {
  returnId: string;
  rma: string | null;
  orderId: string | null;
  commercialId: string | null;
  marketplaceState: ReturnState;
  stateCode: string | null;
  stage: ReturnStage;
  reasonCode: string | null;
  lines: ReturnLineRow[];
  createdDate: string | null;
  lastUpdated: string | null;
  decision: string | null;
  receivedBy: string | null;
  receivedAt: string | null;
  receiptSentAt: string | null;
  sapReturnEntry: number | null;
  sapReturnNum: number | null;
  updatedAt: string;
}

export interface StoredTax {
  code: string | null;
  rate: string | null;
  amount: string | null;
}

export interface RefundRow {
  refundId: string;
  orderId: string;
  orderLineId: string;
  sku: string | null;
  quantity: number;
  amount: Decimal;
  shippingAmount: Decimal;
  taxes: StoredTax[];
  shippingTaxes: StoredTax[];
  taxMode: TaxMode;
  currency: string | null;
  reasonCode: string | null;
  marketplaceState: string | null;
  returnId: string | null;
  returnedQuantity: number;
  stage: RefundStage;
  creditMemoEntry: number | null;
  creditMemoNum: number | null;
  createdDate: string | null;
  updatedAt: string;
}

export interface RefundRequestLine {
  orderLineId: string;
  quantity: number;
  amount: string;
  shippingAmount: string;
  taxes: { code: string; amount: string }[];
  shippingTaxes: { code: string; amount: string }[];
}

export interface RefundRequestRow {
  id: number;
  orderId: string;
  request: { taxMode: TaxMode; reasonCode: string; lines: RefundRequestLine[] };
  state: RefundRequestState;
  actor: string;
  knownRefundIds: string[];
  refundIds: string[];
  error: string | null;
  createdAt: string;
  updatedAt: string;
}

const json = <T>(v: string | null, fallback: T): T => (v === null ? fallback : (JSON.parse(v) as T));
const taxes = (list: TaxAmount[]): StoredTax[] => list.map((t) => ({ code: t.code, rate: t.rate?.toString() ?? null, amount: t.amount?.toString() ?? null }));

/* eslint-disable @typescript-eslint/no-explicit-any -- rows come from SQLite and are shaped here */
const toReturn = (r: any): ReturnRow => ({
  returnId: r.return_id,
  rma: r.rma,
  orderId: r.order_id,
  commercialId: r.commercial_id,
  marketplaceState: r.marketplace_state,
  stateCode: r.state_code,
  stage: r.stage,
  reasonCode: r.reason_code,
  lines: json(r.lines, []),
  createdDate: r.created_date,
  lastUpdated: r.last_updated,
  decision: r.decision,
  receivedBy: r.received_by,
  receivedAt: r.received_at,
  receiptSentAt: r.receipt_sent_at,
  sapReturnEntry: r.sap_return_entry,
  sapReturnNum: r.sap_return_num,
  updatedAt: r.updated_at,
});

const toRefund = (r: any): RefundRow => ({
  refundId: r.refund_id,
  orderId: r.order_id,
  orderLineId: r.order_line_id,
  sku: r.sku,
  quantity: r.quantity,
  amount: new Decimal(r.amount),
  shippingAmount: new Decimal(r.shipping_amount),
  taxes: json(r.taxes, []),
  shippingTaxes: json(r.shipping_taxes, []),
  taxMode: r.tax_mode,
  currency: r.currency,
  reasonCode: r.reason_code,
  marketplaceState: r.marketplace_state,
  returnId: r.return_id,
  returnedQuantity: r.returned_quantity,
  stage: r.stage,
  creditMemoEntry: r.credit_memo_entry,
  creditMemoNum: r.credit_memo_num,
  createdDate: r.created_date,
  updatedAt: r.updated_at,
});

const toRequest = (r: any): RefundRequestRow => ({
  id: r.id,
  orderId: r.order_id,
  request: JSON.parse(r.request),
  state: r.state,
  actor: r.actor,
  knownRefundIds: json(r.known_refund_ids, []),
  refundIds: json(r.refund_ids, []),
  error: r.error,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});
/* eslint-enable @typescript-eslint/no-explicit-any */

/** Where a return starts in the console, from the marketplace's state (a stage of ours that went further stays). */
export function stageFromMarketplace(state: ReturnState): ReturnStage | null {
  switch (state) {
    case 'awaiting-acceptance':
      return 'awaiting-acceptance';
    case 'in-progress':
      return 'awaiting-goods';
    case 'received':
      return 'received';
    case 'refused':
      return 'refused';
    case 'not-received':
    case 'cancelled':
      return 'closed';
    default:
      return null;
  }
}

/**
 * A known return's stage after the marketplace's news: credited stays; closed or refused on the marketplace wins over
 * anything else; goods we are booking in (or a problem a person is on) stay ours, except that the marketplace showing
 * the return received settles a receipt we were sending; before that, the marketplace's state leads.
 */
function nextStage(before: ReturnStage | null, fromMarketplace: ReturnStage | null): ReturnStage {
  // A new return in a state the console does not know waits for a person: nothing is sent for it on a guess.
  if (before === null) return fromMarketplace ?? 'blocked';
  if (before === 'credited' || fromMarketplace === null) return before;
  if (fromMarketplace === 'closed' || fromMarketplace === 'refused') return fromMarketplace;
  if (before === 'receiving' && fromMarketplace === 'received') return 'received';
  if (before === 'receiving' || before === 'received' || before === 'blocked') return before;
  return fromMarketplace;
}

export interface ListQuery {
  stage?: string;
  search?: string;
  limit: number;
  offset: number;
}

/** The returns flow's tables: returns, refunds, refund requests and the flow's own watermarks. */
export class ReturnsRepository {
  constructor(readonly db: Db) {}

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  getState(key: string): string | null {
    return (this.db.prepare('SELECT value FROM returns_flow_state WHERE key = ?').pluck().get(key) as string | undefined) ?? null;
  }

  setState(key: string, value: string): void {
    this.db.prepare('INSERT INTO returns_flow_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  clearState(key: string): void {
    this.db.prepare('DELETE FROM returns_flow_state WHERE key = ?').run(key);
  }

  // ---- returns --------------------------------------------------------------------------------------------------

  getReturn(returnId: string): ReturnRow | null {
    const row = this.db.prepare('SELECT * FROM returns WHERE return_id = ?').get(returnId);
    return row ? toReturn(row) : null;
  }

  /**
   * Stores a return as the marketplace states it. A new one takes its stage from the marketplace's state; a known one
   * moves only where the marketplace went somewhere ours does not already cover (closed, refused, received elsewhere).
   */
  upsertReturn(r: MarketplaceReturn, at: Date): { created: boolean; before: ReturnRow | null; after: ReturnRow } {
    const before = this.getReturn(r.id);
    const stage = nextStage(before?.stage ?? null, stageFromMarketplace(r.state));
    const lines = r.lines.filter((l) => l.orderLineId).map((l) => ({ orderLineId: l.orderLineId!, quantity: l.quantity ?? 0 }));
    this.db
      .prepare(
        `INSERT INTO returns (return_id, rma, order_id, commercial_id, marketplace_state, state_code, stage, reason_code, lines, created_date, last_updated, updated_at)
         VALUES (@id, @rma, @orderId, @commercialId, @state, @stateCode, @stage, @reasonCode, @lines, @createdDate, @lastUpdated, @at)
         ON CONFLICT (return_id) DO UPDATE SET rma = excluded.rma, order_id = coalesce(excluded.order_id, order_id), commercial_id = coalesce(excluded.commercial_id, commercial_id),
           marketplace_state = excluded.marketplace_state, state_code = excluded.state_code, stage = excluded.stage, reason_code = excluded.reason_code,
           lines = excluded.lines, last_updated = excluded.last_updated, updated_at = excluded.updated_at`,
      )
      .run({
        id: r.id,
        rma: r.rma,
        orderId: r.orderId,
        commercialId: r.commercialId,
        state: r.state,
        stateCode: r.stateCode,
        stage,
        reasonCode: r.reasonCode,
        lines: JSON.stringify(lines),
        createdDate: r.createdDate,
        lastUpdated: r.lastUpdated,
        at: at.toISOString(),
      });
    return { created: !before, before, after: this.getReturn(r.id)! };
  }

  setReturnStage(returnId: string, stage: ReturnStage, at: Date): void {
    this.db.prepare('UPDATE returns SET stage = ?, updated_at = ? WHERE return_id = ?').run(stage, at.toISOString(), returnId);
  }

  setDecision(returnId: string, decision: string | null, at: Date): void {
    this.db.prepare('UPDATE returns SET decision = ?, updated_at = ? WHERE return_id = ?').run(decision, at.toISOString(), returnId);
  }

  /** The goods are back (a person said so, or the warehouse keyed a Return in SAP): RT25 is due. */
  markReceived(returnId: string, by: string, at: Date, sapReturn?: { docEntry: number; docNum: number }): void {
    this.db
      .prepare(
        `UPDATE returns SET stage = 'receiving', received_by = ?, received_at = ?, sap_return_entry = coalesce(?, sap_return_entry),
           sap_return_num = coalesce(?, sap_return_num), updated_at = ? WHERE return_id = ?`,
      )
      .run(by, at.toISOString(), sapReturn?.docEntry ?? null, sapReturn?.docNum ?? null, at.toISOString(), returnId);
  }

  receiptSent(returnId: string, at: Date): void {
    this.db
      .prepare("UPDATE returns SET stage = 'received', receipt_sent_at = ?, updated_at = ? WHERE return_id = ? AND stage IN ('receiving', 'blocked')")
      .run(at.toISOString(), at.toISOString(), returnId);
  }

  returnsInStages(stages: readonly ReturnStage[], limit = 1000): ReturnRow[] {
    if (!stages.length) return [];
    return this.db
      .prepare(`SELECT * FROM returns WHERE stage IN (${stages.map(() => '?').join(',')}) ORDER BY updated_at LIMIT ?`)
      .all(...stages, limit)
      .map(toReturn);
  }

  returnsOfOrder(orderId: string): ReturnRow[] {
    return this.db.prepare('SELECT * FROM returns WHERE order_id = ? ORDER BY created_date, return_id').all(orderId).map(toReturn);
  }

  listReturns(q: ListQuery): { rows: ReturnRow[]; total: number } {
    const { where, params } = filter(q, ['return_id', 'rma', 'order_id', 'commercial_id']);
    const total = this.db
      .prepare(`SELECT count(*) FROM returns ${where}`)
      .pluck()
      .get(...params) as number;
    const rows = this.db
      .prepare(`SELECT * FROM returns ${where} ORDER BY coalesce(created_date, updated_at) DESC, return_id LIMIT ? OFFSET ?`)
      .all(...params, q.limit, q.offset)
      .map(toReturn);
    return { rows, total };
  }

  // ---- refunds --------------------------------------------------------------------------------------------------

  getRefund(refundId: string): RefundRow | null {
    const row = this.db.prepare('SELECT * FROM refunds WHERE refund_id = ?').get(refundId);
    return row ? toRefund(row) : null;
  }

  /** Stores a refund the marketplace shows on a line; a known one only takes the marketplace's newer state. */
  upsertRefund(
    input: { orderId: string; orderLineId: string; sku: string | null; taxMode: TaxMode; currency: string | null; refund: LineRefund },
    at: Date,
  ): boolean {
    const r = input.refund;
    const { changes } = this.db
      .prepare(
        `INSERT INTO refunds (refund_id, order_id, order_line_id, sku, quantity, amount, shipping_amount, taxes, shipping_taxes, tax_mode, currency,
           reason_code, marketplace_state, stage, created_date, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'due', ?, ?)
         ON CONFLICT (refund_id) DO NOTHING`,
      )
      .run(
        r.refundId,
        input.orderId,
        input.orderLineId,
        input.sku,
        r.quantity,
        r.amount.toString(),
        r.shippingAmount.toString(),
        JSON.stringify(taxes(r.taxes)),
        JSON.stringify(taxes(r.shippingTaxes)),
        input.taxMode,
        input.currency,
        r.reasonCode,
        r.stateCode,
        r.createdDate ?? at.toISOString(),
        at.toISOString(),
      );
    if (!changes)
      this.db.prepare('UPDATE refunds SET marketplace_state = ? WHERE refund_id = ? AND marketplace_state IS NOT ?').run(r.stateCode, r.refundId, r.stateCode);
    return changes > 0;
  }

  setRefundStage(refundId: string, stage: RefundStage, at: Date): void {
    this.db.prepare('UPDATE refunds SET stage = ?, updated_at = ? WHERE refund_id = ?').run(stage, at.toISOString(), refundId);
  }

  linkReturn(refundId: string, returnId: string | null, returnedQuantity: number): void {
    this.db.prepare('UPDATE refunds SET return_id = ?, returned_quantity = ? WHERE refund_id = ?').run(returnId, returnedQuantity, refundId);
  }

  credited(refundId: string, doc: { docEntry: number; docNum: number }, at: Date): void {
    this.db
      .prepare("UPDATE refunds SET stage = 'credited', credit_memo_entry = ?, credit_memo_num = ?, updated_at = ? WHERE refund_id = ?")
      .run(doc.docEntry, doc.docNum, at.toISOString(), refundId);
  }

  refundsInStages(stages: readonly RefundStage[], limit = 1000): RefundRow[] {
    if (!stages.length) return [];
    return this.db
      .prepare(`SELECT * FROM refunds WHERE stage IN (${stages.map(() => '?').join(',')}) ORDER BY created_date, refund_id LIMIT ?`)
      .all(...stages, limit)
      .map(toRefund);
  }

  refundsOfOrder(orderId: string): RefundRow[] {
    return this.db.prepare('SELECT * FROM refunds WHERE order_id = ? ORDER BY created_date, refund_id').all(orderId).map(toRefund);
  }

  /** Units of a returned line already paid back with their goods (by refunds other than `except`). */
  returnedQuantityCredited(returnId: string, orderLineId: string, except: string): number {
    return this.db
      .prepare('SELECT coalesce(sum(returned_quantity), 0) FROM refunds WHERE return_id = ? AND order_line_id = ? AND refund_id <> ?')
      .pluck()
      .get(returnId, orderLineId, except) as number;
  }

  /** A return whose every returned unit is paid back by a credited refund becomes credited. */
  settleReturnIfCredited(returnId: string, at: Date): void {
    const ret = this.getReturn(returnId);
    if (!ret || ret.stage === 'credited') return;
    const covered = ret.lines.every(
      (l) =>
        (this.db
          .prepare("SELECT coalesce(sum(returned_quantity), 0) FROM refunds WHERE return_id = ? AND order_line_id = ? AND stage = 'credited'")
          .pluck()
          .get(returnId, l.orderLineId) as number) >= l.quantity,
    );
    if (covered) this.setReturnStage(returnId, 'credited', at);
  }

  listRefunds(q: ListQuery): { rows: RefundRow[]; total: number } {
    const { where, params } = filter(q, ['refund_id', 'order_id', 'return_id', 'sku']);
    const total = this.db
      .prepare(`SELECT count(*) FROM refunds ${where}`)
      .pluck()
      .get(...params) as number;
    const rows = this.db
      .prepare(`SELECT * FROM refunds ${where} ORDER BY created_date DESC, refund_id LIMIT ? OFFSET ?`)
      .all(...params, q.limit, q.offset)
      .map(toRefund);
    return { rows, total };
  }

  // ---- refund requests (OR28 from the console) -------------------------------------------------------------------

  recordRequest(input: Omit<RefundRequestRow, 'id' | 'state' | 'refundIds' | 'error' | 'createdAt' | 'updatedAt'>, at: Date): RefundRequestRow {
    const row = this.db
      .prepare(
        `INSERT INTO refund_requests (order_id, request, state, actor, known_refund_ids, created_at, updated_at) VALUES (?, ?, 'sending', ?, ?, ?, ?) RETURNING *`,
      )
      .get(input.orderId, JSON.stringify(input.request), input.actor, JSON.stringify(input.knownRefundIds), at.toISOString(), at.toISOString());
    return toRequest(row);
  }

  settleRequest(id: number, state: RefundRequestState, at: Date, detail: { refundIds?: string[]; error?: string | null } = {}): RefundRequestRow {
    return toRequest(
      this.db
        .prepare('UPDATE refund_requests SET state = ?, refund_ids = coalesce(?, refund_ids), error = ?, updated_at = ? WHERE id = ? RETURNING *')
        .get(state, detail.refundIds ? JSON.stringify(detail.refundIds) : null, detail.error ?? null, at.toISOString(), id),
    );
  }

  requestsOfOrder(orderId: string, limit = 20): RefundRequestRow[] {
    return this.db.prepare('SELECT * FROM refund_requests WHERE order_id = ? ORDER BY id DESC LIMIT ?').all(orderId, limit).map(toRequest);
  }

  requestsInStates(states: readonly RefundRequestState[]): RefundRequestRow[] {
    return this.db
      .prepare(`SELECT * FROM refund_requests WHERE state IN (${states.map(() => '?').join(',')}) ORDER BY id`)
      .all(...states)
      .map(toRequest);
  }
}

function filter(q: ListQuery, searchable: string[]): { where: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  if (q.stage) {
    clauses.push('stage = ?');
    params.push(q.stage);
  }
  if (q.search?.trim()) {
    const like = `%${q.search.trim().replace(/[%_]/g, (c) => `\\${c}`)}%`;
    clauses.push(`(${searchable.map((c) => `${c} LIKE ? ESCAPE '\\'`).join(' OR ')})`);
    params.push(...searchable.map(() => like));
  }
  return { where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}
