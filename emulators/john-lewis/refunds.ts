import type Decimal from 'decimal.js';
import { asArray, asObject, fail, ok, type Ctx, type Reply } from './http';
import { findLine, inMode, leftToRefund, refundTransactions, splitTaxes, sumParts, taxModeOf, unitsSold } from './lines';
import { d, money, percent, round2 } from './money';
import type { EmuOrder, EmuOrderLine, EmuRefund, EmuTaxPart, TaxCode, TaxMode } from './model';
import { VAT_STANDARD, type EmulatorState } from './state';
import { releaseLines } from './transactions';

/** Line states a refund may be made in (Mirakl refunds shipped or shipping lines; not a closed order). */
const REFUNDABLE = ['SHIPPING', 'SHIPPED', 'RECEIVED'];

/** A money field of a request: a JSON number (or the numeric text the spec's own example sends), never negative. */
function amountOf(v: unknown, field: string): Decimal | string {
  if (typeof v !== 'number' && !(typeof v === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(v))) return `${field} must be a number`;
  const amount = d(String(v).trim());
  return amount.lt(0) ? `${field} must not be negative` : amount;
}

/** `taxes` / `shipping_taxes` as sent: each code must be one the line carries. */
function taxPartsOf(v: unknown, field: string, codes: readonly TaxCode[], lineId: string): EmuTaxPart[] | string {
  const out: EmuTaxPart[] = [];
  for (const t of asArray(v)) {
    const code = typeof t.code === 'string' ? t.code : '';
    if (!codes.some((c) => c.code === code)) return `${field}: tax code '${code}' is not on order line ${lineId}`;
    const amount = amountOf(t.amount, `${field} amount`);
    if (typeof amount === 'string') return amount;
    out.push({ code, amount });
  }
  return out;
}

/** Money given back on a line as a request states it, read into net amounts and the taxes sent. */
export interface MoneyBack {
  amount: Decimal;
  shippingAmount: Decimal;
  net: Decimal;
  taxes: EmuTaxPart[];
  shippingNet: Decimal;
  shippingTaxes: EmuTaxPart[];
}

/**
 * Reads `amount`, `shipping_amount`, `taxes` and `shipping_taxes` of one OR28 refund or OR30 cancellation in the
 * request's tax mode. `strict` (OR28): both amounts must be sent, and where the line carries tax the taxes too
 * ("required if the order has taxes"), since the platform refunds the tax only as stated; otherwise (OR30, as the
 * emulator always took it) a missing amount is 0.
 */
export function readMoneyBack(r: Record<string, unknown>, line: EmuOrderLine, mode: TaxMode, strict: boolean): MoneyBack | string {
  const orZero = (v: unknown) => (v === undefined && !strict ? 0 : v);
  const amount = amountOf(orZero(r.amount), 'amount');
  if (typeof amount === 'string') return `Order line ${line.id}: ${amount}`;
  const shippingAmount = amountOf(orZero(r.shipping_amount), 'shipping_amount');
  if (typeof shippingAmount === 'string') return `Order line ${line.id}: ${shippingAmount}`;
  const taxes = taxPartsOf(r.taxes, 'taxes', line.taxes, line.id);
  if (typeof taxes === 'string') return taxes;
  const shippingTaxes = taxPartsOf(r.shipping_taxes, 'shipping_taxes', line.shippingTaxes, line.id);
  if (typeof shippingTaxes === 'string') return shippingTaxes;
  if (strict) {
    const taxed = line.unitGross.gt(line.unitNet);
    const shippingTaxed = line.shippingGross.gt(line.shippingNet);
    if (taxed && amount.gt(0) && r.taxes === undefined) return `Order line ${line.id}: taxes is required, the order has taxes`;
    if (shippingTaxed && shippingAmount.gt(0) && r.shipping_taxes === undefined)
      return `Order line ${line.id}: shipping_taxes is required, the order has shipping taxes`;
  }
  const net = mode === 'TAX_INCLUDED' ? amount.minus(sumParts(taxes)) : amount;
  const shippingNet = mode === 'TAX_INCLUDED' ? shippingAmount.minus(sumParts(shippingTaxes)) : shippingAmount;
  if (net.lt(0) || shippingNet.lt(0)) return `Order line ${line.id}: the taxes are more than the amount they are part of`;
  return { amount, shippingAmount, net, taxes, shippingNet, shippingTaxes };
}

