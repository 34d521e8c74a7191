import type Decimal from 'decimal.js';

/**
 * SAP Business One as the flows see it, split by capability: documents, items and the company's set-up in the
 * console's own terms. No entity set or property names, no `tYES`, no user-defined field names, no OData: the SAP
 * connector translates (see connectors/sap-b1/port.ts). The marketplace ids the console writes into SAP (on the
 * Sales Order and its lines) are fields of these shapes; which user-defined fields hold them is the connector's
 * business.
 */
export interface Sap {
  /** Signs in now with the saved connection; a wrong password fails at once and is never tried again. */
  login(): Promise<void>;
  logout(): Promise<void>;
  health(): Promise<SapHealthReport>;
  salesOrders: SalesOrders;
  deliveryNotes: DeliveryNotes;
  /** A/R Invoices, copied from Delivery Notes. */
  invoices: CopiedDocuments;
  /** A/R Credit Memos, copied from an Invoice (or a Return). */
  creditMemos: CopiedDocuments;
  /** Returns: goods back, copied from a Delivery Note (the warehouse may also key them by hand). */
  returns: CopiedDocuments;
  /** A payout posted into SAP: the marketplace's commission and fees as an A/P Invoice, the payout as an Incoming Payment. */
  payouts: PayoutPostings;
  items: Items;
  company: Company;
  /** The posting lease's terms, kept in SAP so every console on the company sees them. */
  lease: LeaseTerms;
  stock: StockSource;
}

export interface SalesOrders {
  /**
   * Creates the Sales Order. A create whose answer was lost is looked up with `lookup` before anything is sent
   * again; when the outcome stays unknown the error says so (`outcomeUnknown`) and nothing is resent.
   */
  create(draft: SalesOrderDraft, lookup: () => Promise<SalesDocument | undefined>): Promise<{ document: SalesDocument; recovered: boolean }>;
  get(docEntry: number): Promise<SalesDocument>;
  /** Undefined when SAP has no such document. */
  find(docEntry: number): Promise<SalesDocument | undefined>;
  /**
   * The Sales Order a marketplace order already became: by the marketplace order id SAP holds first, then by the
   * customer's reference on the customer, keeping only documents with no marketplace order id (keyed by hand) or
   * this one. Cancelled documents count: a person cancelled it on purpose.
   */
  findForMarketplaceOrder(query: { marketplaceOrderId: string; customerReference: string | null; customer: string }): Promise<SalesDocument | undefined>;
  /** The customer's Sales Orders created on or after a day (SAP compares days), a few facts each. */
  createdSince(customer: string, day: string): Promise<SalesOrderStub[]>;
  /** Closes what the order still holds open (releasing committed stock). */
  close(docEntry: number): Promise<void>;
}

export interface SalesOrderStub {
  docEntry: number;
  docNum: number;
  cancelled: boolean;
  marketplaceOrderId: string | null;
}

export interface DeliveryNotes {
  /** The customer's Delivery Notes changed on or after a day (SAP compares days; the caller de-duplicates), a page at a time. */
  changedSince(customer: string, day: string): AsyncGenerator<SalesDocument[]>;
  get(docEntry: number): Promise<SalesDocument>;
  /** Writes a corrected tracking number back onto the Delivery Note. */
  setTrackingNumber(docEntry: number, trackingNumber: string): Promise<void>;
}

/**
 * Documents copied from base documents (Invoices, Credit Memos, Returns): every line names the line it copies, so
 * price, VAT group, batches and serials follow from it and the base's open quantity falls.
 */
