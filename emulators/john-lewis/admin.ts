import type { EmulatorConfig } from './config';
import {
  adjustTransaction,
  chargeSubscription,
  closeBillingCycle,
  manualDocument,
  payOutBillingCycle,
  plantTransactions,
  reserve,
  type CloseCycleInput,
  type ManualDocumentInput,
  type PlantedLine,
} from './billing';
import { asObject, fail, ok, type Reply } from './http';
import { offerJson, seedOffers, type SeedOffer } from './offers';
import { createOrders, orderJson, type CreateOrdersInput } from './orders';
import { completeRefund, operatorRefund, waitingRefunds, type OperatorRefundInput } from './refunds';
import { createReturn, customerSendsParcel, moveReturn, returnJson, type CreateReturnInput } from './returns';
import type { EmuBillingCycle, EmuOrder, EmuTransaction } from './model';
import { simulateMonth, type MonthInput, type MonthResult } from './month';
import { shipmentJson } from './shipments';
import { importSummary } from './stock';
import type { EmulatorState, Faults, RecordedCall } from './state';

/** What tests, the sandbox and the /__admin/ API can do to the emulated shop. */
export interface EmulatorAdmin {
  reset(): void;
  configure(patch: Partial<EmulatorConfig>): EmulatorConfig;
  seedOffers(offers: SeedOffer[]): { sku: string; offerId: number }[];
  offerQuantities(): Record<string, number>;
  createOrders(input: CreateOrdersInput): { orderId: string; commercialId: string; lines: { orderLineId: string; sku: string; quantity: number }[] }[];
  /** Debits orders waiting for payment (all of them when no id is given). */
  debitOrders(orderIds?: string[]): string[];
  /** The customer confirms receipt. */
  receiveOrder(orderId: string): void;
  order(orderId: string): unknown;
  /** Lays fields over an order as OR11 shows it (see EmuOrder.wire): what a faulty or newer platform sends. */
  shapeOrder(orderId: string, wire: NonNullable<EmuOrder['wire']>): void;
  /** The order's shipments as ST11 shows them (multi-shipment). */
  shipments(orderId: string): ReturnType<typeof shipmentJson>[];
  /** The customer opens a return: some units of some shipped lines (default: everything shipped not yet on a return). */
  createReturn(input: CreateReturnInput): { returnId: string; rma: string };
  /** The return as RT11 shows it. */
  returnOf(returnId: string): ReturnType<typeof returnJson> | null;
  /** Lays fields over a return as RT11 shows it (see EmuReturn.wire): what a faulty or newer platform sends. */
  shapeReturn(returnId: string, wire: Record<string, unknown>): void;
  /** The customer sends the parcel of an accepted return; its tracking shows on RT11. */
  customerSendsReturn(returnId: string, parcel?: { carrierCode?: string; carrierName?: string; trackingNumber?: string }): void;
  /** The parcel never reached the seller (IN_PROGRESS → NO_RECEPTION). */
  returnNotReceived(returnId: string): void;
  /** The marketplace closes a return that was dealt with (RECEIVED or NO_RECEPTION → CLOSED). */
  closeReturn(returnId: string): void;
  /** The customer withdraws the return before the seller has it (WAITING_ACCEPTANCE or IN_PROGRESS → CANCELED). */
  cancelReturn(returnId: string): void;
  /** The marketplace's customer service refunds lines from its back office (with or without a return). */
  refundFromBackOffice(input: OperatorRefundInput): ReturnType<typeof operatorRefund>;
  /** Waiting refunds are paid back now (REFUNDED); all of them when no id is given. Returns the ids moved. */
  completeRefunds(refundIds?: string[]): string[];
  /**
   * The marketplace's payment cycle: payable lines created up to `endAt` become a billing cycle with its AUTO_INVOICE,
   * paid out at once unless `payOut: false`; `transferredOffBy` plants a transfer that differs from the lines. Null
   * when no line is due.
   */
  closeBillingCycle(input?: CloseCycleInput): CycleSummary | null;
  /** Pays out a cycle closed with `payOut: false`. */
  payOutBillingCycle(billingCycleId: string, paidAt?: string): CycleSummary;
  /** Lines of any type, amount, date and state (PAYMENT excepted), as the marketplace may write them. */
  plantTransactions(lines: PlantedLine[]): TransactionSummary[];
  /** One of an order's lines outside a cycle comes out `by` more or less than the order (the marketplace's rounding). */
  adjustTransaction(input: { orderId: string; type: string; by: string; orderLineId?: string }): TransactionSummary;
  /** The monthly subscription and its VAT. */
  chargeSubscription(input: { net: string; at?: string }): TransactionSummary[];
  /** A manual invoice (debit) or credit from the operator: IV01 document and TL02 lines with VAT. */
  manualDocument(input: ManualDocumentInput): { invoiceId: number; lines: TransactionSummary[] };
  /** Money held back in reserve (RESERVE_FUNDING) or released (RESERVE_SETTLEMENT; all that is held when no amount). */
  holdReserve(amount: string, at?: string): TransactionSummary;
  releaseReserve(amount?: string, at?: string): TransactionSummary;
  /** A month of trade in one call (orders, refunds, subscription, the cycle): see MonthInput. */
  simulateMonth(input?: MonthInput): MonthResult;
  advanceClock(ms: number): string;
  now(): string;
  calls(): RecordedCall[];
  /** Every stock import (STO01) with its line count and when it was created and completed, on the emulator clock. */
  stockImports(): ReturnType<typeof importSummary>[];
  clearCalls(): void;
  setFaults(faults: Faults): void;
}