interface RefundDraft {
  order: EmuOrder;
  line: EmuOrderLine;
  money: Omit<MoneyBack, 'amount' | 'shippingAmount'>;
  quantity: number;
  reasonCode: string;
}

/** One refund on a line: the line and order change (last update, REFUNDED once nothing is left), TL02 gets REFUND_* lines. */
function makeRefund(state: EmulatorState, draft: RefundDraft, groupId: string, origin: EmuRefund['origin'], returnId: string | null): EmuRefund {
  const { order, line, money: m } = draft;
  const now = state.clock.now();
  const id = String(state.nextId());
  const commission = refundTransactions(state, order, line, m.net, m.taxes, m.shippingNet, m.shippingTaxes, now, id);
  const refund: EmuRefund = {
    id,
    groupId,
    ...m,
    quantity: draft.quantity,
    reasonCode: draft.reasonCode,
    state: 'WAITING_REFUND',
    createdMs: now,
    refundedMs: null,
    origin,
    returnId,
    commission,
  };
  line.refunds.push(refund);
  const left = leftToRefund(line, 'TAX_INCLUDED');
  if (!left.product.gt(0) && !left.shipping.gt(0)) line.state = 'REFUNDED';
  order.lastUpdatedMs = Math.max(order.lastUpdatedMs, now);
  return refund;
}

/** Refunds made together get one `order_refund_id` per order. */
function makeRefunds(
  state: EmulatorState,
  drafts: RefundDraft[],
  origin: EmuRefund['origin'],
  returnId: string | null,
): { draft: RefundDraft; refund: EmuRefund }[] {
  const groups = new Map<string, string>();
  return drafts.map((draft) => {
    let groupId = groups.get(draft.order.orderId);
    if (!groupId) groups.set(draft.order.orderId, (groupId = state.uuid()));
    return { draft, refund: makeRefund(state, draft, groupId, origin, returnId) };
  });
}

/** The refund reasons OR28 takes (RE02 REFUND). */
const refundReasons = (state: EmulatorState) => new Set((state.config.reasons.REFUND ?? []).map((r) => r.code));

/** Whether another refund of `amount` (product) and `shipping` fits in what is left on the line, after those in `pending`. */
function overRefund(
  line: EmuOrderLine,
  mode: TaxMode,
  pending: Map<EmuOrderLine, { product: Decimal; shipping: Decimal }>,
  amount: Decimal,
  shipping: Decimal,
) {
  const left = pending.get(line) ?? leftToRefund(line, mode);
  if (amount.gt(left.product))
    return `Order line ${line.id}: the refund amount ${amount.toFixed(2)} is more than the ${left.product.toFixed(2)} left to refund on the line`;
  if (shipping.gt(left.shipping))
    return `Order line ${line.id}: the shipping refund ${shipping.toFixed(2)} is more than the ${left.shipping.toFixed(2)} of shipping left to refund on the line`;
  pending.set(line, { product: left.product.minus(amount), shipping: left.shipping.minus(shipping) });
  return null;
}

const taxJson = (codes: readonly TaxCode[], t: EmuTaxPart) => {
  const rate = codes.find((c) => c.code === t.code)?.rate;
  return { code: t.code, amount: money(t.amount), ...(rate ? { rate: percent(rate) } : {}) };
};

/**
 * OR28: refunds on order lines. Every refund of the call is checked first (line, state, reason from RE02, amounts no
 * larger than what is left on the line, taxes where the order has them); one refused refund refuses the call with
 * the platform's 400 and nothing is made. No idempotency key: the same call sent twice is two refunds.
 */