export interface CopiedDocuments {
  /**
   * Creates the document. A create whose answer was lost is looked up with `lookup` before anything is sent again;
   * when the outcome stays unknown the error says so (`outcomeUnknown`) and nothing is resent.
   */
  create(draft: CopiedDocumentDraft, lookup: () => Promise<SalesDocument | undefined>): Promise<{ document: SalesDocument; recovered: boolean }>;
  get(docEntry: number): Promise<SalesDocument>;
  /**
   * Every document of this kind SAP holds for a marketplace order: those carrying its marketplace order id, and
   * those keyed by hand with the customer's reference (NumAtCard) for this customer and no marketplace order id.
   * Cancelled documents count. Oldest first.
   */
  forMarketplaceOrder(query: { marketplaceOrderId: string; customerReference: string | null; customer: string }): Promise<SalesDocument[]>;
  /**
   * The documents of this kind carrying any of these marketplace order ids (the order-id field), read in as few
   * requests as SAP allows (settlement reconciles thousands of orders a month).
   */
  forMarketplaceOrders(marketplaceOrderIds: readonly string[]): Promise<SalesDocument[]>;
  /** The customer's documents of this kind posted between two days (inclusive, SAP's posting date), a page at a time. */
  postedBetween(customer: string, fromDay: string, toDay: string): AsyncGenerator<SalesDocument[]>;
}

/** A document copied line by line from base documents, in the console's terms. */
export interface CopiedDocumentDraft {
  customer: string;
  /** The number the customer quotes (NumAtCard), kept on every document of the order. */
  customerReference: string;
  marketplaceOrderId: string;
  /** The marketplace return this document is for (Returns, and Credit Memos that take goods back). */
  marketplaceReturnId?: string;
  /** The marketplace refund this document is for (Credit Memos). */
  marketplaceRefundId?: string;
  postingDate?: string;
  remarks: string;
  /** Unit prices and freight, where sent, are gross (VAT included) or net. */
  pricesIncludeVat: boolean;
  lines: CopiedLine[];
  /** Shipping charged or refunded, as freight (an additional expense with its own VAT group). */
  freight?: { expenseCode: number; amount: Decimal; vatGroup: string };
  /** A controlled rounding so SAP's total is the marketplace's. */
  rounding?: Decimal;
}

export interface CopiedLine {
  /**
   * The line it copies. Null: a line of its own for an item (a refund of part of a line's value: copying would use up
   * the base line's quantity, and a later refund of the same unit could no longer be copied); it then names the item,
   * its VAT group and warehouse, and a unit price.
   */
  base: { kind: 'delivery-note' | 'invoice' | 'return'; docEntry: number; lineNum: number } | null;
  item?: { itemCode: string; vatGroup: string; warehouse: string };
  quantity: number;
  /** Only where the line's value is not its base's (a partial refund): the unit price, gross or net as the draft says. */
  unitPrice?: Decimal;
  /** Where goods coming back go (a returns warehouse); absent: the base line's warehouse. */
  warehouse?: string;
  /** Money only: no goods move with this line (a refund without a return, or goods a Return already took back). */
  withoutStock?: boolean;
  /** The batches and serials coming back: those the delivery carried. */
  batches?: BatchQuantity[];
  serials?: string[];
}

export interface PayoutPostings {
  /** The A/P Invoice from this supplier with this supplier reference (the marketplace's invoice number), if SAP has one. */
  findFeeInvoice(supplier: string, supplierReference: string): Promise<PostedDocument | undefined>;
  /** Creates it; a lost answer is looked up with `lookup` before anything is sent again (`outcomeUnknown` otherwise). */
  createFeeInvoice(draft: FeeInvoiceDraft, lookup: () => Promise<PostedDocument | undefined>): Promise<{ document: PostedDocument; recovered: boolean }>;
  /** The Incoming Payment with this transfer reference (the payout's reference), if SAP has one. */
  findPayment(customer: string, reference: string): Promise<PostedDocument | undefined>;
  createPayment(draft: PayoutPaymentDraft, lookup: () => Promise<PostedDocument | undefined>): Promise<{ document: PostedDocument; recovered: boolean }>;
}

/** An A/P Invoice or Incoming Payment as SAP holds it. */
export interface PostedDocument {
  docEntry: number;
  docNum: number;
  total: Decimal;
  cancelled: boolean;
}

