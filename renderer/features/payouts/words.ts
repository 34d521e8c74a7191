import { formatDate } from '../../format/time';
import type { CommandResponse } from '../../../shared/contract';
import type { PayoutLine, PayoutSummary } from '../../../shared/contract/settlement';
import type { PayoutLineClass } from '../../../shared/domain/finance';
import { formatMoney } from '../../format/money';
import { humanise } from '../../format/words';

/** How a line stands against SAP, in the words of the class filter and the lines' Class column. */
export const CLASS_LABELS: Record<PayoutLineClass, string> = {
  matched: 'Matched',
  'amount-differs': 'Amount differs',
  'missing-in-sap': 'Missing in SAP',
  fee: 'Fees',
  reserve: 'Reserve',
  pending: 'Pending',
  payment: 'Payout',
};

/** The console's word for a transaction line ("sale-vat" → "Sale VAT"); a few read better spelt out. */
const KIND_WORDS: Record<string, string> = {
  'commission-vat': 'Commission VAT',
  'commission-reversal': 'Commission refunded',
  'commission-vat-reversal': 'Commission VAT refunded',
  'reserve-held': 'Reserve held',
  'reserve-released': 'Reserve released',
  payment: 'Payout',
  other: 'Other',
};
export const kindLabel = (kind: string): string => KIND_WORDS[kind] ?? humanise(kind);

export const SAP_DOCUMENT_LABELS: Record<NonNullable<PayoutLine['sapDocument']>['kind'], string> = { invoice: 'A/R Invoice', 'credit-memo': 'Credit Memo' };

/** "Ties", "Differs by £0.01", "Being read: 4,000 lines, 2 pages", "Not read yet". */
/**
 * A cycle's dates: "16 Nov 2026 – 15 Dec 2026" where the marketplace gives both; John Lewis' SBC11 gives only the day
 * the cycle was created (its close), shown alone rather than as a range with no end.
 */
export function cycleDates(cycle: Pick<PayoutSummary, 'startDate' | 'endDate'>): string {
  if (cycle.startDate && cycle.endDate) return `${formatDate(cycle.startDate)} – ${formatDate(cycle.endDate)}`;
  return formatDate(cycle.startDate ?? cycle.endDate);
}

export function tieOutText(cycle: PayoutSummary): string {
  switch (cycle.tieOut) {
    case 'ties':
      return 'Ties';
    case 'differs':
      return cycle.tieOutDifference === null ? 'Differs' : `Differs by ${formatMoney(cycle.tieOutDifference, cycle.currency)}`;
    case 'reading':
      return `Being read: ${cycle.read.lines.toLocaleString('en-GB')} ${cycle.read.lines === 1 ? 'line' : 'lines'}, ${cycle.read.pages} ${cycle.read.pages === 1 ? 'page' : 'pages'}`;
    case 'not-read':
      return 'Not read yet';
  }
}

/** "A/P Invoice 901 · Incoming Payment 902", or "Not posted". */
export function postedText(posted: PayoutSummary['posted']): string {
  if (!posted) return 'Not posted';
  const parts = [
    posted.purchaseInvoiceDocNum === null ? null : `A/P Invoice ${posted.purchaseInvoiceDocNum}`,
    posted.paymentDocNum === null ? null : `Incoming Payment ${posted.paymentDocNum}`,
  ].filter((p) => p !== null);
  return parts.length ? parts.join(' · ') : 'Posted';
}

type PostOutcome = CommandResponse<'payouts.post'>['results'][number]['outcome'];
export const POST_OUTCOME_LABELS: Record<PostOutcome, string> = {
  posted: 'Posted',
  found: 'Already in SAP',
  'would-post': 'Would post (dry run)',
  refused: 'Not posted',
};

/** The totals as finance books them, in the order of the totals table. */
export const TOTAL_ROWS = [
  ['sales', 'Sales'],
  ['shipping', 'Shipping'],
  ['vat', 'VAT'],
  ['refunds', 'Refunds'],
  ['commission', 'Commission'],
  ['commissionVat', 'Commission VAT'],
  ['subscription', 'Subscription'],
  ['otherFees', 'Other fees'],
  ['reserve', 'Reserve'],
  ['netPayout', 'Net payout'],
] as const;
