import type Decimal from 'decimal.js';
import { d, round2 } from './money';
import type { EmuBillingCycle, EmuInvoice, EmuInvoiceDetail, EmuPaymentState, EmuTransaction, TaxCode } from './model';
import { VAT_STANDARD, type EmulatorState } from './state';
import { PAYMENT_STATES, recordTransaction, TRANSACTION_TYPES } from './transactions';

/** Lines a closing cycle takes: due (PAYABLE), held in reserve, or shown but never paid through the marketplace. */
const TAKEN_BY_A_CYCLE: readonly EmuPaymentState[] = ['PAYABLE', 'RESERVE', 'NOT_APPLICABLE'];

/**
 * The AUTO_INVOICE's rows: the marketplace invoices the shop its commission, subscription, seller fees and one-off
 * items (their VAT beside them), and gives back commission on refunds. `types`: the amount lines; `vat`: their VAT.
 */
const INVOICED: readonly { description: string; types: readonly string[]; vat: readonly string[] }[] = [
  {
    description: 'Commissions of completed orders',
    types: ['COMMISSION_FEE', 'PURCHASE_COMMISSION_FEE', 'PURCHASE_SHIPPING_COMMISSION_FEE', 'PURCHASE_FEE_COMMISSION_FEE'],
    vat: ['COMMISSION_VAT'],
  },
  {
    description: 'Commissions refunded on orders',
    types: ['REFUND_COMMISSION_FEE', 'REFUND_PURCHASE_COMMISSION_FEE', 'REFUND_PURCHASE_SHIPPING_COMMISSION_FEE', 'REFUND_PURCHASE_FEE_COMMISSION_FEE'],
    vat: ['REFUND_COMMISSION_VAT'],
  },
  { description: 'Subscription', types: ['SUBSCRIPTION_FEE'], vat: ['SUBSCRIPTION_VAT'] },
  { description: 'Seller fees on orders', types: ['SELLER_FEE_ON_ORDER'], vat: ['SELLER_FEE_ON_ORDER_TAX'] },
  { description: 'Seller penalty fees', types: ['SELLER_PENALTY_FEE'], vat: ['SELLER_PENALTY_FEE_TAX'] },
  {
    description: 'One-off items',
    types: ['INVOICEABLE_ONE_OFF_DEBIT', 'INVOICEABLE_ONE_OFF_CREDIT'],
    vat: ['INVOICEABLE_ONE_OFF_DEBIT_TAX', 'INVOICEABLE_ONE_OFF_CREDIT_TAX'],
  },
];
const INVOICED_TYPES = new Set(INVOICED.flatMap((r) => [...r.types, ...r.vat]));

const ukDate = (ms: number) => new Date(ms).toLocaleDateString('en-GB', { timeZone: 'Europe/London' });

/** The running number of payouts, as the voucher and the bank reference show it. */
const voucherOf = (n: number) => String(n).padStart(6, '0');

export interface CloseCycleInput {
  /** Lines created up to this time (ISO) join the cycle; default: now. */
  endAt?: string;
  /** false: the cycle waits TO_PAY (lines PAYABLE, no PAYMENT line) until it is paid out. Default: paid at once. */
  payOut?: boolean;
  /** When the money is transferred (ISO): the PAYMENT line's date and SBC11 `pay_out.transaction_date`; default now. */
  paidAt?: string;
  /**
   * A planted difference: the marketplace transfers this much more (negative: less) than the cycle's lines add up to.
   * SBC11 `amount_transferred_to_seller` and the PAYMENT line both show what was transferred.
   */
  transferredOffBy?: string;
}

function timeOf(state: EmulatorState, iso: string | undefined, field: string): number {
  if (iso === undefined) return state.clock.now();
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`${field} is not a date-time: ${iso}`);
  return ms;
}

/**
 * The marketplace's payment cycle runs: every payable line created up to `endAt` that no cycle has taken (and lines
 * held in reserve or not applicable) form a billing cycle (SBC11); its commission and fees are invoiced on one
 * AUTO_INVOICE (IV01) whose number the fee lines carry; manual invoices and credits among its lines are settled with
 * it. PENDING lines wait for a later cycle. Paid out (the default), a PAYMENT line clears what was transferred and
 * the payable lines are PAID. Null when no line is due.
 */
