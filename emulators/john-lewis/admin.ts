import type { EmulatorConfig } from './config';
import { closeBillingCycle } from './finance';
import { asObject, fail, ok, type Reply } from './http';
import { offerJson, seedOffers, type SeedOffer } from './offers';
import { createOrders, orderJson, type CreateOrdersInput } from './orders';
import { createReturn, type CreateReturnInput } from './returns';
import type { EmuOrder } from './model';
import { shipmentJson } from './shipments';
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
  createReturn(input: CreateReturnInput): { returnId: string; rma: string };
  closeBillingCycle(): { billingCycleId: string; amount: string } | null;
  advanceClock(ms: number): string;
  now(): string;
  calls(): RecordedCall[];
  clearCalls(): void;
  setFaults(faults: Faults): void;
}

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
    closeBillingCycle: () => {
      state.tick();
      const c = closeBillingCycle(state);
      return c ? { billingCycleId: c.id, amount: c.amountToSeller.toFixed(2) } : null;
    },
    advanceClock: (ms) => {
      state.clock.advance(ms);
      state.tick();
      return state.clock.iso();
    },
    now: () => state.clock.iso(),
    calls: () => [...state.calls],
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
    if (route === 'POST /billing-cycles/close') return ok({ cycle: admin.closeBillingCycle() });
    if (route === 'POST /clock/advance') return ok({ now: admin.advanceClock(Number(b.ms ?? 0)) });
    if (route === 'GET /clock') return ok({ now: admin.now() });
    if (route === 'GET /calls') return ok({ calls: admin.calls() });
    if (route === 'DELETE /calls') return (admin.clearCalls(), ok({ cleared: true }));
    if (route === 'POST /faults') return (admin.setFaults(b as Faults), ok({ faults: state.faults }));
    if (route === 'DELETE /faults') return (admin.setFaults({}), ok({ faults: {} }));
    return fail(404, `No admin route ${route}`);
  } catch (e) {
    return fail(400, (e as Error).message);
  }
}
