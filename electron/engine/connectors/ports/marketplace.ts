import type Decimal from 'decimal.js';

/**
 * The marketplace as the flows see it, split by capability: domain-shaped reads and writes, no URLs, no wire
 * formats, no marketplace state codes (a flow reads `OrderState`, the connector translates). John Lewis (Mirakl
 * seller API) is the one implementation today; a file exchange could implement it later without touching the flows.
 * A flow is handed only the capabilities it uses.
 *
 * Money is Decimal, never a float. Every record keeps the marketplace's own payload in `raw`, unknown fields
 * included, so nothing the platform adds later is lost.
 */
export interface Marketplace {
  orders: MarketplaceOrders;
  shipping: MarketplaceShipping;
  stock: MarketplaceStock;
  returns: MarketplaceReturns;
  finance: MarketplaceFinance;
  shop: MarketplaceShop;
}

/** Orders: read, accept, cancel, refund. */
export interface MarketplaceOrders {
  /**
   * Orders changed since the watermark (with overlap), de-duplicated; returns the next watermark. With `onPage`, each
   * page's orders are handed over as the page arrives, and the next page is asked for only once `onPage` has finished
   * (so a flow stores and accepts them first); the result then carries no orders of its own.
   */
  list(query: OrderListQuery, onPage?: (page: OrderListPage) => Promise<void>): Promise<OrderListResult>;
  /**
   * Set once the marketplace has shown (a 429 on a follow-on page) that it counts every page of the order list
   * against the list's limit: since when, and until when the connector counts every page.
   */
  listPagesCounted(): { since: string; until: string } | null;
  /**
   * Looks orders up by id (outbox recovery, re-reads after a write), in as many calls as the marketplace needs.
   * `forOperatorAction`: the read is for one order a person is acting on (a correction), which the marketplace
   * allows at once rather than in the order-list window.
   */
  get(orderIds: readonly string[], taxMode: TaxMode, options?: { forOperatorAction?: boolean }): Promise<MarketplaceOrder[]>;
  /** A decision for every line of the order is required. */
  accept(orderId: string, decisions: readonly LineDecision[]): Promise<void>;
  /** The whole order, when it says it can be cancelled. */
  cancel(orderId: string): Promise<void>;
  /** Some lines. */
  cancelLines(request: CancelLinesRequest): Promise<CancelationResult[]>;
  refund(request: RefundRequest): Promise<RefundResult[]>;
}

/** Carriers, tracking, ship confirmation and (multi-shipment) shipments. */
export interface MarketplaceShipping {
  /** The marketplace's carrier list, read once a day (across restarts); a refresh before the day is up answers from the cache. */
  carriers(options?: { refresh?: boolean }): Promise<Carrier[]>;
  /** Tracking for a registered carrier code (or a named carrier where the platform allows carriers it has not registered). */
  setTracking(orderId: string, tracking: TrackingUpdate): Promise<void>;
  /** The order leaves: only valid while it is `shipping`. */
  confirm(orderId: string): Promise<void>;
  /**
   * New shipments of orders, each with its lines, quantities and tracking; per shipment what was created and what
   * refused. Never sent again by itself: a shipment sent twice is two shipments.
   */
  createShipments(shipments: readonly ShipmentDraft[]): Promise<ShipmentsCreated>;
  /** An order's shipments, oldest first. */
  shipments(orderId: string): Promise<Shipment[]>;
  /** New tracking for shipments; per shipment what was taken. */
  setShipmentTracking(updates: readonly { shipmentId: string; tracking: TrackingUpdate }[]): Promise<BatchOutcome>;
  /** The shipments leave; per shipment what was taken. */
  shipShipments(shipmentIds: readonly string[]): Promise<BatchOutcome>;
  /**
   * When the call allowances next let a despatch through (reading the order, the tracking, the ship or shipment
   * calls): now, or later while a window is used or the marketplace asked to wait. `forOperatorAction`: the order is
   * read for a person's action. For telling a person when a queued command goes; optional for marketplaces without allowances.
   */
  nextSlot?(options?: { forOperatorAction?: boolean }): Date;
}

