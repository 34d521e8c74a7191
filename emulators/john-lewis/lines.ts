import type Decimal from 'decimal.js';
import { d, round2 } from './money';
import type { EmuOrder, EmuOrderLine, EmuTaxPart, TaxCode, TaxMode } from './model';
import { VAT_STANDARD, type EmulatorState } from './state';
import { orderLinesPayable, recordTransaction, taxLines } from './transactions';

/** Splits a gross line into net and per-code taxes so net + Σ taxes = gross exactly. */
export function splitTaxes(gross: Decimal, net: Decimal, codes: TaxCode[]): { code: string; rate: Decimal; amount: Decimal }[] {
  const total = gross.minus(net);
  const sumRate = codes.reduce((a, c) => a.plus(c.rate), d(0));
  let left = total;
  return codes.map((c, i) => {
    const amount = i === codes.length - 1 ? left : sumRate.isZero() ? d(0) : round2(total.times(c.rate).div(sumRate));
    left = left.minus(amount);
    return { code: c.code, rate: c.rate, amount };
  });
}

/** The order_tax_mode a request asked for, else the platform's default. */
export const taxModeOf = (state: EmulatorState, v: unknown): TaxMode => (v === 'TAX_INCLUDED' || v === 'TAX_EXCLUDED' ? v : state.config.platformTaxMode);

export function findLine(state: EmulatorState, lineId: string): { order: EmuOrder; line: EmuOrderLine } | null {
  for (const order of state.orders.values()) {
    const line = order.lines.find((l) => l.id === lineId);
    if (line) return { order, line };
  }
  return null;
}

export const sumParts = (parts: readonly EmuTaxPart[]): Decimal => parts.reduce((a, t) => a.plus(t.amount), d(0));

/** A money part (net and its taxes) as a request in `mode` states it: gross with the taxes inside, or net. */
export const inMode = (net: Decimal, taxes: readonly EmuTaxPart[], mode: TaxMode): Decimal => (mode === 'TAX_INCLUDED' ? net.plus(sumParts(taxes)) : net);

/** Units of the line the customer still has an order for (cancelled units taken off). */
export const unitsSold = (line: EmuOrderLine): number => line.quantity - line.cancelations.reduce((a, c) => a + c.quantity, 0);

/**
 * What is left to give back on a line, in `mode`: the product and the shipping it was sold for, less what was
 * cancelled and what was refunded already. A refund larger than this is refused.
 */
export function leftToRefund(line: EmuOrderLine, mode: TaxMode): { product: Decimal; shipping: Decimal } {
  const productSold = mode === 'TAX_INCLUDED' ? line.unitGross.times(line.quantity) : line.unitNet.times(line.quantity);
  const shippingSold = mode === 'TAX_INCLUDED' ? line.shippingGross : line.shippingNet;
  const given = [...line.cancelations, ...line.refunds];
  return {
    product: given.reduce((a, g) => a.minus(inMode(g.net, g.taxes, mode)), productSold),
    shipping: given.reduce((a, g) => a.minus(inMode(g.shippingNet, g.shippingTaxes, mode)), shippingSold),
  };
}

/**
 * The REFUND_* transaction lines (TL02) of money given back on a line, and the commission given back with it
 * (proportional to the line's total); returns that commission. A refund's lines are PENDING until the customer is paid
 * back (REFUNDED); a cancellation's (no refund id) are payable when the order's lines are. A dropship shop's tax and
 * commission come back on the REFUND_PURCHASE_* lines, as they went out on PURCHASE_* ones.
 */
export function refundTransactions(
  state: EmulatorState,
  order: EmuOrder,
  line: EmuOrderLine,
  net: Decimal,
  taxes: readonly EmuTaxPart[],
  shipNet: Decimal,
  shipTaxes: readonly EmuTaxPart[],
  at: number,
  refundId: string | null,
): Decimal {
  const gross = net.plus(sumParts(taxes)).plus(shipNet).plus(sumParts(shipTaxes));
  const fullGross = line.unitGross.times(line.quantity).plus(line.shippingGross);
  const fee = fullGross.isZero() ? d(0) : round2(state.commission(line).times(gross).div(fullGross));
  const dropship = state.config.shopModel === 'DROPSHIP';
  const base = {
    atMs: at,
    order,
    line,
    refundId,
    paymentState: refundId === null && orderLinesPayable(state, order) ? ('PAYABLE' as const) : ('PENDING' as const),
  };
  const add = (type: string, amount: Decimal, shopTax: TaxCode | null = null) => {
    recordTransaction(state, { ...base, type, amount, shopTax });
  };
  add('REFUND_ORDER_AMOUNT', net.neg());
  taxLines(state, dropship ? 'REFUND_PURCHASE_ORDER_AMOUNT_TAX' : 'REFUND_ORDER_AMOUNT_TAX', taxes, line.taxes, -1, base);
  add('REFUND_ORDER_SHIPPING_AMOUNT', shipNet.neg());
  taxLines(state, dropship ? 'REFUND_PURCHASE_ORDER_SHIPPING_AMOUNT_TAX' : 'REFUND_ORDER_SHIPPING_AMOUNT_TAX', shipTaxes, line.shippingTaxes, -1, base);
  add(dropship ? 'REFUND_PURCHASE_COMMISSION_FEE' : 'REFUND_COMMISSION_FEE', fee, VAT_STANDARD);
  if (!dropship) add('REFUND_COMMISSION_VAT', round2(fee.times(VAT_STANDARD.rate)), VAT_STANDARD);
  return fee;
}