export function refund(ctx: Ctx): Reply {
  const { state } = ctx;
  const b = asObject(ctx.body);
  const mode = taxModeOf(state, b.order_tax_mode);
  const requests = asArray(b.refunds);
  if (requests.length === 0) return fail(400, 'refunds is required', 'VALIDATION_ERROR');
  const reasons = refundReasons(state);
  const pending = new Map<EmuOrderLine, { product: Decimal; shipping: Decimal }>();
  const drafts: RefundDraft[] = [];
  for (const r of requests) {
    const found = findLine(state, String(r.order_line_id ?? ''));
    if (!found) return fail(400, `Order line ${String(r.order_line_id)} not found`, 'ORDER_LINE_NOT_FOUND');
    const { order, line } = found;
    if (!REFUNDABLE.includes(line.state)) return fail(400, `Order line ${line.id} is ${line.state} and cannot be refunded`, 'ORDER_LINE_INVALID_STATE');
    if (typeof r.reason_code !== 'string' || r.reason_code === '') return fail(400, 'reason_code is required', 'VALIDATION_ERROR');
    if (!reasons.has(r.reason_code)) return fail(400, `Reason code '${r.reason_code}' is not a refund reason`, 'REASON_CODE_NOT_FOUND');
    if (r.currency_iso_code !== undefined && r.currency_iso_code !== state.config.currency)
      return fail(400, `Currency ${String(r.currency_iso_code)} is not the shop's currency (${state.config.currency})`, 'VALIDATION_ERROR');
    const m = readMoneyBack(r, line, mode, true);
    if (typeof m === 'string') return fail(400, m, 'VALIDATION_ERROR');
    const over = overRefund(line, mode, pending, m.amount, m.shippingAmount);
    if (over) return fail(400, over, 'REFUND_AMOUNT_EXCEEDED');
    const quantity = typeof r.quantity === 'number' && Number.isInteger(r.quantity) && r.quantity > 0 ? r.quantity : 0;
    drafts.push({ order, line, money: m, quantity, reasonCode: r.reason_code });
  }
  const made = makeRefunds(state, drafts, 'shop', null);
  return ok({
    order_tax_mode: mode,
    refunds: made.map(({ draft: { line }, refund: rf }) => ({
      refund_id: rf.id,
      order_refund_id: rf.groupId,
      order_line_id: line.id,
      amount: money(inMode(rf.net, rf.taxes, mode)),
      shipping_amount: money(inMode(rf.shippingNet, rf.shippingTaxes, mode)),
      quantity: rf.quantity,
      reason_code: rf.reasonCode,
      currency_iso_code: state.config.currency,
      excluded_from_shipment: false,
      taxes: rf.taxes.map((t) => taxJson(line.taxes, t)),
      shipping_taxes: rf.shippingTaxes.map((t) => taxJson(line.shippingTaxes, t)),
    })),
  });
}

/** A refund as OR11 shows it on its line, in the read's tax mode. */
export function refundJson(state: EmulatorState, line: EmuOrderLine, r: EmuRefund, mode: TaxMode) {
  const commissionTax = round2(r.commission.times(VAT_STANDARD.rate));
  return {
    id: r.id,
    order_refund_id: r.groupId,
    amount: money(inMode(r.net, r.taxes, mode)),
    shipping_amount: money(inMode(r.shippingNet, r.shippingTaxes, mode)),
    quantity: r.quantity,
    reason_code: r.reasonCode,
    taxes: r.taxes.map((t) => taxJson(line.taxes, t)),
    shipping_taxes: r.shippingTaxes.map((t) => taxJson(line.shippingTaxes, t)),
    refund_state: r.state,
    // Deprecated, but still sent beside refund_state.
    state: r.state,
    created_date: state.clock.iso(r.createdMs),
    commission_amount: money(r.commission),
    commission_tax_amount: money(commissionTax),
    commission_taxes: [{ code: VAT_STANDARD.code, amount: money(commissionTax), rate: percent(VAT_STANDARD.rate) }],
    commission_total_amount: money(r.commission.plus(commissionTax)),
    ...(r.refundedMs !== null ? { transaction_date: state.clock.iso(r.refundedMs), transaction_number: `RF${r.id.padStart(8, '0')}` } : {}),
  };
}