/** Stock figures out, and the shop's offers. */
export interface MarketplaceStock {
  /** Sends a stock file and returns the stock import id. */
  push(rows: readonly StockRow[]): Promise<string>;
  importStatus(importId: string): Promise<StockImportStatus>;
  /** The import's error report, read into one rejection per SKU line. */
  importErrors(importId: string): Promise<StockRejection[]>;
  /** Waits (within the marketplace's allowance) until the import has finished, then reads its error report if there is one. */
  awaitImport(importId: string, options?: { timeoutMs?: number }): Promise<StockImportOutcome>;
  /** One page of offers. */
  offers(query?: OfferQuery): Promise<Page<Offer>>;
  /**
   * Every offer's SKU and quantity through the asynchronous offer export, handed on a batch at a time as its files are
   * read: offers changed since `changedSince` (inactive ones included), or, without it, the full export (once a day).
   */
  exportOffers(options?: { changedSince?: string; timeoutMs?: number }): AsyncIterable<OfferQuantity[]>;
}

/** Customers' returns. */
export interface MarketplaceReturns {
  list(query?: ReturnQuery): Promise<SeekPage<MarketplaceReturn>>;
  /** Partial success, read per return. */
  accept(decisions: readonly ReturnDecision[]): Promise<BatchOutcome>;
  /** Partial success, read per return. */
  receive(returnIds: readonly string[]): Promise<BatchOutcome>;
  /** When the marketplace's allowance next lets a page of returns be read (now, or later); optional for marketplaces without one. */
  nextRead?(): Date;
}

/** Money: transaction lines, billing cycles (payouts), accounting documents. */
export interface MarketplaceFinance {
  /** One page of lines (follow `nextPageToken`); each page is a call within the marketplace's allowance. */
  transactions(query?: TransactionQuery): Promise<SeekPage<TransactionLine>>;
  /**
   * Billing cycles, from the day's read: the marketplace allows one listing a day (all its pages), so a cycle closed
   * since appears once the allowance has come round (the next day, or at once where no allowance is kept). The first
   * read may be deferred (CallDeferredError) like any call.
   */
  billingCycles(query?: BillingCycleQuery): Promise<BillingCycle[]>;
  /** Accounting documents, from the day's read (one listing a day, all its pages), filtered and paged here. */
  accountingDocuments(query?: AccountingDocumentQuery): Promise<Page<AccountingDocument>>;
}

/** The shop: who it is, how the platform is set up for it, whether it answers. */
export interface MarketplaceShop {
  /** Read once a day (across restarts), with when it was read; a refresh before the day is up answers from the cache. */
  info(options?: { refresh?: boolean }): Promise<ShopInfo>;
  platformConfig(): Promise<PlatformConfig>;
  /** The operator's reasons of one type (refund reasons for OR28), read once a day (across restarts). */
  reasons(type: 'refund', options?: { refresh?: boolean }): Promise<Reason[]>;
  health(): Promise<MarketplaceHealth>;
}

export interface Reason {
  code: string;
  label: string;
}

/**
 * Where an order is on the marketplace, in the console's words. The connector translates the platform's own state
 * codes; `unknown` is a state the connector does not know (the raw code stays on the order for a person to read).
 */
export const ORDER_STATES = [
  'staging',
  'awaiting-acceptance',
  'awaiting-debit',
  'shipping',
  'shipped',
  'to-collect',
  'received',
  'closed',
  'refused',
  'cancelled',
  /** A refund in progress (states the platform has deprecated but may still send). */
  'refunding',
  'unknown',
] as const;
export type OrderState = (typeof ORDER_STATES)[number];

export type ShopModel = 'marketplace' | 'dropship' | 'one-creditor' | 'unknown';

