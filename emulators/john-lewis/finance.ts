import type Decimal from 'decimal.js';
import { fail, ok, seekRequest, type Ctx, type Reply } from './http';
import { d, money } from './money';
import type { EmuBillingCycle, EmuInvoice, EmuTransaction } from './model';
import type { EmulatorState } from './state';
import { PAYMENT_STATES, TRANSACTION_TYPES } from './transactions';

export { closeBillingCycle } from './billing';

/** TL02 listings kept for their page tokens (a few readers at once); an older one is rebuilt from its token. */
const LISTINGS_KEPT = 8;

/** A list parameter as Mirakl takes it: repeated, or comma-joined. */
const listParam = (query: URLSearchParams, name: string) =>
  query
    .getAll(name)
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');

/** Rates as the spec's example shows them: `order_tax.rate` a fraction (0.2), `shop_tax.rate` a percentage (20). */
const rateJson = (rate: Decimal, asPercent: boolean) =>
  (JSON as unknown as { rawJSON(text: string): unknown }).rawJSON((asPercent ? rate.times(100) : rate).toDecimalPlaces(4).toString());

function txJson(state: EmulatorState, t: EmuTransaction) {
  const iso = (ms: number) => state.clock.iso(ms);
  const order = state.orders.get(t.orderId ?? '');
  const entities: Record<string, unknown> = { domain: 'PRODUCT' };
  if (t.orderId !== null)
    entities.order = {
      id: t.orderId,
      commercial_id: t.commercialId,
      ...(t.orderCreatedMs !== null ? { creation_date: iso(t.orderCreatedMs) } : {}),
      // As OR11 shows them on the order.
      ...(order ? { references: { order_reference_for_customer: `JL${order.commercialId}` } } : {}),
    };
  if (t.orderLineId !== null) entities.order_line = { id: t.orderLineId };
  if (t.refundId !== null) entities.refund = { id: t.refundId };
  if (t.orderTax) entities.order_tax = { code: t.orderTax.code, rate: rateJson(t.orderTax.rate, false) };
  if (t.shopTax) entities.shop_tax = { code: t.shopTax.code, rate: rateJson(t.shopTax.rate, true) };
  if (t.manualDocument) entities.manual_accounting_document = { number: t.manualDocument.number, emission_date: iso(t.manualDocument.emissionMs) };
  return {
    id: t.id,
    type: t.type,
    amount: money(t.amount),
    amount_credited: money(t.amount.isPositive() ? t.amount : d(0)),
    amount_debited: money(t.amount.isNegative() ? t.amount.neg() : d(0)),
    balance: money(t.balance),
    psp_balance: money(t.balance),
    currency_iso_code: state.config.currency,
    date_created: iso(t.createdMs),
    last_updated: iso(t.lastUpdatedMs),
    payment_state: t.paymentState,
    pay_out_psp_code: 'NOT_SPECIFIED',
    ...(t.billingCycleId !== null ? { seller_billing_cycle_id: t.billingCycleId } : {}),
    ...(t.accountingDocumentNumber !== null ? { accounting_document_number: t.accountingDocumentNumber } : {}),
    ...(t.accountingDocumentMs !== null ? { accounting_document_creation_date: iso(t.accountingDocumentMs) } : {}),
    // Not in the schema, but in the spec's own example: the payout's voucher and the shop.
    ...(t.paymentVoucherNumber !== null ? { payment_voucher_number: t.paymentVoucherNumber } : {}),
    entities,
    shop: { id: state.config.shopId, model: state.config.shopModel, domains: ['PRODUCT'] },
  };
}

type Listing = { items: EmuTransaction[] } | Reply;

const dateParam = (query: URLSearchParams, name: string): number | null | Reply => {
  const v = query.get(name);
  if (v === null) return null;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? fail(400, `${name} is not a date-time: ${v}`) : ms;
};