export function closeBillingCycle(state: EmulatorState, input: CloseCycleInput = {}): EmuBillingCycle | null {
  const now = state.clock.now();
  const endMs = timeOf(state, input.endAt, 'endAt');
  const taken: EmuTransaction[] = [];
  const left: EmuTransaction[] = [];
  for (const t of state.openTransactions) (t.createdMs <= endMs && TAKEN_BY_A_CYCLE.includes(t.paymentState) ? taken : left).push(t);
  if (taken.length === 0) return null;
  state.openTransactions = left;
  taken.sort((a, b) => a.createdMs - b.createdMs || a.seq - b.seq);
  const id = state.uuid();
  const previous = state.cycles.at(-1);
  const startMs = previous ? previous.endMs : taken[0]!.createdMs;
  const number = state.cycles.length + 1;

  const invoiced = taken.filter((t) => INVOICED_TYPES.has(t.type));
  let invoice: EmuInvoice | null = null;
  if (invoiced.length > 0) {
    const details: EmuInvoiceDetail[] = [];
    for (const row of INVOICED) {
      const amounts = invoiced.filter((t) => row.types.includes(t.type));
      const vat = invoiced.filter((t) => row.vat.includes(t.type));
      if (amounts.length === 0 && vat.length === 0) continue;
      // The shop's debits are the invoice's charges: signs turn round.
      const taxes = new Map<string, Decimal>();
      for (const t of vat) taxes.set(t.shopTax?.code ?? VAT_STANDARD.code, (taxes.get(t.shopTax?.code ?? VAT_STANDARD.code) ?? d(0)).minus(t.amount));
      details.push({
        description: `${row.description} from ${ukDate(startMs)} to ${ukDate(endMs)}`,
        quantity: 1,
        amountExcl: amounts.reduce((a, t) => a.minus(t.amount), d(0)),
        taxes: [...taxes].map(([code, amount]) => ({ code, amount })),
      });
    }
    invoice = newInvoice(state, 'AUTO_INVOICE', now, details, 'BATCH');
    invoice.billingCycleId = id;
    invoice.startMs = startMs;
    invoice.endMs = endMs;
    for (const t of invoiced) {
      t.accountingDocumentNumber = String(invoice.invoiceId);
      t.accountingDocumentMs = now;
    }
  }
  for (const doc of state.invoices)
    if (doc.type !== 'AUTO_INVOICE' && doc.billingCycleId === null && taken.some((t) => t.manualDocument?.number === String(doc.invoiceId)))
      doc.billingCycleId = id;

  for (const t of taken) {
    t.billingCycleId = id;
    t.lastUpdatedMs = Math.max(t.lastUpdatedMs, now);
  }
  const linesTotal = taken.filter((t) => t.paymentState !== 'NOT_APPLICABLE').reduce((a, t) => a.plus(t.amount), d(0));
  const cycle: EmuBillingCycle = {
    id,
    createdMs: now,
    startMs,
    endMs,
    linesTotal,
    amountToSeller: round2(linesTotal.plus(d(input.transferredOffBy ?? '0'))),
    amountToOperator: invoice ? invoice.totalExcl.plus(invoice.taxes) : d(0),
    payOutReference: `PAYOUT-${voucherOf(number)}`,
    paymentVoucherNumber: voucherOf(number),
    payOutState: 'TO_PAY',
    paidMs: null,
    invoiceId: invoice?.invoiceId ?? null,
    lineCount: taken.length,
  };
  state.cycles.push(cycle);
  state.transactionsByCycle.set(id, taken);
  if (input.payOut !== false) payOutBillingCycle(state, id, input.paidAt);
  return cycle;
}

/** The marketplace transfers a cycle's money: PAYMENT line, payable lines PAID, its documents paid (set off against it). */
export function payOutBillingCycle(state: EmulatorState, cycleId: string, paidAt?: string): EmuBillingCycle {
  const cycle = state.cycles.find((c) => c.id === cycleId);
  if (!cycle) throw new Error(`No billing cycle ${cycleId}`);
  if (cycle.payOutState === 'PAID') throw new Error(`Billing cycle ${cycleId} is paid already`);
  const paidMs = timeOf(state, paidAt, 'paidAt');
  if (paidMs < cycle.endMs) throw new Error('A cycle is paid out after it ends');
  const lines = state.transactionsByCycle.get(cycle.id)!;
  for (const t of lines) {
    t.paymentVoucherNumber = cycle.paymentVoucherNumber;
    if (t.paymentState !== 'PAYABLE') continue;
    t.paymentState = 'PAID';
    t.lastUpdatedMs = Math.max(t.lastUpdatedMs, paidMs);
  }
  const payment = recordTransaction(state, {
    type: 'PAYMENT',
    amount: cycle.amountToSeller.neg(),
    atMs: paidMs,
    paymentState: 'PAID',
    billingCycleId: cycle.id,
  });
  payment.paymentVoucherNumber = cycle.paymentVoucherNumber;
  lines.push(payment);
  cycle.lineCount = lines.length;
  cycle.payOutState = 'PAID';
  cycle.paidMs = paidMs;
  for (const doc of state.invoices)
    if (doc.billingCycleId === cycle.id) {
      doc.paymentState = 'PAID';
      doc.paymentReference = cycle.payOutReference;
      doc.paymentMs = paidMs;
    }
  return cycle;
}

