import { randomUUID } from 'node:crypto';
import type Decimal from 'decimal.js';
import { EmulatorClock } from './clock';
import { DEFAULT_CONFIG, type EmulatorConfig } from './config';
import { splitTaxes } from './lines';
import { d, round2 } from './money';
import { completeRefund, waitingRefunds } from './refunds';
import { orderLinesPayable, recordTransaction, releaseLines, taxLines } from './transactions';
import type {
  EmuBillingCycle,
  EmuExport,
  EmuInvoice,
  EmuOffer,
  EmuOrder,
  EmuOrderLine,
  EmuReturn,
  EmuShipment,
  EmuStockImport,
  EmuTransaction,
  TaxCode,
} from './model';

export interface RecordedCall {
  at: string;
  atMs: number;
  method: string;
  path: string;
  query: string;
  operation: string | null;
  authorization: string | null;
  contentType: string | null;
  body: string;
  status: number;
  /** What the emulator answered (JSON or CSV text). */
  response: string;
}

export interface Faults {
  /** Added to every /api answer. */
  latencyMs?: number;
  /** The next N /api calls answer this status (default 500). */
  failNext?: number;
  failStatus?: number;
  /** The next N /api calls never answer (the client times out). */
  hangNext?: number;
  /** The next N /api calls are carried out, then the connection drops before the answer (the client never learns the outcome). */
  loseAnswerNext?: number;
  /** The next N /api calls answer 429 with `Retry-After: retryAfterSeconds` (default 1), as the platform does above its call maxima. */
  tooManyRequestsNext?: number;
  retryAfterSeconds?: number;
  /** The next N stock imports (STO01) are taken (201, an import id) but end FAILED on the platform: STO02 says so, nothing is applied. */
  failImportsNext?: number;
  /** Only calls whose operation matches (e.g. "OR11"); all when absent. */
  operation?: string;
}

export const VAT_STANDARD: TaxCode = { code: 'GB-VAT-STD', rate: d('0.20') };
export const VAT_REDUCED: TaxCode = { code: 'GB-VAT-RED', rate: d('0.05') };
export const VAT_ZERO: TaxCode = { code: 'GB-VAT-ZERO', rate: d('0') };

/** Everything the emulated shop holds. One instance per emulator; reset() empties it. */
export class EmulatorState {
  config: EmulatorConfig;
  orders = new Map<string, EmuOrder>();
  offers = new Map<string, EmuOffer>();
  imports = new Map<string, EmuStockImport>();
  exports = new Map<string, EmuExport>();
  returns = new Map<string, EmuReturn>();
  shipments = new Map<string, EmuShipment>();
  transactions: EmuTransaction[] = [];
  /** Lines no billing cycle has taken yet. */
  openTransactions: EmuTransaction[] = [];
  transactionsByOrder = new Map<string, EmuTransaction[]>();
  /** Each closed cycle's lines, in the order they were created. */
  transactionsByCycle = new Map<string, EmuTransaction[]>();
  /** TL02 listings being paged (newest last, a few kept): a page token reads on from its listing, not a new scan. */
  transactionListings = new Map<string, EmuTransaction[]>();
  /** The shop's running balance (TL02 `balance`) and what the marketplace holds in reserve. */
  balance = d(0);
  reserveHeld = d(0);
  cycles: EmuBillingCycle[] = [];
  invoices: EmuInvoice[] = [];
  calls: RecordedCall[] = [];
  faults: Faults = {};
  private seq = 0;
  private commercialSeq = 100;

  constructor(
    readonly clock: EmulatorClock,
    private readonly initial: Partial<EmulatorConfig> = {},
  ) {
    this.config = { ...DEFAULT_CONFIG, ...initial };
  }

  reset(): void {
    this.config = { ...DEFAULT_CONFIG, ...this.initial };
    for (const m of [this.orders, this.offers, this.imports, this.exports, this.returns, this.shipments]) m.clear();
    this.transactions = [];
    this.openTransactions = [];
    this.transactionsByOrder.clear();
    this.transactionsByCycle.clear();
    this.transactionListings.clear();
    this.balance = d(0);
    this.reserveHeld = d(0);
    this.cycles = [];
    this.invoices = [];
    this.calls = [];
    this.faults = {};
    this.seq = 0;
    this.commercialSeq = 100;
  }

  nextId(): number {
    return ++this.seq;
  }
  uuid(): string {
    return randomUUID();
  }
  nextCommercialId(): string {
    return String(++this.commercialSeq).padStart(9, '0');
  }

  /** The returns module is on for the shop's model (PC01 features.returns): RT11/RT21/RT25 answer, customers can return. */
  returnsEnabled(): boolean {
    const m = this.config.returnsModule;
    return this.config.shopModel === 'DROPSHIP' ? m.dropShip : m.marketplace;
  }

