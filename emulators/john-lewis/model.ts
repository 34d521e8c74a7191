import type Decimal from 'decimal.js';

export type TaxMode = 'TAX_INCLUDED' | 'TAX_EXCLUDED';
export type ShopModel = 'MARKETPLACE' | 'DROPSHIP';

export interface TaxCode {
  code: string;
  rate: Decimal;
}

export interface EmuCarrier {
  code: string;
  label: string;
  standard_code?: string;
  tracking_url?: string;
}

export interface EmuOffer {
  offerId: number;
  sku: string;
  productSku: string;
  title: string;
  /** Gross unit price (UK prices include VAT). */
  price: Decimal;
  quantity: number;
  warehouses: Map<string, number>;
  taxes: TaxCode[];
  active: boolean;
  lastUpdatedMs: number;
}

/** A tax amount as a refund or cancellation carries it: the code and the amount sent (or computed by the back office). */
export interface EmuTaxPart {
  code: string;
  amount: Decimal;
}

/**
 * Refund states (OR11 `refund_state`): waiting for the marketplace to pay the customer back, then refunded. The
 * deprecated `state` field shows the same value.
 */
export type EmuRefundState = 'WAITING_REFUND' | 'REFUNDED';

/**
 * Money given back on an order line. Kept net, with the taxes as they were sent, so it reads right in either tax mode
 * (TAX_INCLUDED: net + taxes; TAX_EXCLUDED: net, taxes beside it).
 */
export interface EmuRefund {
  /** OR28 `refund_id` = OR11 `refunds[].id`. */
  id: string;
  /** `order_refund_id`: one id for the refunds of one order made together (one OR28 call, one back-office action). */
  groupId: string;
  net: Decimal;
  taxes: EmuTaxPart[];
  shippingNet: Decimal;
  shippingTaxes: EmuTaxPart[];
  quantity: number;
  reasonCode: string;
  state: EmuRefundState;
  createdMs: number;
  refundedMs: number | null;
  /** The shop (OR28) or the marketplace's customer service (the back office, admin API). */
  origin: 'shop' | 'operator';
  /** The return it pays back, when the back office refunded one. */
  returnId: string | null;
  /** Commission given back to the shop on this refund (before its VAT). */
  commission: Decimal;
}

export interface EmuCancelation {
  id: string;
  net: Decimal;
  taxes: EmuTaxPart[];
  shippingNet: Decimal;
  shippingTaxes: EmuTaxPart[];
  quantity: number;
  reasonCode: string;
  createdMs: number;
}

export interface EmuOrderLine {
  id: string;
  index: number;
  sku: string;
  offerId: number;
  productSku: string;
  title: string;
  quantity: number;
  unitNet: Decimal;
  unitGross: Decimal;
  taxes: TaxCode[];
  shippingNet: Decimal;
  shippingGross: Decimal;
  shippingTaxes: TaxCode[];
  state: string;
  refunds: EmuRefund[];
  cancelations: EmuCancelation[];
  /** Units shipped so far (multi-shipment: a line can ship in parts; the line is SHIPPED once all have). */
  shippedQuantity: number;
  shippedMs: number | null;
}

export interface EmuOrder {
  orderId: string;
  commercialId: string;
  createdMs: number;
  lastUpdatedMs: number;
  state: string;
  stateReason: string | null;
  acceptanceDeadlineMs: number;
  acceptedMs: number | null;
  debitAtMs: number | null;
  debitedMs: number | null;
  shippedMs: number | null;
  receivedMs: number | null;
  lines: EmuOrderLine[];
  customer: { firstname: string; lastname: string; street: string; city: string; zip: string; phone: string };
  tracking: EmuTracking | null;
  shippingDeadlineMs: number;
  /**
   * Fields laid over the generated OR11 JSON, as a faulty or newer platform sends them (nulls, unknown states,
   * duplicate line ids, more decimals than money has): `order` over the order, `lines[i]` over its i-th line,
   * `extraLines` appended.
   */
  wire?: { order?: Record<string, unknown>; lines?: (Record<string, unknown> | undefined)[]; extraLines?: Record<string, unknown>[] };
}

export interface EmuTracking {
  carrierCode: string | null;
  carrierName: string | null;
  carrierStandardCode: string | null;
  trackingNumber: string | null;
  url: string | null;
}

/** One shipment of an order (multi-shipment, ST01): some quantity of some lines, with its own tracking. */
export interface EmuShipment {
  id: string;
  orderId: string;
  status: 'SHIPPING' | 'SHIPPED';
  lines: { orderLineId: string; offerSku: string; quantity: number; packageReference: string | null }[];
  tracking: EmuTracking | null;
  invoiceReference: string | null;
  createdMs: number;
  lastUpdatedMs: number;
  shippedMs: number | null;
}

export interface EmuStockImport {
  id: string;
  createdMs: number;
  /** Fixed when the file arrives (config changes later do not move them): RUNNING from, lines moving from, COMPLETE at. */
  runningMs: number;
  linesFromMs: number;
  completeMs: number;
  failed: string | null;
  lines: { line: number; cells: string[]; error: string | null }[];
  applied: boolean;
}