function newInvoice(state: EmulatorState, type: EmuInvoice['type'], atMs: number, details: EmuInvoiceDetail[], issuedBy: EmuInvoice['issuedBy']): EmuInvoice {
  const invoice: EmuInvoice = {
    invoiceId: state.nextId(),
    uuid: state.uuid(),
    type,
    createdMs: atMs,
    billingCycleId: null,
    startMs: null,
    endMs: null,
    details,
    totalExcl: details.reduce((a, x) => a.plus(x.amountExcl), d(0)),
    taxes: details.reduce((a, x) => x.taxes.reduce((b, t) => b.plus(t.amount), a), d(0)),
    paymentState: 'PENDING',
    paymentReference: null,
    paymentMs: null,
    issuedBy,
  };
  state.invoices.push(invoice);
  return invoice;
}

const vatOn = (net: Decimal, rate: TaxCode) => round2(net.times(rate.rate));

function moneyOf(v: unknown, field: string): Decimal {
  if (typeof v !== 'string' && typeof v !== 'number') throw new Error(`${field} is required (a decimal)`);
  try {
    return round2(d(v));
  } catch {
    throw new Error(`${field} is not a decimal: ${String(v)}`);
  }
}

/** The marketplace's monthly subscription: SUBSCRIPTION_FEE and its VAT (20 %), invoiced on the next AUTO_INVOICE. */
export function chargeSubscription(state: EmulatorState, input: { net: string; at?: string }): EmuTransaction[] {
  const net = moneyOf(input.net, 'net');
  const atMs = timeOf(state, input.at, 'at');
  return [
    recordTransaction(state, { type: 'SUBSCRIPTION_FEE', amount: net.neg(), atMs, paymentState: 'PAYABLE', shopTax: VAT_STANDARD }),
    recordTransaction(state, { type: 'SUBSCRIPTION_VAT', amount: vatOn(net, VAT_STANDARD).neg(), atMs, paymentState: 'PAYABLE', shopTax: VAT_STANDARD }),
  ];
}

export interface ManualDocumentInput {
  /** A manual invoice debits the shop (MANUAL_INVOICE); a manual credit pays it (MANUAL_CREDIT). */
  kind: 'invoice' | 'credit';
  /** Before VAT, positive. */
  net: string;
  description?: string;
  /** The order it is about, if any (IV01 `details[].order_id`). */
  orderId?: string;
  at?: string;
}

/**
 * The operator issues a manual invoice or credit (IV01 MANUAL_INVOICE / MANUAL_CREDIT, issued by an operator) and its
 * TL02 lines with VAT at 20 %, both carrying the document's number; the next cycle settles it.
 */
export function manualDocument(state: EmulatorState, input: ManualDocumentInput): { invoiceId: number; lines: EmuTransaction[] } {
  if (input.kind !== 'invoice' && input.kind !== 'credit') throw new Error("kind is 'invoice' or 'credit'");
  const net = moneyOf(input.net, 'net');
  if (!net.gt(0)) throw new Error('net must be more than 0');
  const atMs = timeOf(state, input.at, 'at');
  const order = input.orderId ? state.orders.get(input.orderId) : null;
  if (input.orderId && !order) throw new Error(`Order ${input.orderId} not found`);
  const vat = vatOn(net, VAT_STANDARD);
  const credit = input.kind === 'credit';
  const doc = newInvoice(
    state,
    credit ? 'MANUAL_CREDIT' : 'MANUAL_INVOICE',
    atMs,
    [
      {
        description: input.description ?? (credit ? 'Goodwill credit' : 'Marketing contribution'),
        quantity: 1,
        amountExcl: net,
        taxes: [{ code: VAT_STANDARD.code, amount: vat }],
        orderId: order?.orderId ?? null,
        operationMs: atMs,
      },
    ],
    'OPERATOR',
  );
  const base = { atMs, paymentState: 'PAYABLE' as const, order, shopTax: VAT_STANDARD, manualDocument: { number: String(doc.invoiceId), emissionMs: atMs } };
  const sign = (v: Decimal) => (credit ? v : v.neg());
  return {
    invoiceId: doc.invoiceId,
    lines: [
      recordTransaction(state, { ...base, type: credit ? 'MANUAL_CREDIT' : 'MANUAL_INVOICE', amount: sign(net) }),
      recordTransaction(state, { ...base, type: credit ? 'MANUAL_CREDIT_VAT' : 'MANUAL_INVOICE_VAT', amount: sign(vat) }),
    ],
  };
}