/**
 * The refund moves on: the customer is paid back, and its TL02 lines become payable (the next cycle takes them). The
 * order counts as updated (OR11 start_update_date finds it).
 */
export function completeRefund(state: EmulatorState, order: EmuOrder, r: EmuRefund, atMs: number): void {
  if (r.state === 'REFUNDED') return;
  r.state = 'REFUNDED';
  r.refundedMs = atMs;
  order.lastUpdatedMs = Math.max(order.lastUpdatedMs, atMs);
  releaseLines(state, order.orderId, r.id, atMs);
}

/** Refunds still waiting, with their order (for the clock and the admin API). */
export function* waitingRefunds(state: EmulatorState): Generator<{ order: EmuOrder; refund: EmuRefund }> {
  for (const order of state.orders.values())
    for (const line of order.lines) for (const refund of line.refunds) if (refund.state !== 'REFUNDED') yield { order, refund };
}

export interface OperatorRefundInput {
  /** The order (not needed with a return). */
  orderId?: string;
  /** Refund what this return brings back (its lines and units), unless `lines` says otherwise. */
  returnId?: string;
  /**
   * The lines to refund. Without `quantity`, `amount` or `shippingAmount` (and without a return) the whole of what is
   * left on the line, shipping included; with `quantity`, that many units at the line's unit price; `amount` and
   * `shippingAmount` are gross (VAT included), their VAT worked out at the line's rates.
   */
  lines?: { orderLineId: string; quantity?: number; amount?: string; shippingAmount?: string }[];
  /** An RE02 REFUND reason; default: the first one. */
  reasonCode?: string;
}

const rateOf = (codes: readonly TaxCode[]) => codes.reduce((a, c) => a.plus(c.rate), d(0));

/** A gross amount split into net and taxes at the line's rates. */
function fromGross(gross: Decimal, codes: TaxCode[]): { net: Decimal; taxes: EmuTaxPart[] } {
  const net = round2(gross.div(rateOf(codes).plus(1)));
  return { net, taxes: splitTaxes(gross, net, codes).map((t) => ({ code: t.code, amount: t.amount })) };
}

function fromNetAndGross(gross: Decimal, net: Decimal, codes: TaxCode[]): { net: Decimal; taxes: EmuTaxPart[] } {
  return { net, taxes: splitTaxes(gross, net, codes).map((t) => ({ code: t.code, amount: t.amount })) };
}

/**
 * The marketplace's customer service refunds lines from its back office (with or without a return, and the only way
 * money goes back when the shop has no returns module): the refunds appear on the order lines as OR28's do, with one
 * `order_refund_id`. Throws (the admin API's 400) where OR28 would refuse.
 */