/** The marketplace's commission and fees for one cycle, as an A/P Invoice of G/L lines (a service document). */
export interface FeeInvoiceDraft {
  supplier: string;
  /** The marketplace's own invoice number (IV01), SAP's supplier reference. */
  supplierReference: string;
  postingDate: string;
  remarks: string;
  lines: { account: string; description: string; net: Decimal; vatGroup: string }[];
  /** A controlled rounding so SAP's total is the marketplace's invoice total (its VAT is summed per order, SAP's per line). */
  rounding?: Decimal;
}

/** One payout as an Incoming Payment: the matched invoices net of credit memos, transferred to one account. */
export interface PayoutPaymentDraft {
  customer: string;
  /** The payout's reference: how the payment is found again. */
  reference: string;
  date: string;
  account: string;
  amount: Decimal;
  /** Each document's amount as a size (positive): an invoice's adds to what is paid, a credit memo's takes from it. */
  documents: { kind: 'invoice' | 'credit-memo'; docEntry: number; amount: Decimal }[];
  remarks: string;
}

export interface BatchQuantity {
  batch: string;
  quantity: number;
}

export interface Items {
  /** Fails with kind `not-found` (and SAP's words) when SAP has no item with that code. */
  get(itemCode: string): Promise<SapItem>;
}

export interface Company {
  /** The business partner; fails with kind `not-found` (and SAP's words) when SAP has none with that code. */
  customer(code: string): Promise<SapCustomer>;
  warehouses(): Promise<SapWarehouse[]>;
  outputVatGroups(): Promise<VatGroup[]>;
  /** Currencies and the decimal places SAP keeps on prices and totals. */
  setup(): Promise<CompanySetup>;
  /** The carriers (shipping types) SAP records a despatch with. */
  shippingTypes(): Promise<{ code: number; name: string }[]>;
  /**
   * The fields and the table the console writes into SAP (marketplace ids on Sales Orders and lines, the posting
   * lease); with `create`, those missing are created (a person agreed).
   */
  consoleFields(options: { create: boolean }): Promise<ConsoleFieldCheck[]>;
}

/** One field or table the console needs in SAP, and how it stands. */
export interface ConsoleFieldCheck {
  /** What it is for, in SAP's words: "ORDR.U_JLM_OrderId", "@JLM_LEASE". */
  label: string;
  purpose: 'marketplace-order-id' | 'marketplace-line-id' | 'marketplace-return-id' | 'marketplace-refund-id' | 'lease-table' | 'lease-field';
  /** Which flows need it: orders (Sales Orders, the posting lease) or finance (Invoices, Credit Memos, Returns). */
  usedBy: 'orders' | 'finance';
  state: 'exists' | 'created' | 'missing' | 'failed';
  /** Characters it holds, where SAP says. */
  size: number | null;
  /** SAP's message when it could not be read or created. */
  error: string | null;
}

/** A term of the posting lease: its number (terms only ever go up), who holds it, until when. */
export interface LeaseTerm {
  number: number;
  holder: string | null;
  untilMs: number;
}

export interface LeaseTerms {
  /** The newest term, or null when there has never been one. */
  latest(): Promise<LeaseTerm | null>;
  /** Takes the given term: false when another console took that term first (SAP lets one in). */
  claim(term: LeaseTerm): Promise<boolean>;
  /** Moves the end of our own, still valid term. */
  extend(term: LeaseTerm): Promise<void>;
  /** Deletes terms older than `number` (clutter only; failures are harmless). */
  forgetBefore(number: number): Promise<void>;
}

export interface StockSource {
  /** Every warehouse with what decides whether its stock counts by default. */
  warehouses(): Promise<SapWarehouse[]>;
  /**
   * Starts a stock read by the preferred path; where SAP's stored query cannot be used the read goes through the
   * item master and says why, in SAP's words.
   */
  open(options: StockReadOptions): Promise<StockRead>;
  /**
   * Item codes on documents that move stock (orders, deliveries, invoices, returns, credit notes) created since the
   * marks; with no marks, only the marks (everything is new on a first cycle).
   */
  itemsOnDocumentsSince(marks: Readonly<Record<string, number>> | null): Promise<{ itemCodes: Set<string>; marks: Record<string, number> }>;
}

