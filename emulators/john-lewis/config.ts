import type { EmuCarrier, ShopModel, TaxMode } from './model';

/** One of the operator's reasons (RE02): the code sent back with OR28/OR30, the label a person reads. */
export interface EmuReason {
  code: string;
  label: string;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export interface EmulatorConfig {
  shopId: number;
  shopName: string;
  shopModel: ShopModel;
  currency: string;
  /** The platform default when OR11/OR28/OR30 do not say. */
  platformTaxMode: TaxMode;
  /** Debit after acceptance; null: only when the admin API debits the order. */
  debitDelayMs: number | null;
  /** Orders not answered by then are refused automatically. */
  acceptanceDeadlineMs: number;
  autoReceiveMs: number;
  autoCloseMs: number;
  /** As expected for John Lewis: only carriers from SH21 (PC01 disable_seller_alternative_carrier). */
  alternativeCarriersDisabled: boolean;
  /** PC01 shipment.multi_shipment: orders may ship in several shipments (ST01/ST11/ST23/ST24). */
  multiShipment: boolean;
  /** PC01 shipping_and_billing_details_before_acceptance. */
  addressesBeforeAcceptance: boolean;
  carriers: EmuCarrier[];
  /**
   * A stock import's timing (the reference publishes none): WAITING for `importWaitMs`, then RUNNING — `importRunMs`
   * reading the file, then its lines at `importLinesPerSecond` (STO02's line counts grow meanwhile) — then COMPLETE.
   */
  importWaitMs: number;
  importRunMs: number;
  importLinesPerSecond: number;
  exportReadyMs: number;
  /**
   * The smallest items_per_chunk OF52 takes: 10,000 on a production tenant; Mirakl lowers it on TEST and DEV
   * environments (OF52's description), as tests here may.
   */
  exportMinItemsPerChunk: number;
  /** Answer 429 + Retry-After above the published maxima. */
  rateLimits: boolean;
  /**
   * Which reading of OR11's "maximum Asynchronous once per minute" the emulator enforces when `rateLimits` is on, a
   * point the published text leaves open: every page counts ('each-page'), or one listing counts and its follow-on
   * pages (offset above 0) are free ('one-listing'), as IV01 and SBC11 publish for theirs (decision 0404).
   */
  orderListPagesCount: 'each-page' | 'one-listing';
  /** Commission on the line total including tax. */
  commissionRate: string;
  /**
   * When an order's sale and commission lines (TL02) become PAYABLE, so a billing cycle pays them: at the customer's
   * debit, once the order has shipped, or once the customer has it (RECEIVED). Until then they are PENDING and stay
   * out of every cycle. An operator's setting; the reference does not say which John Lewis uses.
   */
  orderPayableOn: 'debit' | 'shipment' | 'receipt';
  /**
   * PC01 `features.returns`: the returns module per shop model. Off for the shop's model, RT11/RT21/RT25 are refused
   * and no customer return exists; refunds still come on order lines (OR28, or the marketplace's customer service).
   */
  returnsModule: { marketplace: boolean; dropShip: boolean };
  /** A refund waits (WAITING_REFUND) this long before the customer is paid back (REFUNDED); null: only when the admin API says so. */
  refundDelayMs: number | null;
  /** RE02: the operator's reasons by type (REFUND for OR28, which refuses any other code). */
  reasons: Record<string, EmuReason[]>;
}

/** The operator's reasons, in the shape of the OpenAPI example (numeric codes, English labels). */
export const DEFAULT_REASONS: Record<string, EmuReason[]> = {
  REFUND: [
    { code: '17', label: 'Item returned' },
    { code: '18', label: 'Item not received' },
    { code: '19', label: 'Agreement found with the vendor' },
    { code: '20', label: 'Item damaged or faulty' },
  ],
  CANCELATION: [
    { code: '14', label: 'No response from the shop' },
    { code: '15', label: 'Out of stock' },
    { code: '16', label: 'Cancelled by the client prior to shipping' },
  ],
  INCIDENT_CLOSE: [
    { code: '19', label: 'Agreement found with the vendor' },
    { code: '21', label: 'Parcel found by the carrier' },
  ],
};

export const DEFAULT_CARRIERS: EmuCarrier[] = [
  { code: 'DPD', label: 'DPD UK', standard_code: 'DPD', tracking_url: 'https://track.dpd.co.uk/parcels/{trackingId}' },
  { code: 'DHL', label: 'DHL Parcel UK', standard_code: 'DHL', tracking_url: 'https://track.dhlparcel.co.uk/?con={trackingId}' },
  { code: 'EVRI', label: 'Evri', tracking_url: 'https://www.evri.com/track/parcel/{trackingId}' },
  { code: 'PARCELFORCE', label: 'Parcelforce Worldwide', tracking_url: 'https://www.parcelforce.com/track-trace?trackNumber={trackingId}' },
  {
    code: 'ROYAL_MAIL',
    label: 'Royal Mail',
    standard_code: 'ROYAL_MAIL',
    tracking_url: 'https://www.royalmail.com/track-your-item#/tracking-results/{trackingId}',
  },
];

export const DEFAULT_CONFIG: EmulatorConfig = {
  shopId: 2001,
  shopName: 'Demo Seller Ltd',
  shopModel: 'MARKETPLACE',
  currency: 'GBP',
  platformTaxMode: 'TAX_INCLUDED',
  debitDelayMs: 5 * MINUTE,
  acceptanceDeadlineMs: 2 * DAY,
  autoReceiveMs: 7 * DAY,
  autoCloseMs: 30 * DAY,
  alternativeCarriersDisabled: true,
  multiShipment: false,
  addressesBeforeAcceptance: false,
  carriers: DEFAULT_CARRIERS,
  importWaitMs: 2_000,
  importRunMs: 1_000,
  importLinesPerSecond: 2_000,
  exportReadyMs: 5_000,
  exportMinItemsPerChunk: 10_000,
  rateLimits: false,
  orderListPagesCount: 'each-page',
  commissionRate: '0.12',
  orderPayableOn: 'debit',
  returnsModule: { marketplace: true, dropShip: true },
  refundDelayMs: DAY,
  reasons: DEFAULT_REASONS,
};

/** Maxima the emulator enforces when rateLimits is on (the published "Call Frequency" maxima). */
export const EMULATED_MAXIMA: Record<string, { limit: number; windowMs: number }[]> = {
  OR11: [{ limit: 1, windowMs: MINUTE }],
  RT11: [{ limit: 1, windowMs: 5 * MINUTE }],
  SH21: [{ limit: 1, windowMs: DAY }],
  A01: [{ limit: 1, windowMs: DAY }],
  STO01: [{ limit: 1, windowMs: MINUTE }],
  STO02: [{ limit: 1, windowMs: 15_000 }],
  STO03: [{ limit: 1, windowMs: MINUTE }],
  OF53: [{ limit: 1, windowMs: 10_000 }],
  TL02: [
    { limit: 20, windowMs: MINUTE },
    { limit: 60, windowMs: 60 * MINUTE },
  ],
  // "Once per day and as many times as there are … pages returned": one listing a day (see LISTING_PAGES_FREE).
  IV01: [{ limit: 1, windowMs: DAY }],
  SBC11: [{ limit: 1, windowMs: DAY }],
};

/**
 * Operations whose further pages do not count against their maximum: only a listing's first page does (IV01 without
 * an `offset`, SBC11 without a `page_token`; OR11 without an `offset` when the emulator reads its limit as one listing).
 */
export function isFurtherPage(operation: string, query: URLSearchParams, config: Pick<EmulatorConfig, 'orderListPagesCount'>): boolean {
  if (operation === 'IV01') return Number(query.get('offset') ?? '0') > 0;
  if (operation === 'SBC11') return query.has('page_token');
  if (operation === 'OR11') return config.orderListPagesCount === 'one-listing' && Number(query.get('offset') ?? '0') > 0;
  return false;
}