/**
 * A customer's return (Mirakl's returns module): WAITING_ACCEPTANCE → IN_PROGRESS (RT21 accepted; the customer sends
 * the parcel) → RECEIVED (RT25) → CLOSED; or REFUSED (RT21), NO_RECEPTION (the parcel never came), CANCELED (the
 * customer withdrew it).
 */
export interface EmuReturn {
  id: string;
  rma: string;
  orderId: string;
  state: string;
  reasonCode: string;
  rejectionReasonCode: string | null;
  /** Some units of some lines of the order. */
  lines: { orderLineId: string; quantity: number; reasonCode: string }[];
  /** The customer's parcel, once they have sent it. */
  tracking: { carrierCode: string | null; carrierName: string | null; trackingNumber: string | null; trackingUrl: string | null } | null;
  createdMs: number;
  lastUpdatedMs: number;
  /** Fields laid over the return as RT11 shows it: what a faulty or newer platform sends (admin shapeReturn). */
  wire?: Record<string, unknown>;
}

/** TL02 `payment_state`: not payable yet, due in the next payout, paid, never paid through the marketplace, held in reserve. */
export type EmuPaymentState = 'PENDING' | 'PAYABLE' | 'PAID' | 'NOT_APPLICABLE' | 'RESERVE';

/** One TL02 transaction line. */
export interface EmuTransaction {
  id: string;
  /** Creation order: lines created at the same moment sort by it. */
  seq: number;
  type: string;
  /** Signed: a credit to the shop is positive. */
  amount: Decimal;
  createdMs: number;
  lastUpdatedMs: number;
  paymentState: EmuPaymentState;
  billingCycleId: string | null;
  /** The accounting document (IV01) the line is invoiced on: the cycle's AUTO_INVOICE, or a manual invoice or credit. */
  accountingDocumentNumber: string | null;
  accountingDocumentMs: number | null;
  orderId: string | null;
  commercialId: string | null;
  orderCreatedMs: number | null;
  orderLineId: string | null;
  refundId: string | null;
  /** `entities.order_tax`: the order's VAT behind an order or refund tax line. */
  orderTax: TaxCode | null;
  /** `entities.shop_tax`: the VAT the marketplace charges the shop (commission, subscription, manual documents). */
  shopTax: TaxCode | null;
  /** `entities.manual_accounting_document`. */
  manualDocument: { number: string; emissionMs: number } | null;
  /** The shop's balance after this line (NOT_APPLICABLE lines leave it alone). */
  balance: Decimal;
  /** The payout's voucher, once the cycle is paid. */
  paymentVoucherNumber: string | null;
}

/** SBC11 `pay_out.state`. */
export type EmuPayOutState = 'TO_PAY' | 'PAID' | 'FAILED';

export interface EmuBillingCycle {
  id: string;
  /** SBC11 `date_created`: when the cycle was closed. */
  createdMs: number;
  /** The period its lines were created in: from the previous cycle's end (or its first line) to the close. */
  startMs: number;
  endMs: number;
  /** What the marketplace transfers: Σ of its lines (NOT_APPLICABLE left out), unless a difference was planted. */
  amountToSeller: Decimal;
  /** Σ of its lines, whatever was transferred. */
  linesTotal: Decimal;
  amountToOperator: Decimal;
  payOutReference: string;
  paymentVoucherNumber: string;
  payOutState: EmuPayOutState;
  paidMs: number | null;
  /** The cycle's AUTO_INVOICE (IV01 `invoice_id`), when it has anything invoiceable. */
  invoiceId: number | null;
  lineCount: number;
}

/** One row of an accounting document (IV01 `details[]`). */
export interface EmuInvoiceDetail {
  description: string;
  quantity: number;
  /** Charged to the shop: positive; given back: negative. */
  amountExcl: Decimal;
  taxes: { code: string; amount: Decimal }[];
  orderId?: string | null;
  operationMs?: number | null;
}

/** IV01 accounting documents: the cycle's AUTO_INVOICE (commission and fees), and manual invoices and credits. */
export interface EmuInvoice {
  invoiceId: number;
  /** IV01 `id`. */
  uuid: string;
  type: 'AUTO_INVOICE' | 'MANUAL_INVOICE' | 'MANUAL_CREDIT';
  createdMs: number;
  billingCycleId: string | null;
  /** The period an AUTO_INVOICE covers. */
  startMs: number | null;
  endMs: number | null;
  details: EmuInvoiceDetail[];
  /** Σ details (charged to the shop, before VAT). */
  totalExcl: Decimal;
  /** Σ the details' VAT. */
  taxes: Decimal;
  paymentState: 'PENDING' | 'PAID' | 'FAILED';
  paymentReference: string | null;
  paymentMs: number | null;
  issuedBy: 'BATCH' | 'OPERATOR';
}

export interface EmuExport {
  id: string;
  createdMs: number;
  since: number | null;
  /** The export's files as the marketplace generated them when it was asked (OF54 serves them by number). */
  files: { name: string; contentType: string; body: string }[];
}