/** How stock is read: SAP's stored query over its warehouse table, or pages of the item master with their warehouse rows. */
export type StockReadPath = 'sql-query' | 'items';
/** Why the stored query was not used: SAP has no SQLQueries, refuses them to this user, or this is a dry run. */
export type SqlQueryUnusable = 'absent' | 'not-permitted' | 'dry-run';

export interface StockReadOptions {
  /** The path to try first; `items` skips the stored query altogether (a decision remembered from an earlier answer). */
  prefer: StockReadPath;
  /** How many warehouses the company has: each item of the item-master read comes with a row for every one. */
  sapWarehouseCount?: number;
}

/** One row of stock: an item in a warehouse, SAP's figures as decimals. */
export interface StockRow {
  itemCode: string;
  warehouseCode: string;
  inStock: Decimal;
  committed: Decimal;
  ordered: Decimal;
}

export interface StockRead {
  path: StockReadPath;
  /** Set when the stored query was preferred and could not be used: why, and SAP's own words. */
  fallback: { cause: SqlQueryUnusable; sapMessage: string } | null;
  pages: AsyncGenerator<StockRow[]>;
}

export interface SapItem {
  itemCode: string;
  name: string;
  batchManaged: boolean;
  serialManaged: boolean;
  /** Active: valid and not frozen. */
  active: boolean;
  /** Sold at all (a sales item). */
  salesItem: boolean;
  /** The item's own output VAT group, if it has one. */
  salesVatGroup: string | null;
  /** Stock per warehouse as SAP has it now. */
  stock: { warehouse: string; inStock: Decimal; committed: Decimal }[];
}

export interface SapCustomer {
  code: string;
  name: string;
  active: boolean;
  /** The currency it is kept in; '##' means any. */
  currency: string | null;
}

export interface SapWarehouse {
  code: string;
  name: string;
  active: boolean;
  /** SAP counts its stock as available. */
  nettable: boolean;
  /** The supplier ships from it: its stock is not on the shelf. */
  dropShip: boolean;
}

export interface VatGroup {
  code: string;
  name: string;
  /** The current rate in percent. */
  rate: Decimal;
}

export interface CompanySetup {
  localCurrency: string;
  systemCurrency: string;
  /** Decimal places of prices: SAP silently rounds a price to these. */
  priceDecimals: number;
  totalsDecimals: number;
  currencies: string[];
}

/** How SAP answers: its load balancer's ping, the session, request latencies, the concurrency in use. */
export interface SapHealthReport {
  /** The load balancer's ping, which does not touch the company database; null where the server has no ping. */
  ping: { ok: boolean; latencyMs: number; status: number } | null;
  login: { at: number; latencyMs: number } | null;
  sessionActive: boolean;
  /** Request latency percentiles per kind of record, over the most recent requests. */
  requests: Record<string, { count: number; p50: number; p95: number; p99: number; max: number }>;
  inFlight: number;
  maxConcurrency: number;
}

/** A postal address as the Sales Order holds it (every part optional). */
export interface PostalAddress {
  name?: string;
  street?: string;
  street2?: string;
  city?: string;
  postcode?: string;
  county?: string;
  /** ISO 3166 alpha-2, as SAP keeps countries. */
  country?: string;
}

/** A Sales Order to create, in the console's terms. */
export interface SalesOrderDraft {
  customer: string;
  /** The number the customer quotes: SAP's Customer Ref. No. */
  customerReference: string;
  marketplaceOrderId: string;
  postingDate?: string;
  dueDate?: string;
  remarks: string;
  currency?: string;
  shipTo?: PostalAddress;
  billTo?: PostalAddress;
  /** Prices sent gross (VAT included) or net. */
  pricesIncludeVat: boolean;
  lines: SalesOrderDraftLine[];
  /** The shipping charge as freight (an additional expense with its own VAT group). */
  freight?: { expenseCode: number; amount: Decimal; vatGroup: string };
  /** A controlled rounding so SAP's total is the marketplace's. */
  rounding?: Decimal;
}

