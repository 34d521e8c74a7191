import Decimal from 'decimal.js';
import type { RefundForm } from '../../../shared/contract/finance';
import { parseAmount } from '../../format/money';

type FormLine = RefundForm['lines'][number];

/** What is left to refund on one order line: what was ordered less what was refunded before, never below zero. */
export interface Remaining {
  quantity: number;
  amount: Decimal;
  shipping: Decimal;
}

export function remainingOf(line: FormLine): Remaining {
  const floor = (d: Decimal) => Decimal.max(d, 0);
  return {
    quantity: Math.max(0, line.quantity - line.refundedQuantity),
    amount: floor(new Decimal(line.price).minus(line.refundedAmount)),
    shipping: floor(new Decimal(line.shippingPrice).minus(line.refundedShipping)),
  };
}

/** A line can be refunded when the marketplace allows it and something is left on it. */
export function canRefund(line: FormLine): boolean {
  const left = remainingOf(line);
  return line.refundable && (left.quantity > 0 || left.amount.gt(0) || left.shipping.gt(0));
}

/** One line of the form as typed: text, so a half-typed amount is kept as it is. */
export interface LineDraft {
  include: boolean;
  quantity: string;
  amount: string;
  shipping: string;
}

export type RefundDraft = Record<string, LineDraft>;

/** Every line starts from what is left to refund on it; none is ticked until a person ticks it. */
export function draftFrom(form: RefundForm): RefundDraft {
  return Object.fromEntries(
    form.lines.map((line) => {
      const left = remainingOf(line);
      return [line.orderLineId, { include: false, quantity: String(left.quantity), amount: left.amount.toFixed(2), shipping: left.shipping.toFixed(2) }];
    }),
  );
}

/**
 * A changed quantity brings the amount with it: the unit price for each unit, and exactly what is left once every
 * unit left is refunded (so rounding on the marketplace's line total is never left behind).
 */
export function amountForQuantity(line: FormLine, quantity: number): string {
  const left = remainingOf(line);
  if (quantity >= left.quantity) return left.amount.toFixed(2);
  return Decimal.min(new Decimal(line.unitPrice).times(Math.max(0, quantity)), left.amount).toFixed(2);
}

export interface LineErrors {
  quantity?: string;
  amount?: string;
  shipping?: string;
  line?: string;
}

export interface CheckedLine {
  orderLineId: string;
  quantity: number;
  amount: Decimal;
  shipping: Decimal;
}

export type DraftCheck =
  | { ok: true; lines: CheckedLine[]; amount: Decimal; shipping: Decimal; total: Decimal }
  | { ok: false; errors: Record<string, LineErrors>; nothingChosen: boolean };

/** The ticked lines, each within what is left to refund on it, or what is wrong with each, in words. */
export function checkDraft(form: RefundForm, draft: RefundDraft, money: (d: Decimal) => string): DraftCheck {
  const errors: Record<string, LineErrors> = {};
  const lines: CheckedLine[] = [];
  for (const line of form.lines) {
    const d = draft[line.orderLineId];
    if (!d?.include) continue;
    const left = remainingOf(line);
    const e: LineErrors = {};
    const quantity = /^\d{1,6}$/.test(d.quantity.trim()) ? Number(d.quantity.trim()) : null;
    if (quantity === null) e.quantity = 'A whole number of units';
    else if (quantity > left.quantity) e.quantity = `At most ${left.quantity} left to refund`;
    const amount = parseAmount(d.amount);
    if (amount === null) e.amount = 'An amount such as 12.50';
    else if (amount.gt(left.amount)) e.amount = `At most ${money(left.amount)} left to refund`;
    const shipping = parseAmount(d.shipping);
    if (shipping === null) e.shipping = 'An amount such as 3.95';
    else if (shipping.gt(left.shipping)) e.shipping = `At most ${money(left.shipping)} of shipping left to refund`;
    // Units alone refund nothing: the marketplace takes a refund as money, goods or shipping.
    if (!e.amount && !e.shipping && amount!.isZero() && shipping!.isZero()) {
      e.line = 'Nothing to refund on this line: enter an amount or shipping, or untick it';
    }
    if (Object.keys(e).length) errors[line.orderLineId] = e;
    else lines.push({ orderLineId: line.orderLineId, quantity: quantity!, amount: amount!, shipping: shipping! });
  }
  if (Object.keys(errors).length || lines.length === 0) return { ok: false, errors, nothingChosen: lines.length === 0 && !Object.keys(errors).length };
  const amount = lines.reduce((t, l) => t.plus(l.amount), new Decimal(0));
  const shipping = lines.reduce((t, l) => t.plus(l.shipping), new Decimal(0));
  return { ok: true, lines, amount, shipping, total: amount.plus(shipping) };
}
