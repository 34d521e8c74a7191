import type Decimal from 'decimal.js';
import { asArray, asObject, fail, noContent, ok, type Ctx, type Reply } from './http';
import { findLine, inMode, leftToRefund, refundTransactions, splitTaxes, taxModeOf } from './lines';
import { d, money, percent, round2 } from './money';
import type { EmuOrder, EmuOrderLine, EmuTracking, TaxMode } from './model';
import { readMoneyBack, refundJson } from './refunds';
import { VAT_STANDARD, type EmulatorState } from './state';

const DAY = 24 * 60 * 60_000;

export interface CreateOrdersInput {
  count?: number;
  /** SKUs to draw lines from (default: every seeded offer). */
  skus?: string[];
  /** Quantity per line (cycled); default 1. */
  quantities?: number[];
  /** Lines per order (default 1, or one per SKU given when count is 1). */
  linesPerOrder?: number;
  /** How unit prices are given: gross (TAX_INCLUDED, the default) or net. */
  taxMode?: TaxMode;
  /** Unit price override per SKU. */
  unitPrices?: Record<string, string>;
  shippingPrice?: string;
}

export { splitTaxes } from './lines';

export function createOrders(state: EmulatorState, input: CreateOrdersInput): EmuOrder[] {
  const skus = input.skus?.length ? input.skus : [...state.offers.keys()];
  if (skus.length === 0) throw new Error('No offers to order: seed offers first');
  const count = input.count ?? 1;
  const perOrder = input.linesPerOrder ?? (count === 1 && input.skus ? input.skus.length : 1);
  const quantities = input.quantities?.length ? input.quantities : [1];
  const now = state.clock.now();
  const created: EmuOrder[] = [];
  let cursor = 0;
  for (let n = 0; n < count; n++) {
    const commercialId = state.nextCommercialId();
    const orderId = `${commercialId}-A`;
    const lines: EmuOrderLine[] = [];
    for (let i = 0; i < perOrder; i++, cursor++) {
      const sku = skus[cursor % skus.length]!;
      const offer = state.offers.get(sku);
      const taxes = offer?.taxes.length ? offer.taxes : [VAT_STANDARD];
      const sumRate = taxes.reduce((a, c) => a.plus(c.rate), d(0));
      const given = d(input.unitPrices?.[sku] ?? offer?.price ?? '10.00');
      const unitGross = input.taxMode === 'TAX_EXCLUDED' ? round2(given.times(sumRate.plus(1))) : given;
      const unitNet = input.taxMode === 'TAX_EXCLUDED' ? given : round2(given.div(sumRate.plus(1)));
      const shippingGross = i === 0 ? d(input.shippingPrice ?? '3.95') : d(0);
      lines.push({
        id: `${orderId}-${i + 1}`,
        index: i + 1,
        sku,
        offerId: offer?.offerId ?? 0,
        productSku: offer?.productSku ?? `JL-${sku}`,
        title: offer?.title ?? sku,
        quantity: quantities[cursor % quantities.length]!,
        unitNet,
        unitGross,
        taxes,
        shippingGross,
        shippingNet: round2(shippingGross.div(VAT_STANDARD.rate.plus(1))),
        shippingTaxes: [VAT_STANDARD],
        state: 'WAITING_ACCEPTANCE',
        refunds: [],
        cancelations: [],
        shippedQuantity: 0,
        shippedMs: null,
      });
    }
    const order: EmuOrder = {
      orderId,
      commercialId,
      createdMs: now,
      lastUpdatedMs: now,
      state: 'WAITING_ACCEPTANCE',
      stateReason: null,
      acceptanceDeadlineMs: now + state.config.acceptanceDeadlineMs,
      acceptedMs: null,
      debitAtMs: null,
      debitedMs: null,
      shippedMs: null,
      receivedMs: null,
      lines,
      customer: {
        firstname: 'Alex',
        lastname: `Customer${commercialId.slice(-3)}`,
        street: `${n + 1} Sloane Square`,
        city: 'London',
        zip: 'SW1W 8EL',
        phone: '+44 20 7730 3434',
      },
      tracking: null,
      shippingDeadlineMs: now + 3 * DAY,
    };
    state.orders.set(orderId, order);
    created.push(order);
  }
  return created;
}