/** The TL02 listing a query asks for: filtered (from the cycle's or the order's index, not every line) and sorted. */
function buildListing(state: EmulatorState, query: URLSearchParams): Listing {
  const cycles = listParam(query, 'seller_billing_cycle_id');
  const orders = listParam(query, 'order_id');
  const orderLines = new Set(listParam(query, 'order_line_id'));
  const states = listParam(query, 'payment_state');
  const types = listParam(query, 'transaction_type');
  const models = listParam(query, 'shop_model');
  const document = query.get('accounting_document_number');
  for (const s of states) if (!(PAYMENT_STATES as readonly string[]).includes(s)) return fail(400, `Unknown payment_state ${s}`);
  for (const t of types) if (!(TRANSACTION_TYPES as readonly string[]).includes(t)) return fail(400, `Unknown transaction_type ${t}`);
  const bounds: Record<string, number | null> = {};
  for (const name of ['date_created_from', 'date_created_to', 'transaction_date_from', 'transaction_date_to', 'last_updated_from']) {
    const v = dateParam(query, name);
    if (v !== null && typeof v === 'object') return v;
    bounds[name] = v;
  }
  const [field = 'dateCreated', direction = 'DESC'] = (query.get('sort') ?? 'dateCreated').split(',').map((x) => x.trim());
  const byLastUpdated = ['lastUpdated', 'last_updated'].includes(field);
  if (!byLastUpdated && !['dateCreated', 'date_created'].includes(field)) return fail(400, `Unknown sort field ${field}`);
  if (!['ASC', 'DESC'].includes(direction.toUpperCase())) return fail(400, `Unknown sort direction ${direction}`);

  let candidates: readonly EmuTransaction[] = state.transactions;
  if (cycles.length) candidates = cycles.flatMap((c) => state.transactionsByCycle.get(c) ?? []);
  else if (orders.length) candidates = orders.flatMap((o) => state.transactionsByOrder.get(o) ?? []);
  const within = (ms: number, from: number | null, to: number | null) => (from === null || ms >= from) && (to === null || ms <= to);
  const items = candidates.filter(
    (t) =>
      (!orders.length || (t.orderId !== null && orders.includes(t.orderId))) &&
      (!orderLines.size || (t.orderLineId !== null && orderLines.has(t.orderLineId))) &&
      (!states.length || states.includes(t.paymentState)) &&
      (!types.length || types.includes(t.type)) &&
      (!models.length || models.includes(state.config.shopModel)) &&
      (document === null || t.accountingDocumentNumber === document) &&
      within(t.createdMs, bounds.date_created_from!, bounds.date_created_to!) &&
      within(t.createdMs, bounds.transaction_date_from!, bounds.transaction_date_to!) &&
      within(t.lastUpdatedMs, bounds.last_updated_from!, null),
  );
  const sign = direction.toUpperCase() === 'ASC' ? 1 : -1;
  items.sort((a, b) => sign * ((byLastUpdated ? a.lastUpdatedMs - b.lastUpdatedMs : a.createdMs - b.createdMs) || a.seq - b.seq));
  return { items };
}

/** The listing's own parameters, in a fixed order: the key its page tokens carry. */
function listingKey(query: URLSearchParams): string {
  const own = [...query].filter(([k]) => !['limit', 'page_token', 'shop_id'].includes(k));
  own.sort(([a, x], [b, y]) => a.localeCompare(b) || x.localeCompare(y));
  return new URLSearchParams(own).toString();
}

const tokenOf = (offset: number, key: string) => Buffer.from(JSON.stringify({ offset, listing: key })).toString('base64url');

/**
 * TL02: seek paging, `limit` ≤ 2000, sorted by `dateCreated` (default) or `lastUpdated`, newest first unless
 * `,ASC`. A page token carries its listing (Mirakl ignores every other parameter beside it); the listing is kept
 * while it is read, so each further page is a slice, not a new scan of every line.
 */
