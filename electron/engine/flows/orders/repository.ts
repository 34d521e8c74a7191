import Decimal from 'decimal.js';
import type { Db } from '../../ledger/db';
import { Bindings, orderRef } from '../../ledger/bindings';
import { Timeline, type TimelineSource } from '../../ledger/timeline';
import type { MarketplaceOrder, MarketplaceOrderLine, OrderState, Raw } from '../../connectors/ports/marketplace';
import type { OrderStage } from '../../../../shared/domain/orders';

export interface OrderRow {
  orderId: string;
  commercialId: string | null;
  referenceForCustomer: string | null;
  numAtCard: string | null;
  /** Where the order is on the marketplace, in the console's words. */
  marketplaceState: OrderState;
  /** The marketplace's own code for it, for display. */
  stateCode: string | null;
  stage: OrderStage;
  taxMode: string | null;
  currency: string | null;
  totalPrice: string | null;
  createdDate: string | null;
  lastUpdatedDate: string | null;
  acceptanceDeadline: string | null;
  shippingDeadline: string | null;
  decision: 'accept' | 'refuse' | null;
  docEntry: number | null;
  docNum: number | null;
  sapTotal: string | null;
  rounding: string | null;
  firstSeenAt: string;
  updatedAt: string;
  postedAt: string | null;
}

export type EventSource = TimelineSource;
export interface OrderEvent {
  id: number;
  orderId: string;
  at: string;
  source: EventSource;
  summary: string;
  detail: unknown;
}

export interface VatMapping {
  id: number;
  taxCode: string | null;
  rate: string | null;
  vatGroup: string;
  source: 'operator' | 'derived';
  updatedBy: string;
  updatedAt: string;
}

interface Row {
  order_id: string;
  commercial_id: string | null;
  reference_for_customer: string | null;
  num_at_card: string | null;
  marketplace_state: OrderState;
  state_code: string | null;
  stage: OrderStage;
  tax_mode: string | null;
  currency: string | null;
  total_price: string | null;
  created_date: string | null;
  last_updated_date: string | null;
  acceptance_deadline: string | null;
  shipping_deadline: string | null;
  decision: 'accept' | 'refuse' | null;
  doc_entry: number | null;
  doc_num: number | null;
  sap_total: string | null;
  rounding: string | null;
  payload: string;
  first_seen_at: string;
  updated_at: string;
  posted_at: string | null;
}

const toRow = (r: Row): OrderRow => ({
  orderId: r.order_id,
  commercialId: r.commercial_id,
  referenceForCustomer: r.reference_for_customer,
  numAtCard: r.num_at_card,
  marketplaceState: r.marketplace_state,
  stateCode: r.state_code,
  stage: r.stage,
  taxMode: r.tax_mode,
  currency: r.currency,
  totalPrice: r.total_price,
  createdDate: r.created_date,
  lastUpdatedDate: r.last_updated_date,
  acceptanceDeadline: r.acceptance_deadline,
  shippingDeadline: r.shipping_deadline,
  decision: r.decision,
  docEntry: r.doc_entry,
  docNum: r.doc_num,
  sapTotal: r.sap_total,
  rounding: r.rounding,
  firstSeenAt: r.first_seen_at,
  updatedAt: r.updated_at,
  postedAt: r.posted_at,
});

/** Decimals survive JSON as strings; the stored order is read back with Decimal fields restored. */
const DECIMAL_KEYS = new Set(['price', 'shippingPrice', 'totalPrice', 'totalCommission', 'unitPrice', 'commissionFee', 'rate', 'amount']);

/** Where in the order's own record a line's record sits: `raw[key][index]`. */
type RawRef = [key: string, index: number];
type StoredLine = Omit<MarketplaceOrderLine, 'raw'> & { raw?: Raw; rawRef?: RawRef };

/**
 * The order as stored: the marketplace's record of the order holds its lines' records too, so each line keeps only
 * where its record sits in it (found by identity, whatever the platform calls the list). A line whose record is not
 * in the order's keeps its own, so nothing is lost.
 */
function storedOrder(order: MarketplaceOrder): string {
  const at = new Map<unknown, RawRef>();
  for (const [key, value] of Object.entries(order.raw ?? {})) if (Array.isArray(value)) value.forEach((item, index) => at.set(item, [key, index]));
  const lines: StoredLine[] = order.lines.map(({ raw, ...line }) => {
    const ref = at.get(raw);
    return ref ? { ...line, rawRef: ref } : { ...line, raw };
  });
  return JSON.stringify({ ...order, lines });
}

/**
 * Restores the Decimal fields of the console's reading of an order, never inside the marketplace's own records (`raw`):
 * there a `price` is whatever the marketplace sent ("12,50" included), kept as sent.
 */