function lineAmounts(line: EmuOrderLine, mode: TaxMode) {
  const grossTotal = line.unitGross.times(line.quantity);
  const netTotal = line.unitNet.times(line.quantity);
  return {
    unit: mode === 'TAX_INCLUDED' ? line.unitGross : line.unitNet,
    price: mode === 'TAX_INCLUDED' ? grossTotal : netTotal,
    shipping: mode === 'TAX_INCLUDED' ? line.shippingGross : line.shippingNet,
    taxes: splitTaxes(grossTotal, netTotal, line.taxes),
    shippingTaxes: splitTaxes(line.shippingGross, line.shippingNet, line.shippingTaxes),
  };
}

const taxJson = (t: { code: string; rate: Decimal; amount: Decimal }) => ({
  code: t.code,
  amount: money(t.amount),
  rate: percent(t.rate),
  tax_calculation_rule: 'PROPORTIONAL_TO_AMOUNT',
});

/** Something is left to give back on the line (product or shipping). */
function canStillRefund(line: EmuOrderLine): boolean {
  const left = leftToRefund(line, 'TAX_INCLUDED');
  return left.product.gt(0) || left.shipping.gt(0);
}

function addressJson(o: EmuOrder) {
  const c = o.customer;
  return {
    firstname: c.firstname,
    lastname: c.lastname,
    company: null,
    street_1: c.street,
    street_2: null,
    city: c.city,
    zip_code: c.zip,
    state: null,
    country: 'United Kingdom',
    country_iso_code: 'GBR',
    phone: c.phone,
  };
}

export function orderJson(state: EmulatorState, o: EmuOrder, mode: TaxMode) {
  const iso = (ms: number | null) => (ms === null ? null : state.clock.iso(ms));
  const showAddress = state.config.addressesBeforeAcceptance || o.acceptedMs !== null;
  let price = d(0);
  let shipping = d(0);
  let commission = d(0);
  const lines = o.lines.map((l) => {
    const a = lineAmounts(l, mode);
    const fee = state.commission(l);
    if (!['REFUSED', 'CANCELED'].includes(l.state)) {
      price = price.plus(a.price);
      shipping = shipping.plus(a.shipping);
      commission = commission.plus(fee);
    }
    return {
      order_line_id: l.id,
      order_line_index: l.index,
      order_line_state: l.state,
      offer_id: l.offerId,
      offer_sku: l.sku,
      product_sku: l.productSku,
      product_shop_sku: l.sku,
      product_title: l.title,
      quantity: l.quantity,
      price_unit: money(a.unit),
      origin_unit_price: money(a.unit),
      price: money(a.price),
      shipping_price: money(a.shipping),
      total_price: money(a.price.plus(a.shipping)),
      taxes: a.taxes.map(taxJson),
      shipping_taxes: a.shippingTaxes.map(taxJson),
      commission_fee: money(fee),
      commission_taxes: [{ code: VAT_STANDARD.code, amount: money(round2(fee.times(VAT_STANDARD.rate))), rate: percent(VAT_STANDARD.rate) }],
      total_commission: money(fee.plus(round2(fee.times(VAT_STANDARD.rate)))),
      can_refund: ['SHIPPING', 'SHIPPED', 'RECEIVED'].includes(l.state) && canStillRefund(l),
      created_date: iso(o.createdMs),
      last_updated_date: iso(o.lastUpdatedMs),
      debited_date: iso(o.debitedMs),
      shipped_date: iso(l.shippedMs),
      refunds: l.refunds.map((r) => refundJson(state, l, r, mode)),
      cancelations: l.cancelations.map((c) => ({
        id: c.id,
        amount: money(inMode(c.net, c.taxes, mode)),
        shipping_amount: money(inMode(c.shippingNet, c.shippingTaxes, mode)),
        quantity: c.quantity,
        reason_code: c.reasonCode,
        created_date: iso(c.createdMs),
      })),
    };
  });
  const json = {
    order_id: o.orderId,
    commercial_id: o.commercialId,
    references: { order_reference_for_customer: `JL${o.commercialId}`, order_reference_for_seller: null },
    channel: null,
    order_state: o.state,
    order_state_reason_code: o.stateReason,
    order_state_reason_label: o.stateReason,
    order_tax_mode: mode,
    currency_iso_code: state.config.currency,
    created_date: iso(o.createdMs),
    last_updated_date: iso(o.lastUpdatedMs),
    acceptance_decision_date: iso(o.acceptedMs),
    customer_debited_date: iso(o.debitedMs),
    shipping_deadline: iso(o.shippingDeadlineMs),
    leadtime_to_ship: 2,
    can_cancel: ['WAITING_DEBIT_PAYMENT', 'SHIPPING'].includes(o.state),
    can_shop_ship: o.state === 'SHIPPING',
    has_incident: false,
    fully_refunded: o.lines.some((l) => l.state === 'REFUNDED') && o.lines.every((l) => ['REFUNDED', 'REFUSED', 'CANCELED'].includes(l.state)),
    payment_workflow: 'PAY_ON_ACCEPTANCE',
    price: money(price),
    shipping_price: money(shipping),
    total_price: money(price.plus(shipping)),
    total_commission: money(commission),
    shipping_type_code: 'STD',
    shipping_type_label: 'Standard delivery',
    shipping_zone_code: 'UK',
    shipping_zone_label: 'United Kingdom',
    shipping_carrier_code: o.tracking?.carrierCode ?? null,
    shipping_company: o.tracking?.carrierName ?? null,
    shipping_tracking: o.tracking?.trackingNumber ?? null,
    shipping_tracking_url: o.tracking?.url ?? null,
    customer_notification_email: `${o.commercialId}@notify.marketplace.invalid`,
    customer: {
      customer_id: `C${o.commercialId}`,
      firstname: o.customer.firstname,
      lastname: o.customer.lastname,
      civility: null,
      locale: 'en_GB',
      billing_address: showAddress ? addressJson(o) : null,
      shipping_address: showAddress ? { ...addressJson(o), additional_info: null } : null,
    },
    order_lines: lines,
  };
  if (!o.wire) return json;
  const shaped = lines.map((l, i) => ({ ...l, ...o.wire!.lines?.[i] }));
  return { ...json, order_lines: [...shaped, ...(o.wire.extraLines ?? [])], ...o.wire.order };
}