export function listTransactions(ctx: Ctx): Reply {
  const { state, query } = ctx;
  const page = seekRequest(query, 2000);
  if ('status' in page) return page;
  let key: string;
  let items = undefined as EmuTransaction[] | undefined;
  if (page.continued) {
    let listing: unknown;
    try {
      listing = (JSON.parse(Buffer.from(query.get('page_token')!, 'base64url').toString('utf8')) as { listing?: unknown }).listing;
    } catch {
      listing = undefined;
    }
    if (typeof listing !== 'string') return fail(400, 'Invalid page_token');
    key = listing;
    items = state.transactionListings.get(key);
  } else key = listingKey(query);
  if (!items) {
    const built = buildListing(state, new URLSearchParams(key));
    if ('status' in built) return built;
    items = built.items;
  }
  // Newest last; the oldest listing goes once more are kept.
  state.transactionListings.delete(key);
  state.transactionListings.set(key, items);
  while (state.transactionListings.size > LISTINGS_KEPT) state.transactionListings.delete(state.transactionListings.keys().next().value!);
  const { limit, offset } = page;
  return ok({
    data: items.slice(offset, offset + limit).map((t) => txJson(state, t)),
    ...(offset + limit < items.length ? { next_page_token: tokenOf(offset + limit, key) } : {}),
    ...(offset > 0 ? { previous_page_token: tokenOf(Math.max(0, offset - limit), key) } : {}),
  });
}

/** The cycle's totals as SBC11 `summary` has them, from the shop's side (credits positive), each line counted once. */
const SUMMARY_OF: Readonly<Record<string, readonly [string, 'excl' | 'tax']>> = {
  ORDER_AMOUNT: ['payable_orders', 'excl'],
  ORDER_SHIPPING_AMOUNT: ['payable_orders', 'excl'],
  ORDER_AMOUNT_TAX: ['payable_orders', 'tax'],
  ORDER_SHIPPING_AMOUNT_TAX: ['payable_orders', 'tax'],
  ORDER_FEE_AMOUNT: ['fee', 'excl'],
  COMMISSION_FEE: ['commissions', 'excl'],
  COMMISSION_VAT: ['commissions', 'tax'],
  PURCHASE_COMMISSION_FEE: ['commissions', 'excl'],
  PURCHASE_SHIPPING_COMMISSION_FEE: ['commissions', 'excl'],
  PURCHASE_FEE_COMMISSION_FEE: ['commissions', 'excl'],
  REFUND_COMMISSION_FEE: ['refund_commissions', 'excl'],
  REFUND_COMMISSION_VAT: ['refund_commissions', 'tax'],
  REFUND_PURCHASE_COMMISSION_FEE: ['refund_commissions', 'excl'],
  REFUND_PURCHASE_SHIPPING_COMMISSION_FEE: ['refund_commissions', 'excl'],
  REFUND_PURCHASE_FEE_COMMISSION_FEE: ['refund_commissions', 'excl'],
  REFUND_ORDER_AMOUNT: ['refund_payable_orders', 'excl'],
  REFUND_ORDER_SHIPPING_AMOUNT: ['refund_payable_orders', 'excl'],
  REFUND_ORDER_AMOUNT_TAX: ['refund_payable_orders', 'tax'],
  REFUND_ORDER_SHIPPING_AMOUNT_TAX: ['refund_payable_orders', 'tax'],
  REFUND_ORDER_FEE_AMOUNT: ['refund_fee', 'excl'],
  SUBSCRIPTION_FEE: ['subscription', 'excl'],
  SUBSCRIPTION_VAT: ['subscription', 'tax'],
  MANUAL_INVOICE: ['other_invoices', 'excl'],
  MANUAL_INVOICE_VAT: ['other_invoices', 'tax'],
  INVOICEABLE_ONE_OFF_DEBIT: ['other_invoices', 'excl'],
  INVOICEABLE_ONE_OFF_DEBIT_TAX: ['other_invoices', 'tax'],
  MANUAL_CREDIT: ['other_credits', 'excl'],
  MANUAL_CREDIT_VAT: ['other_credits', 'tax'],
  INVOICEABLE_ONE_OFF_CREDIT: ['other_credits', 'excl'],
  INVOICEABLE_ONE_OFF_CREDIT_TAX: ['other_credits', 'tax'],
  SELLER_FEE_ON_ORDER: ['seller_fees_on_orders', 'excl'],
  SELLER_FEE_ON_ORDER_TAX: ['seller_fees_on_orders', 'tax'],
  SELLER_PENALTY_FEE: ['seller_penalty_fees', 'excl'],
  SELLER_PENALTY_FEE_TAX: ['seller_penalty_fees', 'tax'],
  OPERATOR_PAID_ORDER_SHIPPING_AMOUNT: ['operator_paid_shipping_charges', 'excl'],
  OPERATOR_PAID_ORDER_SHIPPING_AMOUNT_TAX: ['operator_paid_shipping_charges', 'tax'],
  OPERATOR_PAID_REFUND_ORDER_SHIPPING_AMOUNT: ['refund_operator_paid_shipping_charges', 'excl'],
  OPERATOR_PAID_REFUND_ORDER_SHIPPING_AMOUNT_TAX: ['refund_operator_paid_shipping_charges', 'tax'],
  OPERATOR_REMITTED_ORDER_FEE_AMOUNT: ['fee_operator_remitted', 'excl'],
  OPERATOR_REMITTED_REFUND_ORDER_FEE_AMOUNT: ['refund_fee_operator_remitted', 'excl'],
};
const SUMMARY_GROUPS = [
  'commissions',
  'fee',
  'fee_operator_remitted',
  'non_payable_orders',
  'operator_paid_shipping_charges',
  'other_credits',
  'other_invoices',
  'payable_orders',
  'refund_commissions',
  'refund_fee',
  'refund_fee_operator_remitted',
  'refund_non_payable_orders',
  'refund_operator_paid_shipping_charges',
  'refund_orders',
  'refund_payable_orders',
  'seller_fees_on_orders',
  'seller_penalty_fees',
  'subscription',
];