/** Where one line of an order is: the order states, and a line may also have an incident open or be refunded. */
export type LineState = OrderState | 'incident-open' | 'refunded';

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
  /** Order states to read. Empty or absent: every state. */
  states?: readonly OrderState[];
  /** Always sent: prices mean net or gross depending on it. */
  taxMode: TaxMode;
}
/** One page of an order listing: its orders not handed out before, and its records that are not orders. */
export interface OrderListPage {
  orders: MarketplaceOrder[];
  unreadable: UnreadableRecord[];
  /**
   * Another page follows. Its offset counts the orders still listed before it: at least one order of this page must
   * stay in the listed states until the read ends, or the marketplace cannot tell the next page from a new listing.
   */
  more: boolean;
}
export interface OrderListResult {
  orders: MarketplaceOrder[];
  /**
   * The newest last_updated_date seen, to hand back as `since` next time — or `since` itself when the list changed
   * beneath the read in a way that may have hidden an order from it (see `unsettled`): the next read covers it again.
   */
  watermark: string | null;
  /** Why the watermark did not move although orders were read (null: it moved as far as the read allows). */
  unsettled: string | null;
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
  state: LineState;
  /** The platform's own code for the line's state, for display. */
  stateCode: string | null;
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
  /** Money given back on this line (OR28 from any console, the marketplace's back office, a return), oldest first. */
  refunds: LineRefund[];
  /**
   * Values the marketplace sent that the connector could not read as what they should be, each named with the
   * marketplace's own text (`quantity 1.5`, `price '12,50'`): never guessed at, so the flows can stop the record.
   */
  unreadable?: string[];
  raw: Raw;
}

/**
 * One refund on an order line, as the marketplace states it: amounts in the order's tax mode (gross when prices
 * include tax), with the taxes inside them.
 */
