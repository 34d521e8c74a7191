import type Decimal from 'decimal.js';

/**
 * The marketplace as the flows see it: domain-shaped reads and writes, no URLs, no wire formats.
 * John Lewis (Mirakl seller API) is the one implementation today; a file exchange or the multi-shipment
 * APIs could implement it later without touching the flows.
 *
 * Money is Decimal, never a float. Every record keeps the marketplace's own payload in `raw`, unknown
 * fields included, so nothing the platform adds later is lost.
 */
export interface Marketplace {
  /** Orders changed since the watermark (with overlap), de-duplicated; returns the next watermark. */
  listOrders(query: OrderListQuery): Promise<OrderListResult>;
  /**
   * Looks orders up by id (outbox recovery, re-reads after a write). `forOperatorAction`: the read is for one order a
   * person is acting on (a correction), which the marketplace allows at once rather than in the order-list window.
   */
  getOrders(orderIds: readonly string[], taxMode: TaxMode, options?: { forOperatorAction?: boolean }): Promise<MarketplaceOrder[]>;
  /** OR21: a decision for every line of the order is required. */
  acceptOrder(orderId: string, decisions: readonly LineDecision[]): Promise<void>;
  /** OR23: tracking for a registered carrier code (or a free-text carrier where the platform allows it). */
  setTracking(orderId: string, tracking: TrackingUpdate): Promise<void>;
  /** OR24: only valid while the order is SHIPPING. */
  confirmShipment(orderId: string): Promise<void>;
  /**
   * ST01 (multi-shipment): new shipments of orders, each with its lines, quantities and tracking; per shipment what was
   * created and what refused. Never sent again by itself: a shipment sent twice is two shipments.
   */
  createShipments(shipments: readonly ShipmentDraft[]): Promise<ShipmentsCreated>;
  /** ST11: an order's shipments, oldest first. */
  orderShipments(orderId: string): Promise<Shipment[]>;
  /** ST23: new tracking for shipments; per shipment what was taken. */
  setShipmentTracking(updates: readonly { shipmentId: string; tracking: TrackingUpdate }[]): Promise<BatchOutcome>;
  /** ST24: the shipments leave; per shipment what was taken. */
  shipShipments(shipmentIds: readonly string[]): Promise<BatchOutcome>;
  /** OR28. */
  refund(request: RefundRequest): Promise<RefundResult[]>;
  /** OR29: the whole order, when it says can_cancel. */
  cancelOrder(orderId: string): Promise<void>;
  /** OR30: some lines. */
  cancelLines(request: CancelLinesRequest): Promise<CancelationResult[]>;
  /** SH21, cached for a day (across restarts); a refresh before the day is up answers from the cache. */
  carriers(options?: { refresh?: boolean }): Promise<Carrier[]>;
  /** STO01: sends a stock file and returns the stock import id. */
  pushStock(rows: readonly StockRow[]): Promise<string>;
  /** STO02. */
  stockImportStatus(importId: string): Promise<StockImportStatus>;
  /** STO03, read into one rejection per SKU line. */
  stockImportErrors(importId: string): Promise<StockRejection[]>;
  /** Polls STO02 (at its maximum frequency at most) until COMPLETE or FAILED, then reads STO03 if there is a report. */
  awaitStockImport(importId: string, options?: { timeoutMs?: number }): Promise<StockImportOutcome>;
  /** OF21, one page (offset paging, max 100). */
  offers(query?: OfferQuery): Promise<Page<Offer>>;
  /** OF52 → OF53 → OF54: every offer of the shop (or changed since a date), to know which SKUs exist. */
  exportOffers(options?: { changedSince?: string; timeoutMs?: number }): Promise<Offer[]>;
  /** RT11, one page (seek paging). */
  returns(query?: ReturnQuery): Promise<SeekPage<MarketplaceReturn>>;
  /** RT21: partial success, read per return. */
  acceptReturns(decisions: readonly ReturnDecision[]): Promise<BatchOutcome>;
  /** RT25: partial success, read per return. */
  receiveReturns(returnIds: readonly string[]): Promise<BatchOutcome>;
  /** TL02, one page (seek paging, limit ≤ 2000). */
  transactions(query?: TransactionQuery): Promise<SeekPage<TransactionLine>>;
  /** SBC11. */
  billingCycles(query?: BillingCycleQuery): Promise<BillingCycle[]>;
  /** IV01, one page (offset paging). */
  accountingDocuments(query?: AccountingDocumentQuery): Promise<Page<AccountingDocument>>;
  /** A01, cached for a day (across restarts), with when it was read; a refresh before the day is up answers from the cache. */
  shopInfo(options?: { refresh?: boolean }): Promise<ShopInfo>;
  /** PC01. */
  platformConfig(): Promise<PlatformConfig>;
  /** V01: reachable and answering. */
  health(): Promise<MarketplaceHealth>;
  /**
   * When the call allowances next let a despatch through (reading the order, the tracking, the ship or shipment
   * calls): now, or later while a window is used or the marketplace asked to wait. `forOperatorAction`: the order is
   * read for a person's action (not through the order-list window). For telling a person when a queued command goes;
   * optional for marketplaces without allowances.
   */
  nextDespatchSlot?(options?: { forOperatorAction?: boolean }): Date;
}