function summaryJson(lines: readonly EmuTransaction[]) {
  const excl = new Map<string, Decimal>();
  const incl = new Map<string, Decimal>();
  const single = new Map<string, Decimal>();
  const add = (m: Map<string, Decimal>, k: string, v: Decimal) => m.set(k, (m.get(k) ?? d(0)).plus(v));
  for (const t of lines) {
    if (t.type.startsWith('OPERATOR_REMITTED_') && t.type.endsWith('_TAX'))
      add(single, t.type.includes('REFUND') ? 'total_refund_operator_remitted_taxes' : 'total_operator_remitted_taxes', t.amount);
    else if (/^(REFUND_)?PURCHASE_ORDER_.*_TAX$/.test(t.type))
      add(single, t.type.startsWith('REFUND') ? 'total_refund_purchase_taxes' : 'total_purchase_taxes', t.amount);
    const found = SUMMARY_OF[t.type];
    if (!found) continue;
    const part = found[1];
    let group = found[0];
    // Orders the marketplace does not collect for: shown, never paid.
    if (t.paymentState === 'NOT_APPLICABLE' && group.endsWith('payable_orders')) group = group.replace('payable_orders', 'non_payable_orders');
    if (part === 'excl') add(excl, group, t.amount);
    add(incl, group, t.amount);
    if (group === 'refund_payable_orders' || group === 'refund_non_payable_orders') {
      if (part === 'excl') add(excl, 'refund_orders', t.amount);
      add(incl, 'refund_orders', t.amount);
    }
  }
  const out: Record<string, unknown> = {};
  for (const g of SUMMARY_GROUPS) {
    out[`total_${g}_excl_tax`] = money(excl.get(g) ?? d(0));
    out[`total_${g}_incl_tax`] = money(incl.get(g) ?? d(0));
  }
  for (const k of ['total_operator_remitted_taxes', 'total_refund_operator_remitted_taxes', 'total_purchase_taxes', 'total_refund_purchase_taxes'])
    out[k] = money(single.get(k) ?? d(0));
  return out;
}