  /** Applies everything that fell due on the emulator clock: auto-refusal, debits, deliveries, closing, refunds paid, imports. */
  tick(): void {
    const now = this.clock.now();
    for (const order of this.orders.values()) {
      if (order.state === 'WAITING_ACCEPTANCE' && now >= order.acceptanceDeadlineMs) {
        this.setState(order, 'REFUSED', order.acceptanceDeadlineMs, 'AUTO_REFUSED');
      }
      if (order.state === 'WAITING_DEBIT_PAYMENT' && order.debitAtMs !== null && now >= order.debitAtMs) this.debit(order, order.debitAtMs);
      if (order.state === 'SHIPPED' && order.shippedMs !== null && now >= order.shippedMs + this.config.autoReceiveMs) {
        order.receivedMs = order.shippedMs + this.config.autoReceiveMs;
        this.setState(order, 'RECEIVED', order.receivedMs);
      }
      if (order.state === 'RECEIVED' && order.receivedMs !== null && now >= order.receivedMs + this.config.autoCloseMs) {
        this.setState(order, 'CLOSED', order.receivedMs + this.config.autoCloseMs);
      }
    }
    const refundDelay = this.config.refundDelayMs;
    if (refundDelay !== null)
      for (const { order, refund } of waitingRefunds(this))
        if (now >= refund.createdMs + refundDelay) completeRefund(this, order, refund, refund.createdMs + refundDelay);
    for (const imp of this.imports.values()) {
      if (!imp.applied && !imp.failed && now >= imp.completeMs) this.applyImport(imp);
    }
  }

  importStatus(imp: EmuStockImport): string {
    if (imp.failed) return 'FAILED';
    const now = this.clock.now();
    if (now < imp.runningMs) return 'WAITING';
    if (now < imp.completeMs) return 'RUNNING';
    return 'COMPLETE';
  }

  /** Line states follow the order unless the line was refused, cancelled or refunded. */
  setState(order: EmuOrder, state: string, atMs: number, reason: string | null = null): void {
    order.state = state;
    order.stateReason = reason;
    order.lastUpdatedMs = atMs;
    for (const line of order.lines) if (!['REFUSED', 'CANCELED', 'REFUNDED'].includes(line.state)) line.state = state;
    // Sale lines waiting for the order to ship or arrive (config.orderPayableOn) become payable.
    if (order.debitedMs !== null && orderLinesPayable(this, order)) releaseLines(this, order.orderId, null, atMs);
  }

  /** The customer is debited: the order can ship, and its sale and commission lines appear in TL02. */
  debit(order: EmuOrder, atMs = this.clock.now()): void {
    if (order.state !== 'WAITING_DEBIT_PAYMENT') return;
    order.debitedMs = atMs;
    this.setState(order, 'SHIPPING', atMs);
    const dropship = this.config.shopModel === 'DROPSHIP';
    const base = { atMs, paymentState: orderLinesPayable(this, order) ? ('PAYABLE' as const) : ('PENDING' as const), order };
    for (const line of order.lines) {
      if (line.state !== 'SHIPPING') continue;
      const net = line.unitNet.times(line.quantity);
      const gross = line.unitGross.times(line.quantity);
      const fee = this.commission(line);
      const at = { ...base, line };
      const add = (type: string, amount: Decimal, extra: { shopTax?: TaxCode } = {}) => {
        recordTransaction(this, { ...at, type, amount, ...extra });
      };
      add('ORDER_AMOUNT', net);
      taxLines(this, dropship ? 'PURCHASE_ORDER_AMOUNT_TAX' : 'ORDER_AMOUNT_TAX', splitTaxes(gross, net, line.taxes), line.taxes, 1, at);
      add('ORDER_SHIPPING_AMOUNT', line.shippingNet);
      taxLines(
        this,
        dropship ? 'PURCHASE_ORDER_SHIPPING_AMOUNT_TAX' : 'ORDER_SHIPPING_AMOUNT_TAX',
        splitTaxes(line.shippingGross, line.shippingNet, line.shippingTaxes),
        line.shippingTaxes,
        1,
        at,
      );
      // The spec fills shop_tax on COMMISSION_FEE too (the shop's first tax, "to be ignored").
      add(dropship ? 'PURCHASE_COMMISSION_FEE' : 'COMMISSION_FEE', fee.neg(), { shopTax: VAT_STANDARD });
      if (!dropship) add('COMMISSION_VAT', round2(fee.times(VAT_STANDARD.rate)).neg(), { shopTax: VAT_STANDARD });
    }
  }

  commission(line: EmuOrderLine): Decimal {
    return round2(line.unitGross.times(line.quantity).plus(line.shippingGross).times(this.config.commissionRate));
  }

  /** One TL02 line of an order (PAYABLE when the order's lines are, a refund's PENDING until it is paid back). */
  addTx(order: EmuOrder, line: EmuOrderLine | null, type: string, amount: Decimal, atMs: number, refundId: string | null = null): void {
    const paymentState = refundId === null && orderLinesPayable(this, order) ? 'PAYABLE' : 'PENDING';
    recordTransaction(this, { type, amount, atMs, paymentState, order, line, refundId });
  }

  private applyImport(imp: EmuStockImport): void {
    imp.applied = true;
    const now = imp.completeMs;
    for (const { cells, error } of imp.lines) {
      if (error) continue;
      const offer = this.offers.get(cells[0]!);
      if (!offer) continue;
      const quantity = Number(cells[1]);
      const warehouse = cells[2] ?? '';
      const remove = (cells[3] ?? '').toLowerCase() === 'delete';
      if (warehouse) {
        if (remove) offer.warehouses.delete(warehouse);
        else offer.warehouses.set(warehouse, quantity);
        offer.quantity = [...offer.warehouses.values()].reduce((a, b) => a + b, 0);
      } else offer.quantity = remove ? 0 : quantity;
      offer.lastUpdatedMs = now;
    }
  }
}