export interface SalesOrderDraftLine {
  itemCode: string;
  quantity: number;
  unitPrice: Decimal;
  vatGroup: string;
  warehouse: string;
  /** The marketplace's id for the line (absent on a shipping service line). */
  marketplaceLineId?: string;
}

/** A Sales Order or Delivery Note as the flows read it. */
export interface SalesDocument {
  docEntry: number;
  docNum: number;
  customer: string;
  customerReference: string | null;
  postingDate: string;
  status: 'open' | 'closed';
  cancelled: boolean;
  total: Decimal;
  vatTotal: Decimal;
  rounding: Decimal;
  marketplaceOrderId: string | null;
  /** The marketplace return and refund a Return or Credit Memo was made for (null on other documents). */
  marketplaceReturnId: string | null;
  marketplaceRefundId: string | null;
  /** Shipping on the document (its freight), net and VAT. */
  freight: { net: Decimal; vat: Decimal } | null;
  /** The carrier as SAP records it: a shipping type, or a carrier field the business uses (per despatch settings). */
  shippingType: number | null;
  carrierFieldValue: string | null;
  trackingNumber: string | null;
  /** When SAP last changed it, as SAP stamps it (`2026-11-26T09:14:00`, SAP's own local time: compare only with SAP's). */
  updatedAt: string | null;
  lines: SalesDocumentLine[];
}

export interface SalesDocumentLine {
  lineNum: number;
  itemCode: string;
  quantity: Decimal;
  /** What is still open of the line (less than the quantity once some was delivered). */
  openQuantity: Decimal;
  open: boolean;
  warehouse: string;
  marketplaceLineId: string | null;
  /** Net unit price, net line total and the line's VAT, as SAP computed them. */
  unitPrice: Decimal;
  lineTotal: Decimal;
  vatTotal: Decimal;
  vatGroup: string | null;
  /** The batches and serials the line moved (a Delivery Note's are what a return may bring back). */
  batches: BatchQuantity[];
  serials: string[];
  /** No goods moved with the line (money only). */
  withoutStock: boolean;
  /** The line it was copied from: a Sales Order line for a Delivery Note. */
  base: { kind: 'sales-order' | 'delivery-note' | 'invoice' | 'return' | 'other'; docEntry: number; lineNum: number } | null;
}

/**
 * A failure talking to SAP, as flows may act on it: whether the outcome is unknown (sent, unanswered), whether SAP
 * refused for a reason a person must fix (`refusal`, with SAP's own message), or something technical. The
 * connector's errors carry these fields; flows never look at SAP's codes or texts.
 */
export interface SapFailure extends Error {
  readonly system: 'sap-b1';
  readonly kind: 'auth' | 'session' | 'business' | 'not-found' | 'concurrency' | 'batch-selection' | 'transient' | 'tls';
  readonly outcomeUnknown: boolean;
  /** SAP's message, verbatim. */
  readonly sapMessage?: string;
  /** What SAP refused, read from its message by the connector. */
  readonly refusal?: SapRefusal;
  /**
   * SAP could not be reached or would not let us in (network, timeout, gateway, login, TLS): a fault of the
   * connection, not of the record being worked on, so it never counts against that record's attempts.
   */
  readonly unreachable: boolean;
}

export type SapRefusal =
  'field-missing' | 'customer-unknown' | 'item-unknown' | 'item-inactive' | 'address' | 'vat' | 'currency' | 'batch-serial' | 'negative-stock' | 'other';

export const isSapFailure = (e: unknown): e is SapFailure => e instanceof Error && (e as { system?: unknown }).system === 'sap-b1';
