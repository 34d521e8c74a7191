import { own } from './states';
import type { PaymentState, TransactionKind } from '../ports/marketplace';

/** TL02 `transaction_type` (the reference's families, §6) in the console's words. */
const KIND_OF: Readonly<Record<string, TransactionKind>> = {
  ORDER_AMOUNT: 'sale',
  ORDER_AMOUNT_TAX: 'sale-vat',
  ORDER_SHIPPING_AMOUNT: 'shipping',
  ORDER_SHIPPING_AMOUNT_TAX: 'shipping-vat',
  ORDER_FEE_AMOUNT: 'order-fee',
  COMMISSION_FEE: 'commission',
  COMMISSION_VAT: 'commission-vat',
  REFUND_COMMISSION_FEE: 'commission-reversal',
  REFUND_COMMISSION_VAT: 'commission-vat-reversal',
  REFUND_ORDER_AMOUNT: 'refund',
  REFUND_ORDER_AMOUNT_TAX: 'refund-vat',
  REFUND_ORDER_SHIPPING_AMOUNT: 'refund-shipping',
  REFUND_ORDER_SHIPPING_AMOUNT_TAX: 'refund-shipping-vat',
  REFUND_ORDER_FEE_AMOUNT: 'refund-fee',
  SUBSCRIPTION_FEE: 'subscription',
  SUBSCRIPTION_VAT: 'subscription-vat',
  MANUAL_INVOICE: 'manual-invoice',
  MANUAL_INVOICE_VAT: 'manual-invoice-vat',
  MANUAL_CREDIT: 'manual-credit',
  MANUAL_CREDIT_VAT: 'manual-credit-vat',
  INVOICEABLE_ONE_OFF_DEBIT: 'manual-invoice',
  INVOICEABLE_ONE_OFF_DEBIT_TAX: 'manual-invoice-vat',
  INVOICEABLE_ONE_OFF_CREDIT: 'manual-credit',
  INVOICEABLE_ONE_OFF_CREDIT_TAX: 'manual-credit-vat',
  SELLER_FEE_ON_ORDER: 'seller-fee',
  SELLER_FEE_ON_ORDER_TAX: 'seller-fee-vat',
  SELLER_PENALTY_FEE: 'seller-fee',
  SELLER_PENALTY_FEE_TAX: 'seller-fee-vat',
  RESERVE_FUNDING: 'reserve-held',
  RESERVE_SETTLEMENT: 'reserve-released',
  PURCHASE_COMMISSION_FEE: 'purchase-commission',
  PURCHASE_SHIPPING_COMMISSION_FEE: 'purchase-commission',
  PURCHASE_FEE_COMMISSION_FEE: 'purchase-commission',
  PURCHASE_ORDER_AMOUNT_TAX: 'purchase-vat',
  PURCHASE_ORDER_SHIPPING_AMOUNT_TAX: 'purchase-vat',
  PAYMENT: 'payment',
};

export function transactionKind(code: string | null): TransactionKind {
  if (code === null) return 'other';
  const known = own(KIND_OF, code);
  if (known) return known;
  // Families named by prefix in the reference: their members are many and grow.
  if (code.startsWith('REFUND_PURCHASE_')) return 'purchase-refund';
  if (code.startsWith('OPERATOR_REMITTED_')) return 'operator-remitted-tax';
  if (code.startsWith('OPERATOR_PAID_')) return 'operator-paid-shipping';
  return 'other';
}

const STATE_OF: Readonly<Record<string, PaymentState>> = {
  PENDING: 'pending',
  PAYABLE: 'payable',
  PAID: 'paid',
  NOT_APPLICABLE: 'not-applicable',
  RESERVE: 'reserve',
};
export const paymentState = (code: string | null): PaymentState => own(STATE_OF, code) ?? 'unknown';