export interface CycleSummary {
  billingCycleId: string;
  /** What the marketplace transfers (SBC11 amount_transferred_to_seller). */
  amount: string;
  /** Σ of the cycle's lines, PAYMENT and not-applicable lines left out. */
  linesTotal: string;
  lines: number;
  payOutState: string;
  /** The cycle's AUTO_INVOICE number (IV01 invoice_id), when it has one. */
  invoiceId: number | null;
  startDate: string;
  endDate: string;
}

export interface TransactionSummary {
  id: string;
  type: string;
  amount: string;
  paymentState: string;
  dateCreated: string;
}

function cycleSummary(state: EmulatorState, c: EmuBillingCycle): CycleSummary {
  return {
    billingCycleId: c.id,
    amount: c.amountToSeller.toFixed(2),
    linesTotal: c.linesTotal.toFixed(2),
    lines: c.lineCount,
    payOutState: c.payOutState,
    invoiceId: c.invoiceId,
    startDate: state.clock.iso(c.startMs),
    endDate: state.clock.iso(c.endMs),
  };
}

const txSummary = (state: EmulatorState, t: EmuTransaction): TransactionSummary => ({
  id: t.id,
  type: t.type,
  amount: t.amount.toFixed(2),
  paymentState: t.paymentState,
  dateCreated: state.clock.iso(t.createdMs),
});