/** OR11: offset paging (max 100), comma list of states, update-date window, tax mode. */
export function listOrders(ctx: Ctx): Reply {
  const { state, query } = ctx;
  const max = Number(query.get('max') ?? '10');
  const offset = Number(query.get('offset') ?? '0');
  if (!Number.isInteger(max) || max < 1 || max > 100) return fail(400, 'max must be between 1 and 100');
  if (!Number.isInteger(offset) || offset < 0) return fail(400, 'offset must be 0 or more');
  const states = query.get('order_state_codes')?.split(',').filter(Boolean);
  const ids = query
    .getAll('order_ids')
    .flatMap((v) => v.split(','))
    .filter(Boolean);
  const from = query.get('start_update_date');
  const to = query.get('end_update_date');
  const fromMs = from ? Date.parse(from) : null;
  const toMs = to ? Date.parse(to) : null;
  const desc = query.get('order') === 'desc';
  const all = [...state.orders.values()]
    .filter((o) => (!states || states.includes(o.state)) && (ids.length === 0 || ids.includes(o.orderId)))
    .filter((o) => (fromMs === null || o.lastUpdatedMs >= fromMs) && (toMs === null || o.lastUpdatedMs <= toMs))
    .sort((a, b) => (desc ? -1 : 1) * (a.createdMs - b.createdMs || a.orderId.localeCompare(b.orderId)));
  const mode = taxModeOf(state, query.get('order_tax_mode'));
  return ok({ orders: all.slice(offset, offset + max).map((o) => orderJson(state, o, mode)), total_count: all.length });
}

function findOrder(ctx: Ctx): EmuOrder | Reply {
  const order = ctx.state.orders.get(ctx.params.order_id ?? '');
  return order ?? fail(404, `Order ${ctx.params.order_id} not found`, 'ORDER_NOT_FOUND');
}
const isReply = (v: unknown): v is Reply => typeof v === 'object' && v !== null && 'status' in v && !('orderId' in v);