export type TaxMode = 'TAX_INCLUDED' | 'TAX_EXCLUDED';
/** Raw marketplace payload with every field it had, known or not. */
export type Raw = Record<string, unknown>;

export interface Page<T> {
  items: T[];
  totalCount: number | null;
}
export interface SeekPage<T> {
  items: T[];
  nextPageToken: string | null;
}

export interface OrderListQuery {
  /** ISO date-time of the newest last_updated_date already handled; null on the first run. */
  since: string | null;
  /** Order states to read; comma-joined on the wire. Empty or absent: every state. */
  states?: readonly string[];
  /** Always sent: prices mean net or gross depending on it. */
  taxMode: TaxMode;
}
export interface OrderListResult {
  orders: MarketplaceOrder[];
  /** The newest last_updated_date seen, to hand back as `since` next time. */
  watermark: string | null;
  /** Records in the listing that are not an order the flows can hold (no order id): never dropped silently. */
  unreadable: UnreadableRecord[];
}

/** A record the marketplace sent that could not be read as what it should be, kept with the marketplace's own words. */
export interface UnreadableRecord {
  reason: string;
  /** What identifies it best (a commercial id, a position in the listing). */
  hint: string;
  raw: Raw;
}

export interface TaxAmount {
  code: string | null;
  rate: Decimal | null;
  amount: Decimal | null;
}

export interface MarketplaceOrderLine {
  orderLineId: string;
  state: string | null;
  sku: string | null;
  productSku: string | null;
  title: string | null;
  quantity: number | null;
  unitPrice: Decimal | null;
  price: Decimal | null;
  shippingPrice: Decimal | null;
  totalPrice: Decimal | null;
  taxes: TaxAmount[];
  shippingTaxes: TaxAmount[];
  commissionFee: Decimal | null;
  raw: Raw;
}

export interface Address {
  firstname: string | null;
  lastname: string | null;
  company: string | null;
  street1: string | null;
  street2: string | null;
  city: string | null;
  zipCode: string | null;
  state: string | null;
  country: string | null;
  countryIsoCode: string | null;
  phone: string | null;
}

export interface MarketplaceOrder {
  orderId: string;
  /** The customer's order number (commercial_id). */
  commercialId: string | null;
  referenceForCustomer: string | null;
  state: string | null;
  createdDate: string | null;
  lastUpdatedDate: string | null;
  acceptanceDecisionDate: string | null;
  shippingDeadline: string | null;
  taxMode: string | null;
  currency: string | null;
  price: Decimal | null;
  shippingPrice: Decimal | null;
  totalPrice: Decimal | null;
  totalCommission: Decimal | null;
  /** Order-level taxes (product and shipping), sent only where the platform calculates tax per order. */
  orderTaxes: TaxAmount[];
  canCancel: boolean | null;
  shippingCarrierCode: string | null;
  /** The carrier's name as the marketplace shows it (a carrier not on its list has only this). */
  shippingCarrierName?: string | null;
  shippingTracking: string | null;
  shippingAddress: Address | null;
  billingAddress: Address | null;
  customerName: string | null;
  lines: MarketplaceOrderLine[];
  raw: Raw;
}

export interface LineDecision {
  orderLineId: string;
  accepted: boolean;
}

export type TrackingUpdate =
  | { carrierCode: string; trackingNumber: string }
  /** Only where the platform allows carriers it has not registered. */
  | { carrierName: string; carrierUrl?: string; trackingNumber?: string };

export interface ShipmentLine {
  orderLineId: string;
  quantity: number;
}
export interface ShipmentDraft {
  orderId: string;
  lines: readonly ShipmentLine[];
  tracking?: TrackingUpdate;
  /** Ship at once on creation instead of a later ST24. */
  shipped?: boolean;
}
/** A shipment of an order on the marketplace (multi-shipment). */
export interface Shipment {
  id: string;
  orderId: string | null;
  /** SHIPPING, SHIPPED, … — or a value added later. */
  state: string | null;
  lines: { orderLineId: string | null; quantity: number | null }[];
  carrierCode: string | null;
  carrierName: string | null;
  trackingNumber: string | null;
  trackingUrl: string | null;
  shippedDate: string | null;
  raw: Raw;
}
export interface ShipmentsCreated {
  created: Shipment[];
  failed: { orderId: string | null; message: string }[];
}

export interface TaxInput {
  code: string;
  amount: Decimal;
}