export function createAdmin(state: EmulatorState): EmulatorAdmin {
  return {
    reset: () => state.reset(),
    configure: (patch) => (state.config = { ...state.config, ...patch }),
    seedOffers: (offers) => seedOffers(state, offers).map((o) => ({ sku: o.sku, offerId: o.offerId })),
    offerQuantities: () => {
      state.tick();
      return Object.fromEntries([...state.offers.values()].map((o) => [o.sku, o.quantity]));
    },
    createOrders: (input) =>
      createOrders(state, input).map((o) => ({
        orderId: o.orderId,
        commercialId: o.commercialId,
        lines: o.lines.map((l) => ({ orderLineId: l.id, sku: l.sku, quantity: l.quantity })),
      })),
    debitOrders: (ids) => {
      state.tick();
      const due = [...state.orders.values()].filter((o) => o.state === 'WAITING_DEBIT_PAYMENT' && (!ids || ids.includes(o.orderId)));
      for (const o of due) state.debit(o);
      return due.map((o) => o.orderId);
    },
    receiveOrder: (orderId) => {
      const o = state.orders.get(orderId);
      if (!o || o.state !== 'SHIPPED') throw new Error(`Order ${orderId} is not SHIPPED`);
      o.receivedMs = state.clock.now();
      state.setState(o, 'RECEIVED', o.receivedMs);
    },
    order: (orderId) => {
      state.tick();
      const o = state.orders.get(orderId);
      return o ? orderJson(state, o, state.config.platformTaxMode) : null;
    },
    shapeOrder: (orderId, wire) => {
      const o = state.orders.get(orderId);
      if (!o) throw new Error(`No order ${orderId}`);
      o.wire = wire;
      o.lastUpdatedMs = state.clock.now();
    },
    shipments: (orderId) =>
      [...state.shipments.values()]
        .filter((s) => s.orderId === orderId)
        .sort((a, b) => a.createdMs - b.createdMs)
        .map((s) => shipmentJson(state, s)),
    createReturn: (input) => {
      const r = createReturn(state, input);
      return { returnId: r.id, rma: r.rma };
    },
    shapeReturn: (returnId, wire) => {
      const r = state.returns.get(returnId);
      if (!r) throw new Error(`No return ${returnId}`);
      r.wire = wire;
      r.lastUpdatedMs = state.clock.now();
    },
    returnOf: (returnId) => {
      const r = state.returns.get(returnId);
      return r ? returnJson(state, r) : null;
    },
    customerSendsReturn: (returnId, parcel = {}) => void customerSendsParcel(state, returnId, parcel),
    returnNotReceived: (returnId) => void moveReturn(state, returnId, ['IN_PROGRESS'], 'NO_RECEPTION'),
    closeReturn: (returnId) => void moveReturn(state, returnId, ['RECEIVED', 'NO_RECEPTION'], 'CLOSED'),
    cancelReturn: (returnId) => void moveReturn(state, returnId, ['WAITING_ACCEPTANCE', 'IN_PROGRESS'], 'CANCELED'),
    refundFromBackOffice: (input) => {
      state.tick();
      return operatorRefund(state, input);
    },
    completeRefunds: (refundIds) => {
      state.tick();
      const now = state.clock.now();
      const due = [...waitingRefunds(state)].filter(({ refund }) => !refundIds || refundIds.includes(refund.id));
      for (const { order, refund } of due) completeRefund(state, order, refund, now);
      return due.map(({ refund }) => refund.id);
    },
    closeBillingCycle: (input) => {
      state.tick();
      const c = closeBillingCycle(state, input);
      return c ? cycleSummary(state, c) : null;
    },
    payOutBillingCycle: (id, paidAt) => cycleSummary(state, payOutBillingCycle(state, id, paidAt)),
    plantTransactions: (lines) => plantTransactions(state, lines).map((t) => txSummary(state, t)),
    adjustTransaction: (input) => txSummary(state, adjustTransaction(state, input)),
    chargeSubscription: (input) => chargeSubscription(state, input).map((t) => txSummary(state, t)),
    manualDocument: (input) => {
      const made = manualDocument(state, input);
      return { invoiceId: made.invoiceId, lines: made.lines.map((t) => txSummary(state, t)) };
    },
    holdReserve: (amount, at) => txSummary(state, reserve(state, { hold: amount, at })),
    releaseReserve: (amount, at) => txSummary(state, reserve(state, { release: amount, at })),
    simulateMonth: (input) => {
      state.tick();
      return simulateMonth(state, input);
    },
    advanceClock: (ms) => {
      state.clock.advance(ms);
      state.tick();
      return state.clock.iso();
    },
    now: () => state.clock.iso(),
    calls: () => [...state.calls],
    stockImports: () => {
      state.tick();
      return [...state.imports.values()].map((imp) => importSummary(state, imp));
    },
    clearCalls: () => (state.calls = []),
    setFaults: (faults) => (state.faults = { ...faults }),
  };
}