/** The marketplace holds money back from the payouts (RESERVE_FUNDING, held: RESERVE) or gives it back (RESERVE_SETTLEMENT). */
export function reserve(state: EmulatorState, input: { hold?: string; release?: string; at?: string }): EmuTransaction {
  const atMs = timeOf(state, input.at, 'at');
  if (input.hold !== undefined) {
    const amount = moneyOf(input.hold, 'hold');
    if (!amount.gt(0)) throw new Error('hold must be more than 0');
    state.reserveHeld = state.reserveHeld.plus(amount);
    return recordTransaction(state, { type: 'RESERVE_FUNDING', amount: amount.neg(), atMs, paymentState: 'RESERVE' });
  }
  const amount = input.release === undefined ? state.reserveHeld : moneyOf(input.release, 'release');
  if (!amount.gt(0) || amount.gt(state.reserveHeld)) throw new Error(`release must be more than 0 and no more than the ${state.reserveHeld.toFixed(2)} held`);
  state.reserveHeld = state.reserveHeld.minus(amount);
  return recordTransaction(state, { type: 'RESERVE_SETTLEMENT', amount, atMs, paymentState: 'PAYABLE' });
}

export interface PlantedLine {
  /** Any TL02 transaction type of the spec's enum but PAYMENT (a cycle's payout writes that). */
  type: string;
  /** Signed: a credit to the shop is positive. */
  amount: string;
  orderId?: string;
  orderLineId?: string;
  refundId?: string;
  at?: string;
  /** Default PAYABLE. */
  paymentState?: EmuPaymentState;
  /** VAT code and rate (e.g. 0.2) shown as `entities.shop_tax` (fees) or `entities.order_tax` (order and refund tax lines). */
  tax?: { code: string; rate: string };
}

/** Lines the marketplace writes outside the emulator's own flows, as given: any type, amount, date and state. */
export function plantTransactions(state: EmulatorState, lines: readonly PlantedLine[]): EmuTransaction[] {
  const drafts = lines.map((l, i) => {
    if (!(TRANSACTION_TYPES as readonly string[]).includes(l.type) || l.type === 'PAYMENT')
      throw new Error(`lines[${i}].type: ${String(l.type)} is not a transaction type`);
    const paymentState = l.paymentState ?? 'PAYABLE';
    if (!PAYMENT_STATES.includes(paymentState) || paymentState === 'PAID') throw new Error(`lines[${i}].paymentState: ${paymentState} cannot be planted`);
    let order = l.orderId ? state.orders.get(l.orderId) : undefined;
    if (l.orderId && !order) throw new Error(`lines[${i}]: order ${l.orderId} not found`);
    const line = l.orderLineId
      ? (order ? [order] : [...state.orders.values()]).flatMap((o) => o.lines.map((x) => ({ o, x }))).find((p) => p.x.id === l.orderLineId)
      : undefined;
    if (l.orderLineId && !line) throw new Error(`lines[${i}]: order line ${l.orderLineId} not found`);
    order ??= line?.o;
    const tax = l.tax ? { code: l.tax.code, rate: d(l.tax.rate) } : null;
    const orderSide = /^(REFUND_)?ORDER_|OPERATOR_|PURCHASE_ORDER/.test(l.type);
    return {
      type: l.type,
      amount: moneyOf(l.amount, `lines[${i}].amount`),
      atMs: timeOf(state, l.at, `lines[${i}].at`),
      paymentState,
      order: order ?? null,
      line: line?.x ?? null,
      refundId: l.refundId ?? null,
      orderTax: orderSide ? tax : null,
      shopTax: orderSide ? null : tax,
    };
  });
  return drafts.map((draft) => recordTransaction(state, draft));
}

/**
 * The marketplace's own rounding: one of an order's lines not yet in a cycle (by type, and order line when given)
 * comes out `by` more (or less) than the order says. The cycle pays what the lines say.
 */
export function adjustTransaction(state: EmulatorState, input: { orderId: string; type: string; by: string; orderLineId?: string }): EmuTransaction {
  const line = (state.transactionsByOrder.get(input.orderId) ?? []).find(
    (t) => t.type === input.type && (!input.orderLineId || t.orderLineId === input.orderLineId) && t.billingCycleId === null,
  );
  if (!line) throw new Error(`Order ${input.orderId} has no ${input.type} line outside a billing cycle`);
  const by = moneyOf(input.by, 'by');
  line.amount = line.amount.plus(by);
  line.balance = line.balance.plus(by);
  if (line.paymentState !== 'NOT_APPLICABLE') state.balance = state.balance.plus(by);
  line.lastUpdatedMs = Math.max(line.lastUpdatedMs, state.clock.now());
  return line;
}