/** OR21: every line needs a decision; at least one accepted line moves the order to WAITING_DEBIT_PAYMENT. */
export function acceptOrder(ctx: Ctx): Reply {
  const order = findOrder(ctx);
  if (isReply(order)) return order;
  const { state } = ctx;
  if (order.state !== 'WAITING_ACCEPTANCE') return fail(400, `Order ${order.orderId} is ${order.state}, not WAITING_ACCEPTANCE`, 'ORDER_INVALID_STATE');
  const decisions = asArray(asObject(ctx.body).order_lines);
  const seen = new Map<string, boolean>();
  for (const dcs of decisions) {
    const id = typeof dcs.id === 'string' ? dcs.id : null;
    if (id === null || typeof dcs.accepted !== 'boolean') return fail(400, 'Each order line needs an id and accepted', 'ORDER_LINE_NULL_ELEMENT');
    if (seen.has(id)) return fail(400, `Order line ${id} appears twice`, 'ORDER_LINE_DUPLICATE_ID');
    if (!order.lines.some((l) => l.id === id)) return fail(400, `Order line ${id} not found on ${order.orderId}`, 'ORDER_LINE_NOT_FOUND');
    seen.set(id, dcs.accepted);
  }
  const missing = order.lines.filter((l) => !seen.has(l.id)).map((l) => l.id);
  if (missing.length) return fail(400, `No acceptance decision for order lines ${missing.join(', ')}`, 'ORDER_LINE_ACCEPTANCE_DECISION_MISSING');
  const now = state.clock.now();
  order.acceptedMs = now;
  for (const l of order.lines) l.state = seen.get(l.id) ? 'WAITING_DEBIT_PAYMENT' : 'REFUSED';
  if (order.lines.every((l) => l.state === 'REFUSED')) {
    state.setState(order, 'REFUSED', now, 'REFUSED_BY_SHOP');
  } else {
    state.setState(order, 'WAITING_DEBIT_PAYMENT', now);
    order.debitAtMs = state.config.debitDelayMs === null ? null : now + state.config.debitDelayMs;
    state.tick();
  }
  return noContent();
}

/**
 * The carrier rules OR23, ST01 and ST23 share: a registered carrier (on SH21) is named by its carrier_code, and its
 * tracking URL is built from the SH21 template (any URL sent is ignored); a carrier the list does not have is named by
 * carrier_name with an optional full URL, and only where the platform allows alternative carriers.
 */
export function resolveTracking(
  state: EmulatorState,
  b: Record<string, unknown>,
  urlField: 'carrier_url' | 'tracking_url',
): { tracking: EmuTracking } | { error: string; code: string } {
  const str = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);
  const code = str(b.carrier_code);
  const name = str(b.carrier_name);
  const number = str(b.tracking_number);
  const cfg = state.config;
  if (code) {
    const carrier = cfg.carriers.find((c) => c.code === code);
    if (!carrier) return { error: `Carrier code '${code}' is not in the carrier list`, code: 'CARRIER_NOT_FOUND' };
    if (carrier.tracking_url?.includes('{trackingId}') && !number)
      return { error: `Carrier ${code} needs a tracking number`, code: 'TRACKING_NUMBER_REQUIRED' };
    return {
      tracking: {
        carrierCode: code,
        carrierName: carrier.label,
        carrierStandardCode: carrier.standard_code ?? null,
        trackingNumber: number,
        url: carrier.tracking_url && number ? carrier.tracking_url.replace('{trackingId}', encodeURIComponent(number)) : null,
      },
    };
  }
  if (!name) return { error: 'carrier_code or carrier_name is required', code: 'VALIDATION_ERROR' };
  if (cfg.alternativeCarriersDisabled)
    return { error: `Carrier '${name}' is not registered and alternative carriers are disabled`, code: 'ALTERNATIVE_CARRIER_DISABLED' };
  const key = name.toLowerCase();
  const registered = cfg.carriers.find((c) => c.code.toLowerCase() === key || c.label.toLowerCase() === key);
  if (registered) return { error: `Carrier '${name}' is registered: send its carrier_code (${registered.code})`, code: 'CARRIER_CODE_REQUIRED' };
  const url = str(b[urlField]);
  return {
    tracking: {
      carrierCode: null,
      carrierName: name,
      carrierStandardCode: null,
      trackingNumber: number,
      url: url && number ? url.replace('{trackingId}', encodeURIComponent(number)) : url,
    },
  };
}

/** OR23: the carrier rules above, from SHIPPING (or SHIPPED, to correct). */
export function setTracking(ctx: Ctx): Reply {
  const order = findOrder(ctx);
  if (isReply(order)) return order;
  if (!['SHIPPING', 'SHIPPED', 'TO_COLLECT'].includes(order.state))
    return fail(400, `Order ${order.orderId} is ${order.state}: tracking can only be set once it is SHIPPING`, 'ORDER_INVALID_STATE');
  const resolved = resolveTracking(ctx.state, asObject(ctx.body), 'carrier_url');
  if ('error' in resolved) return fail(400, resolved.error, resolved.code);
  order.tracking = resolved.tracking;
  order.lastUpdatedMs = ctx.state.clock.now();
  return noContent();
}