function reviveDecimals(value: unknown, key = ''): unknown {
  if (key === 'raw') return value;
  if (DECIMAL_KEYS.has(key) && typeof value === 'string') return new Decimal(value);
  if (Array.isArray(value)) return value.map((v) => reviveDecimals(v));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, reviveDecimals(v, k)]));
  return value;
}

function reviveOrder(json: string): MarketplaceOrder {
  const stored = reviveDecimals(JSON.parse(json)) as Omit<MarketplaceOrder, 'lines'> & { lines: StoredLine[] };
  const lines = stored.lines.map(({ rawRef, raw, ...line }) => ({
    ...line,
    raw: rawRef ? ((stored.raw[rawRef[0]] as Raw[] | undefined)?.[rawRef[1]] ?? {}) : (raw ?? {}),
  }));
  return { ...stored, lines };
}

/** The binding `so` of order `o` to its Sales Order (there is at most one: `bindOnly`). */
export const SALES_ORDER_OF = "so.record_type = 'order' AND so.record_key = o.order_id AND so.system = 'sap-b1' AND so.entity = 'sales-order'";
/** An order with its Sales Order, read through the order's binding. */
const ORDERS_FROM = `FROM marketplace_orders o LEFT JOIN bindings so ON ${SALES_ORDER_OF}`;
const ORDERS = `SELECT o.*, CAST(so.external_id AS INTEGER) AS doc_entry, CAST(so.label AS INTEGER) AS doc_num ${ORDERS_FROM}`;

/**
 * The orders flow's tables: one repository, short transactions, paging and search done in SQLite. Which Sales
 * Order an order became is a binding, and its events go on the record's timeline, both shared with other flows.
 */
export class OrdersRepository {
  private readonly bindings: Bindings;
  private readonly timeline: Timeline;
  constructor(private readonly db: Db) {
    this.bindings = new Bindings(db);
    this.timeline = new Timeline(db);
  }

