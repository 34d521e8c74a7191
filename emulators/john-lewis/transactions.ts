import type Decimal from 'decimal.js';
import { d, round2 } from './money';
import type { EmuOrder, EmuOrderLine, EmuPaymentState, EmuTaxPart, EmuTransaction, TaxCode } from './model';
import type { EmulatorState } from './state';

/** TL02 `transaction_type`: the 51 values of the spec's enum, in its order. */
export const TRANSACTION_TYPES = [
  'MANUAL_CREDIT',
  'MANUAL_CREDIT_VAT',
  'MANUAL_INVOICE',
  'MANUAL_INVOICE_VAT',
  'INVOICEABLE_ONE_OFF_DEBIT',
  'INVOICEABLE_ONE_OFF_DEBIT_TAX',
  'INVOICEABLE_ONE_OFF_CREDIT',
  'INVOICEABLE_ONE_OFF_CREDIT_TAX',
  'ORDER_AMOUNT',
  'ORDER_AMOUNT_TAX',
  'ORDER_SHIPPING_AMOUNT',
  'ORDER_SHIPPING_AMOUNT_TAX',
  'COMMISSION_FEE',
  'COMMISSION_VAT',
  'REFUND_ORDER_AMOUNT',
  'REFUND_ORDER_AMOUNT_TAX',
  'REFUND_ORDER_SHIPPING_AMOUNT',
  'REFUND_ORDER_SHIPPING_AMOUNT_TAX',
  'REFUND_COMMISSION_FEE',
  'REFUND_COMMISSION_VAT',
  'SUBSCRIPTION_FEE',
  'SUBSCRIPTION_VAT',
  'OPERATOR_REMITTED_ORDER_AMOUNT_TAX',
  'OPERATOR_REMITTED_ORDER_SHIPPING_AMOUNT_TAX',
  'OPERATOR_REMITTED_REFUND_ORDER_AMOUNT_TAX',
  'OPERATOR_REMITTED_REFUND_ORDER_SHIPPING_AMOUNT_TAX',
  'OPERATOR_PAID_ORDER_SHIPPING_AMOUNT',
  'OPERATOR_PAID_ORDER_SHIPPING_AMOUNT_TAX',
  'OPERATOR_PAID_REFUND_ORDER_SHIPPING_AMOUNT',
  'OPERATOR_PAID_REFUND_ORDER_SHIPPING_AMOUNT_TAX',
  'PAYMENT',
  'PURCHASE_COMMISSION_FEE',
  'PURCHASE_SHIPPING_COMMISSION_FEE',
  'PURCHASE_ORDER_AMOUNT_TAX',
  'PURCHASE_ORDER_SHIPPING_AMOUNT_TAX',
  'REFUND_PURCHASE_COMMISSION_FEE',
  'REFUND_PURCHASE_SHIPPING_COMMISSION_FEE',
  'REFUND_PURCHASE_ORDER_AMOUNT_TAX',
  'REFUND_PURCHASE_ORDER_SHIPPING_AMOUNT_TAX',
  'ORDER_FEE_AMOUNT',
  'OPERATOR_REMITTED_ORDER_FEE_AMOUNT',
  'REFUND_ORDER_FEE_AMOUNT',
  'OPERATOR_REMITTED_REFUND_ORDER_FEE_AMOUNT',
  'PURCHASE_FEE_COMMISSION_FEE',
  'REFUND_PURCHASE_FEE_COMMISSION_FEE',
  'RESERVE_FUNDING',
  'RESERVE_SETTLEMENT',
  'SELLER_FEE_ON_ORDER',
  'SELLER_FEE_ON_ORDER_TAX',
  'SELLER_PENALTY_FEE',
  'SELLER_PENALTY_FEE_TAX',
] as const;

export const PAYMENT_STATES: readonly EmuPaymentState[] = ['PENDING', 'PAYABLE', 'PAID', 'NOT_APPLICABLE', 'RESERVE'];

