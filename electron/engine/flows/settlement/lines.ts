import Decimal from 'decimal.js';
import type { PaymentState, TransactionKind } from '../../connectors/ports/marketplace';
import type { PayoutLineClass } from '../../../../shared/domain/finance';
import type { PayoutTotals } from '../../../../shared/contract/settlement';

/** Lines of an order's sale: matched, per order, with its A/R Invoices (net and VAT apart). */
export const SALE_KINDS = ['sale', 'sale-vat', 'shipping', 'shipping-vat'] as const satisfies readonly TransactionKind[];
/** Lines of a customer's refund: matched, per refund, with its Credit Memo. */
export const REFUND_KINDS = ['refund', 'refund-vat', 'refund-shipping', 'refund-shipping-vat'] as const satisfies readonly TransactionKind[];
const SALE_NET: ReadonlySet<TransactionKind> = new Set(['sale', 'shipping']);
const REFUND_NET: ReadonlySet<TransactionKind> = new Set(['refund', 'refund-shipping']);

export type MatchGroup = 'sale' | 'refund';

export function groupOf(kind: TransactionKind | string): MatchGroup | null {
  if ((SALE_KINDS as readonly string[]).includes(kind)) return 'sale';
  if ((REFUND_KINDS as readonly string[]).includes(kind)) return 'refund';
  return null;
}

/** Whether a line of a sale or refund is its net amount (goods, shipping) or its VAT. */
export const isNet = (kind: string): boolean => SALE_NET.has(kind as TransactionKind) || REFUND_NET.has(kind as TransactionKind);

/**
 * A line's money is part of this cycle's payout unless the marketplace has not made it payable yet (pending), says
 * it is never paid (not applicable), or it belongs to no cycle while payable (due in a later payout).
 */
export function isPending(paymentState: PaymentState | string, inCycle: boolean): boolean {
  return paymentState === 'pending' || paymentState === 'not-applicable' || (paymentState === 'payable' && !inCycle);
}

/**
 * What a line is before SAP is asked: the payout itself, pending, reserve, a fee (commission, subscription, manual
 * documents, seller fees, the purchase side of a dropship shop: no customer document pays them), or null for a sale
 * or refund line, whose class matching decides.
 */
export function classBeforeMatching(kind: TransactionKind, paymentState: PaymentState, inCycle: boolean): PayoutLineClass | null {
  if (kind === 'payment') return 'payment';
  if (isPending(paymentState, inCycle)) return 'pending';
  if (kind === 'reserve-held' || kind === 'reserve-released' || paymentState === 'reserve') return 'reserve';
  if (groupOf(kind)) return null;
  return 'fee';
}

/**
 * Which total a line counts in. They add up to the net payout: sales (goods, and order fees the customer paid),
 * shipping, VAT (on sales and shipping, less VAT refunded; on a dropship shop the marketplace's purchase VAT),
 * refunds (goods and shipping refunded, net), commission (and its reversals, and a dropship shop's purchase
 * commission), commission VAT, subscription (with its VAT), other fees (manual documents, seller fees and penalties,
 * tax or shipping the operator pays or remits, the dropship purchase side's refunds, types the console does not
 * know), reserve (held and released).
 */
export type TotalField = Exclude<keyof PayoutTotals, 'month' | 'netPayout'>;
const FIELD_OF: Readonly<Record<Exclude<TransactionKind, 'payment'>, TotalField>> = {
  sale: 'sales',
  'order-fee': 'sales',
  shipping: 'shipping',
  'sale-vat': 'vat',
  'shipping-vat': 'vat',
  'refund-vat': 'vat',
  'refund-shipping-vat': 'vat',
  'purchase-vat': 'vat',
  refund: 'refunds',
  'refund-shipping': 'refunds',
  'refund-fee': 'refunds',
  commission: 'commission',
  'commission-reversal': 'commission',
  'purchase-commission': 'commission',
  'commission-vat': 'commissionVat',
  'commission-vat-reversal': 'commissionVat',
  subscription: 'subscription',
  'subscription-vat': 'subscription',
  'manual-invoice': 'otherFees',
  'manual-invoice-vat': 'otherFees',
  'manual-credit': 'otherFees',
  'manual-credit-vat': 'otherFees',
  'seller-fee': 'otherFees',
  'seller-fee-vat': 'otherFees',
  'operator-remitted-tax': 'otherFees',
  'operator-paid-shipping': 'otherFees',
  'purchase-refund': 'otherFees',
  other: 'otherFees',
  'reserve-held': 'reserve',
  'reserve-released': 'reserve',
};
export const totalFieldOf = (kind: string): TotalField => (Object.hasOwn(FIELD_OF, kind) ? FIELD_OF[kind as Exclude<TransactionKind, 'payment'>] : 'otherFees');

const TOTAL_FIELDS: readonly TotalField[] = ['sales', 'shipping', 'vat', 'refunds', 'commission', 'commissionVat', 'subscription', 'otherFees', 'reserve'];

/** Running totals of lines (a cycle's, or one month's part of it). */
export class Totals {
  private readonly sums = new Map<TotalField, Decimal>(TOTAL_FIELDS.map((f) => [f, new Decimal(0)]));
  net = new Decimal(0);

  add(kind: string, amount: Decimal): void {
    const field = totalFieldOf(kind);
    this.sums.set(field, this.sums.get(field)!.plus(amount));
    this.net = this.net.plus(amount);
  }

  toJSON(): Omit<PayoutTotals, 'month'> {
    const out = Object.fromEntries(TOTAL_FIELDS.map((f) => [f, this.sums.get(f)!.toFixed(2)])) as Record<TotalField, string>;
    return { ...out, netPayout: this.net.toFixed(2) };
  }

  static zero(): Omit<PayoutTotals, 'month'> {
    return new Totals().toJSON();
  }

  /** Sums stored totals (a month across cycles). */
  static sum(parts: readonly Omit<PayoutTotals, 'month'>[]): Omit<PayoutTotals, 'month'> {
    const t = new Totals();
    for (const p of parts) {
      for (const f of TOTAL_FIELDS) t.sums.set(f, t.sums.get(f)!.plus(p[f]));
      t.net = t.net.plus(p.netPayout);
    }
    return t.toJSON();
  }
}

export const OFFICE_TIME_ZONE = 'Europe/London';
const monthParts = new Intl.DateTimeFormat('en-GB', { timeZone: OFFICE_TIME_ZONE, year: 'numeric', month: '2-digit' });

/** The month (YYYY-MM) an instant falls in, UK time: a line created at 00:30 BST on 1 July belongs to July. */
export function ukMonth(iso: string | null): string | null {
  if (!iso) return null;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return null;
  const p = Object.fromEntries(monthParts.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}`;
}

const dayParts = new Intl.DateTimeFormat('en-CA', { timeZone: OFFICE_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });
/** The UK calendar day (YYYY-MM-DD) of an instant; a bare date is taken as it is. */
export function ukDay(iso: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) return iso;
  return dayParts.format(new Date(Date.parse(iso)));
}