export interface LineRefund {
  refundId: string;
  amount: Decimal;
  shippingAmount: Decimal;
  taxes: TaxAmount[];
  shippingTaxes: TaxAmount[];
  /** Units refunded (0 where the marketplace does not say). */
  quantity: number;
  reasonCode: string | null;
  /** Waiting for the money to move, or refunded; `unknown` for a state added later. */
  state: 'pending' | 'refunded' | 'unknown';
  stateCode: string | null;
  createdDate: string | null;
  /** Values the connector could not read (an amount of '12,50', none at all): such a refund is never credited as 0. */
  unreadable?: string[];
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
  state: OrderState;
  /** The platform's own code for the state (e.g. SHIPPING), for display and the marketplace's back office. */
  stateCode: string | null;
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
  /** Order-level values the connector could not read (see MarketplaceOrderLine.unreadable). */
  unreadable?: string[];
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
  /** Where the shipment is: not left yet (`shipping`), left, collected or received; `unknown` for a state added later. */
  state: 'shipping' | 'shipped' | 'to-collect' | 'received' | 'unknown';
  /** The marketplace's own code for the state, for display. */
  stateCode: string | null;
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
  /** The id the marketplace gives the refunds sent together. */
  groupId: string | null;
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
  /**
   * Where the import is: waiting or running at the marketplace, complete (some lines may still be in error), or
   * failed as a whole; `unknown` for a status added later.
   */
  state: 'waiting' | 'running' | 'complete' | 'failed' | 'unknown';
  /** The marketplace's own code for it, for display. */
  statusCode: string | null;
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
/** One offer's quantity as the offer export lists it. */
export interface OfferQuantity {
  sku: string | null;
  quantity: number | null;
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

/**
 * Where a customer's return is, in the console's words (the connector translates the platform's codes): waiting for
 * the seller to accept it, accepted and on its way, refused, received by the seller, never received, closed,
 * cancelled; `unknown` for a state added later.
 */
export const RETURN_STATES = ['awaiting-acceptance', 'in-progress', 'refused', 'received', 'not-received', 'closed', 'cancelled', 'unknown'] as const;
export type ReturnState = (typeof RETURN_STATES)[number];

export interface ReturnQuery {
  updatedSince?: string;
  states?: readonly ReturnState[];
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
  state: ReturnState;
  /** The platform's own code for the state, for display. */
  stateCode: string | null;
  orderId: string | null;
  commercialId: string | null;
  reasonCode: string | null;
  lines: ReturnLine[];
  createdDate: string | null;
  lastUpdated: string | null;
  /** Values the connector could not read, with the marketplace's own text (see MarketplaceOrderLine.unreadable). */
  unreadable?: string[];
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
/**
 * What a transaction line is, in the console's words (the connector translates the platform's transaction types): the
 * sale and its VAT, shipping and its VAT, commission and its VAT (and their reversals on refunds), the customer's
 * refund (goods, shipping, their VAT), fees (subscription, manual documents, seller fees and penalties, with their
 * VAT), reserve held or released, tax or shipping the operator pays or remits, the purchase side of a dropship shop,
 * and the payout itself; `other` for a type the connector does not know (its code stays on the line).
 */
export const TRANSACTION_KINDS = [
  'sale',
  'sale-vat',
  'shipping',
  'shipping-vat',
  'order-fee',
  'commission',
  'commission-vat',
  'commission-reversal',
  'commission-vat-reversal',
  'refund',
  'refund-vat',
  'refund-shipping',
  'refund-shipping-vat',
  'refund-fee',
  'subscription',
  'subscription-vat',
  'manual-invoice',
  'manual-invoice-vat',
  'manual-credit',
  'manual-credit-vat',
  'seller-fee',
  'seller-fee-vat',
  'reserve-held',
  'reserve-released',
  'operator-remitted-tax',
  'operator-paid-shipping',
  'purchase-commission',
  'purchase-vat',
  'purchase-refund',
  'payment',
  'other',
] as const;
export type TransactionKind = (typeof TRANSACTION_KINDS)[number];

/** Whether a line is paid: waiting (pending), due in the next payout (payable), paid, not to be paid, or held in reserve. */
export type PaymentState = 'pending' | 'payable' | 'paid' | 'not-applicable' | 'reserve' | 'unknown';

export interface TransactionLine {
  id: string;
  kind: TransactionKind;
  /** The platform's own transaction type, for display and the export. */
  typeCode: string | null;
  /** Signed: a credit to the seller is positive. */
  amount: Decimal | null;
  currency: string | null;
  paymentState: PaymentState;
  paymentStateCode: string | null;
  billingCycleId: string | null;
  accountingDocumentNumber: string | null;
  orderId: string | null;
  commercialId: string | null;
  orderLineId: string | null;
  refundId: string | null;
  dateCreated: string | null;
  lastUpdated: string | null;
  /** Who sells to the customer on this line (a dropship shop's lines are the purchase side); absent when not read. */
  shopModel?: ShopModel;
  raw: Raw;
}

export interface BillingCycleQuery {
  startDate?: string;
  endDate?: string;
  /** Read the marketplace again if its allowance has come round (a person asked); otherwise the day's read answers. */
  refresh?: boolean;
}
export interface BillingCycle {
  id: string;
  startDate: string | null;
  endDate: string | null;
  currency: string | null;
  amountTransferredToSeller: Decimal | null;
  payOutState: string | null;
  payOutReference: string | null;
  /** When the money was transferred (ISO), once paid: the bank statement's date. */
  payOutDate?: string | null;
  raw: Raw;
}

export interface AccountingDocumentQuery {
  billingCycleId?: string;
  offset?: number;
  max?: number;
  /** Read the marketplace again if its allowance has come round; otherwise the day's read answers. */
  refresh?: boolean;
}
export interface AccountingDocument {
  id: string | null;
  type: string | null;
  state: string | null;
  issueDate: string | null;
  totalExclTaxes: Decimal | null;
  totalInclTaxes: Decimal | null;
  currency: string | null;
  /** The billing cycle it belongs to (an AUTO_INVOICE's cycle, or the cycle that settled a manual document). */
  billingCycleId?: string | null;
  raw: Raw;
}

export interface ShopInfo {
  shopId: string | null;
  shopName: string | null;
  /**
   * Who sells to the customer, which decides how orders and finance are posted: `marketplace` (the seller),
   * `dropship` (John Lewis buys from the seller), `one-creditor`; `unknown` when the marketplace does not say.
   */
  model: ShopModel;
  /** The marketplace's own code for the model, for display. */
  modelCode: string | null;
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

/**
 * A failed marketplace call, as flows may act on it: transient (network, timeout, 5xx, 429: worth another attempt)
 * or a refusal of the request as it stands (`refused`, with the marketplace's own words in `rawBody`). The
 * connector's errors carry these fields; flows never look at status codes.
 */
export interface MarketplaceFailure extends Error {
  readonly system: 'marketplace';
  readonly transient: boolean;
  /** The marketplace answered and said no (a 4xx other than 429): another attempt as it stands gets the same answer. */
  readonly refused: boolean;
  /** The marketplace's body, as text. */
  readonly rawBody: string | null;
  /**
   * The marketplace could not be reached, refused the API key, or asked us to wait (network, timeout, gateway,
   * 401, 429, the call allowance): a fault of the connection, never counted against the record's attempts.
   */
  readonly unreachable: boolean;
}

export const isMarketplaceFailure = (e: unknown): e is MarketplaceFailure => e instanceof Error && (e as { system?: unknown }).system === 'marketplace';