export interface TransactionDraft {
  type: string;
  amount: Decimal;
  atMs: number;
  paymentState: EmuPaymentState;
  order?: EmuOrder | null;
  line?: EmuOrderLine | null;
  refundId?: string | null;
  orderTax?: TaxCode | null;
  shopTax?: TaxCode | null;
  manualDocument?: { number: string; emissionMs: number } | null;
  /** Written straight into a cycle (its PAYMENT line); otherwise open until a cycle takes it. */
  billingCycleId?: string | null;
}

/** Writes one TL02 line (amount to the penny) and indexes it by order; it is open until a cycle takes it. */
export function recordTransaction(state: EmulatorState, draft: TransactionDraft): EmuTransaction {
  const amount = round2(draft.amount);
  if (draft.paymentState !== 'NOT_APPLICABLE') state.balance = state.balance.plus(amount);
  const manual = draft.manualDocument ?? null;
  const t: EmuTransaction = {
    id: state.uuid(),
    seq: state.transactions.length + 1,
    type: draft.type,
    amount,
    createdMs: draft.atMs,
    lastUpdatedMs: draft.atMs,
    paymentState: draft.paymentState,
    billingCycleId: draft.billingCycleId ?? null,
    accountingDocumentNumber: manual?.number ?? null,
    accountingDocumentMs: manual?.emissionMs ?? null,
    orderId: draft.order?.orderId ?? null,
    commercialId: draft.order?.commercialId ?? null,
    orderCreatedMs: draft.order?.createdMs ?? null,
    orderLineId: draft.line?.id ?? null,
    refundId: draft.refundId ?? null,
    orderTax: draft.orderTax ?? null,
    shopTax: draft.shopTax ?? null,
    manualDocument: manual,
    balance: state.balance,
    paymentVoucherNumber: null,
  };
  state.transactions.push(t);
  if (t.billingCycleId === null) state.openTransactions.push(t);
  if (t.orderId !== null) {
    const list = state.transactionsByOrder.get(t.orderId);
    if (list) list.push(t);
    else state.transactionsByOrder.set(t.orderId, [t]);
  }
  return t;
}

/** Order states in which the order's sale lines are payable, by the operator's setting (config.orderPayableOn). */
const PAYABLE_FROM: Record<EmulatorState['config']['orderPayableOn'], readonly string[] | null> = {
  debit: null,
  shipment: ['SHIPPED', 'TO_COLLECT', 'RECEIVED', 'CLOSED', 'CANCELED'],
  receipt: ['RECEIVED', 'CLOSED', 'CANCELED'],
};

/** Whether an order's sale, shipping and commission lines may be paid out now (PAYABLE) or wait (PENDING). */
export function orderLinesPayable(state: EmulatorState, order: EmuOrder): boolean {
  const from = PAYABLE_FROM[state.config.orderPayableOn];
  return from === null || from.includes(order.state);
}

/** PENDING lines become PAYABLE: the order's own (refund id null) when `refundId` is null, else that refund's. */
export function releaseLines(state: EmulatorState, orderId: string, refundId: string | null, atMs: number): void {
  for (const t of state.transactionsByOrder.get(orderId) ?? []) {
    if (t.paymentState !== 'PENDING' || t.refundId !== refundId) continue;
    t.paymentState = 'PAYABLE';
    t.lastUpdatedMs = Math.max(t.lastUpdatedMs, atMs);
  }
}

/**
 * One tax line per code (a line can carry several), each naming its code and rate as `entities.order_tax`; a part of
 * no tax (zero-rated, or nothing sent) still has its line of 0.00, as every amount line has.
 */
export function taxLines(
  state: EmulatorState,
  type: string,
  parts: readonly EmuTaxPart[],
  codes: readonly TaxCode[],
  sign: 1 | -1,
  base: Omit<TransactionDraft, 'type' | 'amount'>,
): void {
  const written = parts.length ? parts : [{ code: codes[0]?.code ?? '', amount: d(0) }];
  for (const p of written) {
    const code = codes.find((c) => c.code === p.code) ?? null;
    recordTransaction(state, { ...base, type, amount: sign === 1 ? p.amount : p.amount.neg(), orderTax: code });
  }
}