export function operatorRefund(
  state: EmulatorState,
  input: OperatorRefundInput,
): { groupId: string; refunds: { refundId: string; orderLineId: string; amount: string; shippingAmount: string }[] } {
  const ret = input.returnId ? state.returns.get(input.returnId) : undefined;
  if (input.returnId && !ret) throw new Error(`Return ${input.returnId} not found`);
  if (ret && ['REFUSED', 'CANCELED'].includes(ret.state)) throw new Error(`Return ${ret.id} is ${ret.state}: nothing to refund`);
  const orderId = input.orderId ?? ret?.orderId;
  const order = orderId ? state.orders.get(orderId) : undefined;
  if (!order) throw new Error(`Order ${String(orderId)} not found`);
  if (ret && ret.orderId !== order.orderId) throw new Error(`Return ${ret.id} is not a return of order ${order.orderId}`);
  const reasonCode = input.reasonCode ?? state.config.reasons.REFUND?.[0]?.code;
  if (!reasonCode || !refundReasons(state).has(reasonCode)) throw new Error(`Reason code '${String(reasonCode)}' is not a refund reason`);
  const wanted: NonNullable<OperatorRefundInput['lines']> =
    input.lines ?? ret?.lines.map((l) => ({ orderLineId: l.orderLineId, quantity: l.quantity })) ?? order.lines.map((l) => ({ orderLineId: l.id }));
  const pending = new Map<EmuOrderLine, { product: Decimal; shipping: Decimal }>();
  const drafts: RefundDraft[] = [];
  for (const w of wanted) {
    const line = order.lines.find((l) => l.id === w.orderLineId);
    if (!line) throw new Error(`Order line ${w.orderLineId} is not on order ${order.orderId}`);
    if (!REFUNDABLE.includes(line.state)) {
      // The whole order by default: lines refused, cancelled or refunded already are left out.
      if (!input.lines && !ret) continue;
      throw new Error(`Order line ${line.id} is ${line.state} and cannot be refunded`);
    }
    const whole = w.quantity === undefined && w.amount === undefined && w.shippingAmount === undefined;
    const wholeLeft = leftToRefund(line, 'TAX_INCLUDED');
    if (whole && !wholeLeft.product.gt(0) && !wholeLeft.shipping.gt(0)) {
      if (!input.lines && !ret) continue;
      throw new Error(`Order line ${line.id} has nothing left to refund`);
    }
    let product: { net: Decimal; taxes: EmuTaxPart[] };
    let shipping: { net: Decimal; taxes: EmuTaxPart[] };
    let quantity: number;
    if (whole) {
      const gross = leftToRefund(line, 'TAX_INCLUDED');
      const net = leftToRefund(line, 'TAX_EXCLUDED');
      product = fromNetAndGross(gross.product, net.product, line.taxes);
      shipping = fromNetAndGross(gross.shipping, net.shipping, line.shippingTaxes);
      quantity = unitsSold(line) - line.refunds.reduce((a, r) => a + r.quantity, 0);
    } else {
      quantity = w.quantity ?? 0;
      if (!Number.isInteger(quantity) || quantity < 0) throw new Error(`Order line ${line.id}: quantity must be a whole number`);
      product =
        w.amount !== undefined ? fromGross(d(w.amount), line.taxes) : fromNetAndGross(line.unitGross.times(quantity), line.unitNet.times(quantity), line.taxes);
      shipping = w.shippingAmount !== undefined ? fromGross(d(w.shippingAmount), line.shippingTaxes) : { net: d(0), taxes: [] };
    }
    const over = overRefund(
      line,
      'TAX_INCLUDED',
      pending,
      inMode(product.net, product.taxes, 'TAX_INCLUDED'),
      inMode(shipping.net, shipping.taxes, 'TAX_INCLUDED'),
    );
    if (over) throw new Error(over);
    drafts.push({
      order,
      line,
      money: { net: product.net, taxes: product.taxes, shippingNet: shipping.net, shippingTaxes: shipping.taxes },
      quantity: Math.max(0, quantity),
      reasonCode,
    });
  }
  if (drafts.length === 0) throw new Error(`Order ${order.orderId} has nothing left to refund`);
  const made = makeRefunds(state, drafts, 'operator', ret?.id ?? null);
  return {
    groupId: made[0]!.refund.groupId,
    refunds: made.map(({ draft, refund: rf }) => ({
      refundId: rf.id,
      orderLineId: draft.line.id,
      amount: inMode(rf.net, rf.taxes, 'TAX_INCLUDED').toFixed(2),
      shippingAmount: inMode(rf.shippingNet, rf.shippingTaxes, 'TAX_INCLUDED').toFixed(2),
    })),
  };
}