/** /__admin/ over HTTP: the same operations, JSON in and out. */
export function handleAdmin(admin: EmulatorAdmin, state: EmulatorState, method: string, path: string, body: unknown): Reply {
  const b = asObject(body);
  const route = `${method} ${path.replace(/^\/__admin/, '')}`;
  try {
    let m: RegExpExecArray | null;
    if (route === 'POST /reset') return (admin.reset(), ok({ reset: true }));
    if (route === 'GET /config') return ok(state.config);
    if (route === 'POST /config') return ok(admin.configure(b as Partial<EmulatorConfig>));
    if (route === 'POST /offers') return ok({ offers: admin.seedOffers((b.offers as SeedOffer[]) ?? []) });
    if (route === 'GET /offers') return ok({ quantities: admin.offerQuantities(), offers: [...state.offers.values()].map((o) => offerJson(state, o)) });
    if (route === 'POST /orders') return ok({ orders: admin.createOrders(b as CreateOrdersInput) });
    if (route === 'POST /orders/debit') return ok({ debited: admin.debitOrders(Array.isArray(b.orderIds) ? (b.orderIds as string[]) : undefined) });
    if ((m = /^POST \/orders\/([^/]+)\/debit$/.exec(route))) return ok({ debited: admin.debitOrders([decodeURIComponent(m[1]!)]) });
    if ((m = /^POST \/orders\/([^/]+)\/receive$/.exec(route))) return (admin.receiveOrder(decodeURIComponent(m[1]!)), ok({ received: true }));
    if ((m = /^GET \/orders\/([^/]+)\/shipments$/.exec(route))) return ok({ shipments: admin.shipments(decodeURIComponent(m[1]!)) });
    if ((m = /^GET \/orders\/([^/]+)$/.exec(route))) {
      const o = admin.order(decodeURIComponent(m[1]!));
      return o ? ok(o) : fail(404, 'Order not found');
    }
    if ((m = /^PUT \/orders\/([^/]+)\/wire$/.exec(route)))
      return (admin.shapeOrder(decodeURIComponent(m[1]!), b as NonNullable<EmuOrder['wire']>), ok({ shaped: true }));
    if (route === 'POST /returns') return ok(admin.createReturn(b as unknown as CreateReturnInput));
    if ((m = /^PUT \/returns\/([^/]+)\/wire$/.exec(route))) return (admin.shapeReturn(decodeURIComponent(m[1]!), b), ok({ shaped: true }));
    if ((m = /^GET \/returns\/([^/]+)$/.exec(route))) {
      const r = admin.returnOf(decodeURIComponent(m[1]!));
      return r ? ok(r) : fail(404, 'Return not found');
    }
    if ((m = /^POST \/returns\/([^/]+)\/(send|no-reception|close|cancel)$/.exec(route))) {
      const id = decodeURIComponent(m[1]!);
      if (m[2] === 'send') admin.customerSendsReturn(id, b as { carrierCode?: string; carrierName?: string; trackingNumber?: string });
      else if (m[2] === 'no-reception') admin.returnNotReceived(id);
      else if (m[2] === 'close') admin.closeReturn(id);
      else admin.cancelReturn(id);
      return ok(admin.returnOf(id));
    }
    if (route === 'POST /refunds') return ok(admin.refundFromBackOffice(b as OperatorRefundInput));
    if (route === 'POST /refunds/complete') return ok({ refunded: admin.completeRefunds(Array.isArray(b.refundIds) ? (b.refundIds as string[]) : undefined) });
    if (route === 'POST /billing-cycles/close') return ok({ cycle: admin.closeBillingCycle(b as CloseCycleInput) });
    if ((m = /^POST \/billing-cycles\/([^/]+)\/pay-out$/.exec(route)))
      return ok({ cycle: admin.payOutBillingCycle(decodeURIComponent(m[1]!), typeof b.paidAt === 'string' ? b.paidAt : undefined) });
    if (route === 'POST /billing-cycles/month') return ok(admin.simulateMonth(b as MonthInput));
    if (route === 'POST /transactions') return ok({ transactions: admin.plantTransactions(Array.isArray(b.lines) ? (b.lines as PlantedLine[]) : []) });
    if (route === 'POST /transactions/adjust')
      return ok({ transaction: admin.adjustTransaction(b as { orderId: string; type: string; by: string; orderLineId?: string }) });
    if (route === 'POST /fees/subscription') return ok({ transactions: admin.chargeSubscription(b as { net: string; at?: string }) });
    if (route === 'POST /fees/manual') return ok(admin.manualDocument(b as unknown as ManualDocumentInput));
    if (route === 'POST /reserve/hold') return ok({ transaction: admin.holdReserve(String(b.amount), typeof b.at === 'string' ? b.at : undefined) });
    if (route === 'POST /reserve/release')
      return ok({
        transaction: admin.releaseReserve(b.amount === undefined ? undefined : String(b.amount), typeof b.at === 'string' ? b.at : undefined),
      });
    if (route === 'POST /clock/advance') return ok({ now: admin.advanceClock(Number(b.ms ?? 0)) });
    if (route === 'GET /clock') return ok({ now: admin.now() });
    if (route === 'GET /calls') return ok({ calls: admin.calls() });
    if (route === 'GET /stock-imports') return ok({ imports: admin.stockImports() });
    if (route === 'DELETE /calls') return (admin.clearCalls(), ok({ cleared: true }));
    if (route === 'POST /faults') return (admin.setFaults(b as Faults), ok({ faults: state.faults }));
    if (route === 'DELETE /faults') return (admin.setFaults({}), ok({ faults: {} }));
    return fail(404, `No admin route ${route}`);
  } catch (e) {
    return fail(400, (e as Error).message);
  }
}