function cycleJson(state: EmulatorState, c: EmuBillingCycle) {
  const paid = c.payOutState === 'PAID';
  return {
    id: c.id,
    date_created: state.clock.iso(c.createdMs),
    currency_iso_code: state.config.currency,
    amount_transferred_to_seller: money(c.amountToSeller),
    amount_transferred_to_operator: money(c.amountToOperator),
    payment_voucher_number: c.paymentVoucherNumber,
    pay_out: { state: c.payOutState, ...(paid ? { reference: c.payOutReference, transaction_date: state.clock.iso(c.paidMs!) } : {}) },
    pay_out_psp_code: 'NOT_SPECIFIED',
    shop: { shop_id: state.config.shopId, shop_name: state.config.shopName, shop_model: state.config.shopModel },
    summary: summaryJson(state.transactionsByCycle.get(c.id) ?? []),
  };
}

/**
 * SBC11: billing cycles with their payout and totals. Seek paging (`limit` ≤ 1000), sorted by creation date (oldest
 * first); filters `id`, `start_date`/`end_date` (creation, inclusive), `pay_out_state`, `currency`.
 */
export function listBillingCycles(ctx: Ctx): Reply {
  const { state, query } = ctx;
  const page = seekRequest(query, 1000);
  if ('status' in page) return page;
  // A token carries the listing as it was asked (Mirakl ignores the other parameters beside one).
  let listingQuery = query;
  if (page.continued) {
    try {
      listingQuery = new URLSearchParams((JSON.parse(Buffer.from(query.get('page_token')!, 'base64url').toString('utf8')) as { listing: string }).listing);
    } catch {
      return fail(400, 'Invalid page_token');
    }
  }
  const ids = listParam(listingQuery, 'id');
  const states = listParam(listingQuery, 'pay_out_state');
  const currencies = listParam(listingQuery, 'currency');
  const from = dateParam(listingQuery, 'start_date');
  const to = dateParam(listingQuery, 'end_date');
  if (from !== null && typeof from === 'object') return from;
  if (to !== null && typeof to === 'object') return to;
  const all = state.cycles.filter(
    (c) =>
      (!ids.length || ids.includes(c.id)) &&
      (!states.length || states.includes(c.payOutState)) &&
      (!currencies.length || currencies.includes(state.config.currency)) &&
      (from === null || c.createdMs >= from) &&
      (to === null || c.createdMs <= to),
  );
  const key = listingKey(listingQuery);
  const { limit, offset } = page;
  return ok({
    data: all.slice(offset, offset + limit).map((c) => cycleJson(state, c)),
    ...(offset + limit < all.length ? { next_page_token: tokenOf(offset + limit, key) } : {}),
    ...(offset > 0 ? { previous_page_token: tokenOf(Math.max(0, offset - limit), key) } : {}),
  });
}

const taxListJson = (taxes: readonly { code: string; amount: Decimal }[]) => taxes.map((t) => ({ code: t.code, amount: money(t.amount) }));

