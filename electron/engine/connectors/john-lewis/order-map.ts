import Decimal from 'decimal.js';
import type { Address, LineRefund, MarketplaceOrder, MarketplaceOrderLine, Raw, TaxAmount } from '../ports/marketplace';
import { arr, bool, dec, int, obj, objOrNull, readOrNote, sentValue, str } from './read';
import { lineState, orderState, refundState } from './states';

export function toTaxes(value: unknown): TaxAmount[] {
  return arr(value).map((t) => ({ code: str(t.code), rate: dec(t.rate), amount: dec(t.amount) }));
}

export function toAddress(value: unknown): Address | null {
  const a = objOrNull(value);
  if (!a) return null;
  return {
    firstname: str(a.firstname),
    lastname: str(a.lastname),
    company: str(a.company),
    street1: str(a.street_1),
    street2: str(a.street_2),
    city: str(a.city),
    zipCode: str(a.zip_code),
    state: str(a.state),
    country: str(a.country),
    countryIsoCode: str(a.country_iso_code),
    phone: str(a.phone),
  };
}

export function toOrderLine(l: Raw): MarketplaceOrderLine {
  const unreadable: string[] = [];
  return {
    orderLineId: str(l.order_line_id) ?? '',
    state: lineState(str(l.order_line_state)),
    stateCode: str(l.order_line_state),
    sku: str(l.offer_sku),
    productSku: str(l.product_sku),
    title: str(l.product_title),
    quantity: readOrNote(l.quantity, int, 'quantity', unreadable),
    unitPrice: readOrNote(l.price_unit, dec, 'price_unit', unreadable),
    price: readOrNote(l.price, dec, 'price', unreadable),
    shippingPrice: readOrNote(l.shipping_price, dec, 'shipping_price', unreadable),
    ...(unreadable.length ? { unreadable } : {}),
    totalPrice: dec(l.total_price),
    taxes: toTaxes(l.taxes),
    shippingTaxes: toTaxes(l.shipping_taxes),
    commissionFee: dec(l.commission_fee),
    refunds: arr(l.refunds).map(toLineRefund),
    raw: l,
  };
}

function toLineRefund(r: Raw): LineRefund {
  const code = str(r.refund_state) ?? str(r.state);
  const unreadable: string[] = [];
  const amount = readOrNote(r.amount, dec, 'amount', unreadable);
  // A refund is money: one without an amount is not read as nothing refunded.
  if (r.amount === null || r.amount === undefined) unreadable.push('amount (none)');
  return {
    refundId: str(r.id) ?? str(r.refund_id) ?? '',
    amount: amount ?? new Decimal(0),
    shippingAmount: readOrNote(r.shipping_amount, dec, 'shipping_amount', unreadable) ?? new Decimal(0),
    taxes: toTaxes(r.taxes),
    shippingTaxes: toTaxes(r.shipping_taxes),
    quantity: readOrNote(r.quantity, int, 'quantity', unreadable) ?? 0,
    ...(unreadable.length ? { unreadable } : {}),
    reasonCode: str(r.reason_code),
    state: refundState(code),
    stateCode: code,
    createdDate: str(r.created_date),
  };
}

/** The tax modes prices can be stated in (OR11 `order_tax_mode`). */
const TAX_MODES = new Set(['TAX_INCLUDED', 'TAX_EXCLUDED']);

export function toOrder(o: Raw): MarketplaceOrder {
  const customer = obj(o.customer);
  const name = [str(customer.firstname), str(customer.lastname)].filter(Boolean).join(' ');
  const unreadable: string[] = [];
  const taxMode = str(o.order_tax_mode);
  // Prices mean net or gross by the tax mode: one the connector does not know cannot be read as either.
  if (taxMode !== null && !TAX_MODES.has(taxMode)) unreadable.push(`order_tax_mode ${sentValue(taxMode)}`);
  return {
    ...(unreadable.length ? { unreadable } : {}),
    orderId: str(o.order_id) ?? '',
    commercialId: str(o.commercial_id),
    referenceForCustomer: str(obj(o.references).order_reference_for_customer),
    state: orderState(str(o.order_state)),
    stateCode: str(o.order_state),
    createdDate: str(o.created_date),
    lastUpdatedDate: str(o.last_updated_date),
    acceptanceDecisionDate: str(o.acceptance_decision_date),
    shippingDeadline: str(o.shipping_deadline),
    taxMode,
    currency: str(o.currency_iso_code),
    price: dec(o.price),
    shippingPrice: dec(o.shipping_price),
    totalPrice: dec(o.total_price),
    totalCommission: dec(o.total_commission),
    orderTaxes: arr(o.order_taxes).map((t) => ({ code: str(t.code), rate: dec(t.rate), amount: dec(t.total_amount) })),
    canCancel: bool(o.can_cancel),
    shippingCarrierCode: str(o.shipping_carrier_code),
    shippingCarrierName: str(o.shipping_company),
    shippingTracking: str(o.shipping_tracking),
    shippingAddress: toAddress(customer.shipping_address),
    billingAddress: toAddress(customer.billing_address),
    customerName: name || null,
    lines: arr(o.order_lines).map(toOrderLine),
    raw: o,
  };
}