  /** Stores the order as the marketplace shows it now; a new order starts at `stage`. Returns the marketplace's previous state code. */
  upsert(order: MarketplaceOrder, numAtCard: string | null, stage: OrderStage, at: Date): { created: boolean; previousState: string | null } {
    const now = at.toISOString();
    return this.db.transaction(() => {
      const existing = this.db.prepare('SELECT state_code FROM marketplace_orders WHERE order_id = ?').get(order.orderId) as
        { state_code: string | null } | undefined;
      const payload = storedOrder(order);
      if (existing) {
        this.db
          .prepare(
            `UPDATE marketplace_orders SET commercial_id = ?, reference_for_customer = ?, num_at_card = coalesce(num_at_card, ?), marketplace_state = ?, state_code = ?, tax_mode = ?,
             currency = ?, total_price = ?, last_updated_date = ?, shipping_deadline = ?, payload = ?, updated_at = ? WHERE order_id = ?`,
          )
          .run(
            order.commercialId,
            order.referenceForCustomer,
            numAtCard,
            order.state,
            order.stateCode,
            order.taxMode,
            order.currency,
            order.totalPrice?.toFixed(2) ?? null,
            order.lastUpdatedDate,
            order.shippingDeadline,
            payload,
            now,
            order.orderId,
          );
      } else {
        this.db
          .prepare(
            `INSERT INTO marketplace_orders (order_id, commercial_id, reference_for_customer, num_at_card, marketplace_state, state_code, stage, tax_mode, currency, total_price,
             created_date, last_updated_date, acceptance_deadline, shipping_deadline, payload, first_seen_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            order.orderId,
            order.commercialId,
            order.referenceForCustomer,
            numAtCard,
            order.state,
            order.stateCode,
            stage,
            order.taxMode,
            order.currency,
            order.totalPrice?.toFixed(2) ?? null,
            order.createdDate,
            order.lastUpdatedDate,
            acceptanceDeadlineOf(order),
            order.shippingDeadline,
            payload,
            now,
            now,
          );
      }
      const line = this.db.prepare(
        `INSERT INTO marketplace_order_lines (order_id, order_line_id, sku, quantity, state, state_code, unit_price, price, shipping_price) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (order_id, order_line_id) DO UPDATE SET sku = excluded.sku, quantity = excluded.quantity, state = excluded.state, state_code = excluded.state_code,
         unit_price = excluded.unit_price, price = excluded.price, shipping_price = excluded.shipping_price`,
      );
      for (const l of order.lines) {
        line.run(
          order.orderId,
          l.orderLineId,
          l.sku,
          l.quantity,
          l.state,
          l.stateCode,
          l.unitPrice?.toFixed(2) ?? null,
          l.price?.toFixed(2) ?? null,
          l.shippingPrice?.toFixed(2) ?? null,
        );
      }
      return { created: !existing, previousState: existing?.state_code ?? null };
    })();
  }

  /** Runs fn in one ledger transaction (nested calls join it). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  get(orderId: string): OrderRow | null {
    const r = this.db.prepare(`${ORDERS} WHERE o.order_id = ?`).get(orderId) as Row | undefined;
    return r ? toRow(r) : null;
  }

  /** The marketplace order as last read (Decimals restored). */
  order(orderId: string): MarketplaceOrder | null {
    const json = this.db.prepare('SELECT payload FROM marketplace_orders WHERE order_id = ?').pluck().get(orderId) as string | undefined;
    return json ? reviveOrder(json) : null;
  }

  inStages(stages: readonly OrderStage[], limit = 10_000): OrderRow[] {
    const rows = this.db
      .prepare(`${ORDERS} WHERE o.stage IN (${stages.map(() => '?').join(',')}) ORDER BY o.created_date, o.order_id LIMIT ?`)
      .all(...stages, limit) as Row[];
    return rows.map(toRow);
  }

  /** Orders in `stages` the ledger has not touched since `before` (ISO), the longest untouched first. */
  untouchedSince(stages: readonly OrderStage[], before: string, limit: number): OrderRow[] {
    const rows = this.db
      .prepare(`${ORDERS} WHERE o.stage IN (${stages.map(() => '?').join(',')}) AND o.updated_at < ? ORDER BY o.updated_at, o.order_id LIMIT ?`)
      .all(...stages, before, limit) as Row[];
    return rows.map(toRow);
  }

  setStage(orderId: string, stage: OrderStage, at: Date): void {
    this.db.prepare('UPDATE marketplace_orders SET stage = ?, updated_at = ? WHERE order_id = ?').run(stage, at.toISOString(), orderId);
  }

  setDecision(orderId: string, decision: 'accept' | 'refuse' | null, at: Date): void {
    this.db.prepare('UPDATE marketplace_orders SET decision = ?, updated_at = ? WHERE order_id = ?').run(decision, at.toISOString(), orderId);
  }

  /** The Sales Order exists in SAP: recorded with the rounding that made its total the marketplace's. */
  markPosted(orderId: string, doc: { docEntry: number; docNum: number; sapTotal: Decimal; rounding: Decimal }, at: Date): void {
    this.transaction(() => {
      this.bindings.bindOnly(orderRef(orderId), { system: 'sap-b1', entity: 'sales-order', id: String(doc.docEntry), label: String(doc.docNum) }, at);
      this.db
        .prepare("UPDATE marketplace_orders SET stage = 'posted', sap_total = ?, rounding = ?, posted_at = ?, updated_at = ? WHERE order_id = ?")
        .run(doc.sapTotal.toFixed(2), doc.rounding.toFixed(2), at.toISOString(), at.toISOString(), orderId);
    });
  }

  /** The order's Sales Order is another one than recorded (a duplicate was closed): points the row at the one kept. */
  repointSalesOrder(orderId: string, doc: { docEntry: number; docNum: number; sapTotal: Decimal }, at: Date): void {
    this.transaction(() => {
      this.bindings.bindOnly(orderRef(orderId), { system: 'sap-b1', entity: 'sales-order', id: String(doc.docEntry), label: String(doc.docNum) }, at);
      this.db.prepare('UPDATE marketplace_orders SET sap_total = ?, updated_at = ? WHERE order_id = ?').run(doc.sapTotal.toFixed(2), at.toISOString(), orderId);
    });
  }

  list(filter: { stage?: OrderStage; search?: string; createdFrom?: string; createdBefore?: string; limit: number; offset: number }): {
    rows: OrderRow[];
    total: number;
  } {
    const where: string[] = [];
    const args: unknown[] = [];
    // The marketplace writes its dates in UTC ISO ('2026-11-30T09:14:00Z'); compared as instants, whatever their form.
    if (filter.createdFrom) {
      where.push('julianday(o.created_date) >= julianday(?)');
      args.push(filter.createdFrom);
    }
    if (filter.createdBefore) {
      where.push('julianday(o.created_date) < julianday(?)');
      args.push(filter.createdBefore);
    }
    if (filter.stage) {
      where.push('o.stage = ?');
      args.push(filter.stage);
    }
    if (filter.search) {
      const term = filter.search.trim();
      const like = `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      where.push(
        "(o.order_id LIKE ? ESCAPE '\\' OR o.commercial_id LIKE ? ESCAPE '\\' OR o.num_at_card LIKE ? ESCAPE '\\' OR o.reference_for_customer LIKE ? ESCAPE '\\' OR so.label = ?)",
      );
      args.push(like, like, like, like, term);
    }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = this.db
      .prepare(`SELECT count(*) ${ORDERS_FROM} ${clause}`)
      .pluck()
      .get(...args) as number;
    const rows = this.db
      .prepare(`${ORDERS} ${clause} ORDER BY o.created_date DESC, o.order_id DESC LIMIT ? OFFSET ?`)
      .all(...args, filter.limit, filter.offset) as Row[];
    return { rows: rows.map(toRow), total };
  }

  countByStage(): Record<string, number> {
    const rows = this.db.prepare('SELECT stage, count(*) AS n FROM marketplace_orders GROUP BY stage').all() as { stage: string; n: number }[];
    return Object.fromEntries(rows.map((r) => [r.stage, r.n]));
  }

  /** Adds to the order's timeline (shared with despatch and the flows after it). */
  event(orderId: string, source: EventSource, summary: string, at: Date, detail: unknown = null): void {
    this.timeline.add(orderRef(orderId), source, summary, at, detail);
  }

  events(orderId: string): OrderEvent[] {
    return this.timeline.of(orderRef(orderId)).map((e) => ({ id: e.id, orderId, at: e.at, source: e.source, summary: e.summary, detail: e.detail }));
  }

  // ---- mappings ---------------------------------------------------------------------------------------------

  /** SKU → ItemCode, through the SKU's binding: identity when it has none. */
  itemCodeFor(sku: string): string {
    return this.bindings.itemCodeFor(sku);
  }

  mapSku(sku: string, itemCode: string, at: Date): { before: string | null } {
    return this.bindings.mapSku(sku, itemCode, at);
  }

  skuMappings(filter: { search?: string; limit: number; offset: number }) {
    return this.bindings.skuMappings(filter);
  }

  vatMappings(): VatMapping[] {
    const rows = this.db.prepare('SELECT * FROM vat_mappings ORDER BY tax_code, rate').all() as {
      id: number;
      tax_code: string | null;
      rate: string | null;
      vat_group: string;
      source: 'operator' | 'derived';
      updated_by: string;
      updated_at: string;
    }[];
    return rows.map((r) => ({
      id: r.id,
      taxCode: r.tax_code,
      rate: r.rate,
      vatGroup: r.vat_group,
      source: r.source,
      updatedBy: r.updated_by,
      updatedAt: r.updated_at,
    }));
  }

  mapVat(
    input: { taxCode: string | null; rate: string | null; vatGroup: string; source: 'operator' | 'derived'; by: string },
    at: Date,
  ): { before: string | null } {
    return this.db.transaction(() => {
      const before =
        (this.db
          .prepare("SELECT vat_group FROM vat_mappings WHERE coalesce(tax_code,'') = ? AND coalesce(rate,'') = ?")
          .pluck()
          .get(input.taxCode ?? '', input.rate ?? '') as string | undefined) ?? null;
      this.db.prepare("DELETE FROM vat_mappings WHERE coalesce(tax_code,'') = ? AND coalesce(rate,'') = ?").run(input.taxCode ?? '', input.rate ?? '');
      this.db
        .prepare('INSERT INTO vat_mappings (tax_code, rate, vat_group, source, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(input.taxCode, input.rate, input.vatGroup, input.source, input.by, at.toISOString());
      return { before };
    })();
  }

  // ---- small state -----------------------------------------------------------------------------------------

  getState(key: string): string | null {
    return (this.db.prepare('SELECT value FROM orders_state WHERE key = ?').pluck().get(key) as string | undefined) ?? null;
  }

  setState(key: string, value: string): void {
    this.db.prepare('INSERT INTO orders_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  recordLease(view: { holder: string | null; until: string | null; heldByMe: boolean }, at: Date): void {
    this.db
      .prepare(
        `INSERT INTO order_posting_lease (id, holder, until, held_by_me, checked_at) VALUES (1, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET holder = excluded.holder, until = excluded.until, held_by_me = excluded.held_by_me, checked_at = excluded.checked_at`,
      )
      .run(view.holder, view.until, view.heldByMe ? 1 : 0, at.toISOString());
  }

  lease(): { holder: string | null; until: string | null; heldByMe: boolean; checkedAt: string } | null {
    const r = this.db.prepare('SELECT * FROM order_posting_lease WHERE id = 1').get() as
      { holder: string | null; until: string | null; held_by_me: number; checked_at: string } | undefined;
    return r ? { holder: r.holder, until: r.until, heldByMe: r.held_by_me === 1, checkedAt: r.checked_at } : null;
  }
}

/**
 * Mirakl does not send the acceptance deadline itself; the operator's auto-refusal delay is counted from the
 * order's creation. John Lewis' delay is not public: 2 days, as the emulator and most Mirakl operators use.
 */
export const ACCEPTANCE_WINDOW_MS = 2 * 24 * 60 * 60_000;
function acceptanceDeadlineOf(order: MarketplaceOrder): string | null {
  const created = order.createdDate ? Date.parse(order.createdDate) : NaN;
  return Number.isNaN(created) ? null : new Date(created + ACCEPTANCE_WINDOW_MS).toISOString();
}