function invoiceJson(state: EmulatorState, i: EmuInvoice) {
  const iso = (ms: number) => state.clock.iso(ms);
  const totals = new Map<string, Decimal>();
  for (const x of i.details) for (const t of x.taxes) totals.set(t.code, (totals.get(t.code) ?? d(0)).plus(t.amount));
  const cycle = state.cycles.find((c) => c.id === i.billingCycleId);
  return {
    invoice_id: i.invoiceId,
    id: i.uuid,
    type: i.type,
    state: 'COMPLETE',
    date_created: iso(i.createdMs),
    issue_date: iso(i.createdMs),
    due_date: iso(i.createdMs),
    currency_iso_code: state.config.currency,
    shop_id: state.config.shopId,
    shop_name: state.config.shopName,
    shop_model: state.config.shopModel,
    total_amount_excl_taxes: money(i.totalExcl),
    total_amount_incl_taxes: money(i.totalExcl.plus(i.taxes)),
    total_charged_amount: money(i.totalExcl.plus(i.taxes)),
    total_taxes: taxListJson([...totals].map(([code, amount]) => ({ code, amount }))),
    details: i.details.map((x) => ({
      description: x.description,
      quantity: x.quantity,
      amount_excl_taxes: money(x.amountExcl),
      taxes: taxListJson(x.taxes),
      ...(x.orderId ? { order_id: x.orderId } : {}),
      ...(x.operationMs ? { operation_date: iso(x.operationMs) } : {}),
    })),
    issuing_user: i.issuedBy === 'BATCH' ? { type: 'BATCH', information: 'Automatic action' } : { type: 'OPERATOR', information: 'finance@johnlewis.example' },
    payment: {
      state: i.paymentState,
      reference: i.paymentReference,
      transaction_date: i.paymentMs !== null ? iso(i.paymentMs) : null,
    },
    pay_out_psp_code: 'NOT_SPECIFIED',
    // Not in the schema, but in the spec's own example: the cycle, its voucher and the period invoiced.
    ...(i.billingCycleId !== null ? { seller_billing_cycle_id: i.billingCycleId } : {}),
    ...(cycle ? { payment_voucher_number: cycle.paymentVoucherNumber } : {}),
    ...(i.startMs !== null && i.endMs !== null ? { start_time: iso(i.startMs), end_time: iso(i.endMs) } : {}),
  };
}

/**
 * IV01: accounting documents. `type` AUTO_INVOICE by default (the cycles' commission and fee invoices), ALL,
 * MANUAL_INVOICE or MANUAL_CREDIT; filters `seller_billing_cycle_id`, `invoice_id`, `start_date`/`end_date`
 * (creation), `payment_status`; offset paging (`max` ≤ 100), oldest first unless `order=desc`.
 */
export function listInvoices(ctx: Ctx): Reply {
  const { state, query } = ctx;
  const max = Number(query.get('max') ?? '10');
  const offset = Number(query.get('offset') ?? '0');
  if (!Number.isInteger(max) || max < 1 || max > 100) return fail(400, 'max must be between 1 and 100');
  if (!Number.isInteger(offset) || offset < 0) return fail(400, 'offset must be a whole number');
  const type = query.get('type') ?? 'AUTO_INVOICE';
  if (!['ALL', 'AUTO_INVOICE', 'MANUAL_INVOICE', 'MANUAL_CREDIT'].includes(type)) return fail(400, `Unknown type ${type}`);
  const cycles = listParam(query, 'seller_billing_cycle_id');
  const ids = listParam(query, 'invoice_id');
  const status = query.get('payment_status');
  const from = dateParam(query, 'start_date');
  const to = dateParam(query, 'end_date');
  if (from !== null && typeof from === 'object') return from;
  if (to !== null && typeof to === 'object') return to;
  const all = state.invoices.filter(
    (i) =>
      (type === 'ALL' || i.type === type) &&
      (!cycles.length || (i.billingCycleId !== null && cycles.includes(i.billingCycleId))) &&
      (!ids.length || ids.includes(String(i.invoiceId))) &&
      (status === null || i.paymentState === status) &&
      (from === null || i.createdMs >= from) &&
      (to === null || i.createdMs <= to),
  );
  if (query.get('order') === 'desc') all.reverse();
  return ok({ invoices: all.slice(offset, offset + max).map((i) => invoiceJson(state, i)), total_count: all.length });
}