export interface RefundLine {
  orderLineId: string;
  amount: Decimal;
  shippingAmount: Decimal;
  reasonCode: string;
  quantity?: number;
  taxes?: readonly TaxInput[];
  shippingTaxes?: readonly TaxInput[];
}
export interface RefundRequest {
  taxMode: TaxMode;
  refunds: readonly RefundLine[];
}
export interface RefundResult {
  refundId: string | null;
  orderLineId: string | null;
  amount: Decimal | null;
  state: string | null;
  raw: Raw;
}

export interface CancelLine {
  orderLineId: string;
  amount: Decimal;
  shippingAmount: Decimal;
  quantity: number;
  reasonCode: string;
  taxes?: readonly TaxInput[];
  shippingTaxes?: readonly TaxInput[];
}
export interface CancelLinesRequest {
  taxMode: TaxMode;
  cancelations: readonly CancelLine[];
}
export interface CancelationResult {
  cancelationId: string | null;
  orderLineId: string | null;
  amount: Decimal | null;
  raw: Raw;
}

export interface Carrier {
  code: string;
  label: string | null;
  standardCode: string | null;
  trackingUrl: string | null;
}

export interface StockRow {
  sku: string;
  quantity: number;
  /** Empty for the offer's global quantity. */
  warehouseCode?: string;
}

export interface StockImportStatus {
  importId: string;
  /** WAITING, RUNNING, COMPLETE, FAILED — or a value added later. */
  status: string | null;
  hasErrorReport: boolean;
  linesInSuccess: number | null;
  linesInError: number | null;
  raw: Raw;
}
export interface StockRejection {
  lineNumber: number | null;
  sku: string | null;
  quantity: string | null;
  warehouseCode: string | null;
  reason: string;
}
export interface StockImportOutcome {
  status: StockImportStatus;
  rejections: StockRejection[];
}

export interface OfferQuery {
  offset?: number;
  max?: number;
  sku?: string;
}
export interface Offer {
  offerId: string | null;
  sku: string | null;
  productSku: string | null;
  quantity: number | null;
  price: Decimal | null;
  active: boolean | null;
  stateCode: string | null;
  raw: Raw;
}

export interface ReturnQuery {
  updatedSince?: string;
  states?: readonly string[];
  limit?: number;
  pageToken?: string;
}
export interface ReturnLine {
  orderLineId: string | null;
  quantity: number | null;
  reasonCode: string | null;
}
export interface MarketplaceReturn {
  id: string;
  rma: string | null;
  state: string | null;
  orderId: string | null;
  commercialId: string | null;
  reasonCode: string | null;
  lines: ReturnLine[];
  lastUpdated: string | null;
  raw: Raw;
}
export interface ReturnDecision {
  returnId: string;
  accepted: boolean;
  rejectionReasonCode?: string;
}
/** A 200 from a batch call does not mean every item succeeded. */
export interface BatchOutcome {
  succeeded: string[];
  failed: { id: string | null; message: string }[];
}

export interface TransactionQuery {
  billingCycleId?: string;
  lastUpdatedFrom?: string;
  orderIds?: readonly string[];
  limit?: number;
  pageToken?: string;
}
export interface TransactionLine {
  id: string;
  type: string | null;
  amount: Decimal | null;
  currency: string | null;
  paymentState: string | null;
  billingCycleId: string | null;
  accountingDocumentNumber: string | null;
  orderId: string | null;
  commercialId: string | null;
  orderLineId: string | null;
  dateCreated: string | null;
  lastUpdated: string | null;
  raw: Raw;
}

export interface BillingCycleQuery {
  startDate?: string;
  endDate?: string;
}
export interface BillingCycle {
  id: string;
  startDate: string | null;
  endDate: string | null;
  currency: string | null;
  amountTransferredToSeller: Decimal | null;
  payOutState: string | null;
  payOutReference: string | null;
  raw: Raw;
}

export interface AccountingDocumentQuery {
  billingCycleId?: string;
  offset?: number;
  max?: number;
}
export interface AccountingDocument {
  id: string | null;
  type: string | null;
  state: string | null;
  issueDate: string | null;
  totalExclTaxes: Decimal | null;
  totalInclTaxes: Decimal | null;
  currency: string | null;
  raw: Raw;
}

export interface ShopInfo {
  shopId: string | null;
  shopName: string | null;
  /** MARKETPLACE, DROPSHIP, ONE_CREDITOR: decides how finance is posted. */
  model: string | null;
  currency: string | null;
  state: string | null;
  raw: Raw;
  /** When the marketplace was asked (ISO): the profile may be read once a day, so it is usually from earlier. */
  readAt?: string;
}
export interface PlatformConfig {
  taxMode: string | null;
  orderAcceptance: string | null;
  addressesBeforeAcceptance: boolean | null;
  multiShipment: boolean | null;
  /** True when only the operator's carrier list (SH21) may be used. */
  alternativeCarriersDisabled: boolean | null;
  returnsEnabled: boolean | null;
  raw: Raw;
}
export interface MarketplaceHealth {
  ok: boolean;
  status: number | null;
  version: string | null;
  latencyMs: number;
  error?: string;
}