/** OR24: only from SHIPPING; any other state is a bare 400, as on the real platform. */
export function confirmShipment(ctx: Ctx): Reply {
  const order = findOrder(ctx);
  if (isReply(order)) return order;
  if (order.state !== 'SHIPPING') return { status: 400 };
  const now = ctx.state.clock.now();
  order.shippedMs = now;
  for (const l of order.lines) {
    if (l.state !== 'SHIPPING') continue;
    l.shippedMs = now;
    l.shippedQuantity = l.quantity - l.cancelations.reduce((a, c) => a + c.quantity, 0);
  }
  ctx.state.setState(order, 'SHIPPED', now);
  return noContent();
}

/** OR29: the whole order, when it can still be cancelled. */
export function cancelOrder(ctx: Ctx): Reply {
  const order = findOrder(ctx);
  if (isReply(order)) return order;
  if (!['WAITING_DEBIT_PAYMENT', 'SHIPPING'].includes(order.state))
    return fail(400, `Order ${order.orderId} is ${order.state} and cannot be cancelled`, 'ORDER_INVALID_STATE');
  const now = ctx.state.clock.now();
  const debited = order.debitedMs !== null;
  ctx.state.setState(order, 'CANCELED', now, 'SHOP_CANCELED');
  for (const l of order.lines) {
    if (l.state === 'REFUSED') continue;
    l.state = 'CANCELED';
    if (debited) {
      const { taxes, shippingTaxes } = lineAmounts(l, 'TAX_INCLUDED');
      refundTransactions(ctx.state, order, l, l.unitNet.times(l.quantity), taxes, l.shippingNet, shippingTaxes, now, null);
    }
  }
  return noContent();
}

/** OR30: cancels quantities of lines not yet shipped. */
export function cancelLines(ctx: Ctx): Reply {
  const { state } = ctx;
  const b = asObject(ctx.body);
  const mode = taxModeOf(state, b.order_tax_mode);
  const now = state.clock.now();
  const requests = asArray(b.cancelations);
  if (requests.length === 0) return fail(400, 'cancelations is required', 'VALIDATION_ERROR');
  const checked: { order: EmuOrder; line: EmuOrderLine; c: Record<string, unknown>; m: Exclude<ReturnType<typeof readMoneyBack>, string> }[] = [];
  for (const c of requests) {
    const found = findLine(state, String(c.order_line_id ?? ''));
    if (!found) return fail(400, `Order line ${String(c.order_line_id)} not found`, 'ORDER_LINE_NOT_FOUND');
    if (!['WAITING_DEBIT_PAYMENT', 'SHIPPING'].includes(found.line.state))
      return fail(400, `Order line ${found.line.id} is ${found.line.state} and cannot be cancelled`, 'ORDER_LINE_INVALID_STATE');
    const cancelled = found.line.cancelations.reduce((a, x) => a + x.quantity, 0);
    if (Number(c.quantity) > found.line.quantity - cancelled)
      return fail(400, `Order line ${found.line.id}: cannot cancel ${String(c.quantity)}`, 'QUANTITY_EXCEEDED');
    const m = readMoneyBack(c, found.line, mode, false);
    if (typeof m === 'string') return fail(400, m, 'VALIDATION_ERROR');
    checked.push({ ...found, c, m });
  }
  const out: unknown[] = [];
  for (const { order, line, c, m } of checked) {
    const id = String(state.nextId());
    line.cancelations.push({
      id,
      net: m.net,
      taxes: m.taxes,
      shippingNet: m.shippingNet,
      shippingTaxes: m.shippingTaxes,
      quantity: Number(c.quantity),
      reasonCode: String(c.reason_code),
      createdMs: now,
    });
    if (line.cancelations.reduce((a, x) => a + x.quantity, 0) >= line.quantity) line.state = 'CANCELED';
    if (order.lines.every((l) => ['CANCELED', 'REFUSED'].includes(l.state))) state.setState(order, 'CANCELED', now, 'SHOP_CANCELED');
    // The customer was debited: what is cancelled goes back to them, and off the shop's account (TL02 REFUND_* lines).
    if (order.debitedMs !== null) refundTransactions(state, order, line, m.net, m.taxes, m.shippingNet, m.shippingTaxes, now, null);
    order.lastUpdatedMs = now;
    out.push({
      id,
      cancelation_id: id,
      order_line_id: line.id,
      amount: money(m.amount),
      quantity: Number(c.quantity),
      reason_code: c.reason_code,
    });
  }
  return ok({ cancelations: out });
}
