import { chargeSubscription, closeBillingCycle } from './billing';
import { unitsSold } from './lines';
import type { EmuOrder } from './model';
import { seedOffers } from './offers';
import { createOrders } from './orders';
import { completeRefund, operatorRefund } from './refunds';
import type { EmulatorState } from './state';

const DAY = 24 * 60 * 60_000;

export interface MonthInput {
  /** Orders placed over the month, spread evenly over its days (default 100). */
  orders?: number;
  /** Instead of `orders`: orders are placed until the month has written at least this many transaction lines. */
  lines?: number;
  /** Lines per order (default 1). */
  linesPerOrder?: number;
  /** SKUs to order (default: every offer; three demo offers are seeded when there is none). */
  skus?: string[];
  /** How long the month runs (default 30 days); the emulator clock moves through it. */
  days?: number;
  /** One order in this many is refunded in full by the back office the day after it ships (default 20; 0: none). */
  refundEvery?: number;
  /** One order in this many gets a £5.00 goodwill refund on its first line the day after it ships (default 50; 0: none). */
  partialRefundEvery?: number;
  /** The month's subscription before VAT, charged on its first day (default '35.00'; null: none). */
  subscription?: string | null;
  /** Close and pay out the billing cycle at the end (default true). */
  close?: boolean;
}

export interface MonthResult {
  from: string;
  to: string;
  orders: { orderId: string; commercialId: string }[];
  refundIds: string[];
  /** TL02 lines the month wrote (its cycle's PAYMENT line not counted). */
  lines: number;
  cycle: { billingCycleId: string; amount: string; lines: number } | null;
}

const DEMO_OFFERS = [
  { sku: 'JL-M-1001', quantity: 1_000_000, price: '24.00' },
  { sku: 'JL-M-1002', quantity: 1_000_000, price: '89.95' },
  { sku: 'JL-M-2001', quantity: 1_000_000, price: '6.50', taxes: ['reduced' as const] },
];

/**
 * A month of a shop's trade at the marketplace, quickly: orders placed across each day (accepted and debited at
 * once, shipped the next day, received after `autoReceiveMs`), some refunded in full or in part by the back office
 * and paid back a day later, the subscription on the first day; then the billing cycle is closed and paid. Orders,
 * refunds and TL02 lines are the emulator's own (OR11 and TL02 show them as they show any other). The clock ends at
 * the month's end.
 */
export function simulateMonth(state: EmulatorState, input: MonthInput = {}): MonthResult {
  const days = input.days ?? 30;
  const perOrder = input.linesPerOrder ?? 1;
  if (!Number.isInteger(days) || days < 1 || days > 366) throw new Error('days must be a whole number from 1 to 366');
  if (input.lines !== undefined && (!Number.isInteger(input.lines) || input.lines < 1 || input.lines > 1_000_000))
    throw new Error('lines must be a whole number from 1 to 1,000,000');
  if (!input.skus?.length && state.offers.size === 0) seedOffers(state, DEMO_OFFERS);
  const refundEvery = input.refundEvery ?? 20;
  const partialEvery = input.partialRefundEvery ?? 50;
  const startLines = state.transactions.length;
  const from = state.clock.now();
  const written = () => state.transactions.length - startLines;

  const placed: EmuOrder[] = [];
  const refundIds: string[] = [];
  let toShip: EmuOrder[] = [];
  let toRefund: EmuOrder[] = [];
  let toPayBack: { order: EmuOrder; refundId: string }[] = [];
  if (input.subscription !== null) chargeSubscription(state, { net: input.subscription ?? '35.00' });

  const place = () => {
    const [order] = createOrders(state, { count: 1, linesPerOrder: perOrder, skus: input.skus, quantities: [1, 2, 1, 3] });
    const now = state.clock.now();
    order!.acceptedMs = now;
    for (const l of order!.lines) l.state = 'WAITING_DEBIT_PAYMENT';
    state.setState(order!, 'WAITING_DEBIT_PAYMENT', now);
    state.debit(order!, now);
    placed.push(order!);
    toShip.push(order!);
  };
  const ordersFor = (day: number): number => {
    if (input.lines === undefined) {
      const total = input.orders ?? 100;
      return Math.floor((total * (day + 1)) / days) - Math.floor((total * day) / days);
    }
    // Lines an order has written so far (about six an order line before any refund), spread over the days left.
    const perOrderSoFar = placed.length ? written() / placed.length : 6 * perOrder;
    return Math.max(0, Math.ceil((input.lines - written()) / perOrderSoFar / (days - day)));
  };

  for (let day = 0; day < days; day++) {
    const dayStart = state.clock.now();
    // What yesterday left: payouts of refunds, refunds of delivered orders, parcels to send.
    for (const { order, refundId } of toPayBack) {
      const refund = order.lines.flatMap((l) => l.refunds).find((r) => r.id === refundId);
      if (refund) completeRefund(state, order, refund, dayStart);
    }
    toPayBack = [];
    for (const order of toRefund) {
      const n = placed.indexOf(order) + 1;
      const made =
        refundEvery > 0 && n % refundEvery === 0
          ? operatorRefund(state, { orderId: order.orderId, reasonCode: '17' })
          : operatorRefund(state, { orderId: order.orderId, lines: [{ orderLineId: order.lines[0]!.id, amount: '5.00' }], reasonCode: '19' });
      for (const r of made.refunds) {
        refundIds.push(r.refundId);
        toPayBack.push({ order, refundId: r.refundId });
      }
    }
    toRefund = [];
    for (const order of toShip) {
      if (order.state !== 'SHIPPING') continue;
      ship(state, order, dayStart);
      const n = placed.indexOf(order) + 1;
      if ((refundEvery > 0 && n % refundEvery === 0) || (partialEvery > 0 && n % partialEvery === 0)) toRefund.push(order);
    }
    toShip = [];
    const count = ordersFor(day);
    const step = Math.floor(DAY / (count + 1));
    for (let i = 0; i < count; i++) {
      state.clock.advance(step);
      place();
    }
    state.clock.advance(dayStart + DAY - state.clock.now());
    state.tick();
  }
  // At least the lines asked for: top up on the last moment of the month.
  while (input.lines !== undefined && written() < input.lines) place();
  const lines = written();
  const cycle = input.close === false ? null : closeBillingCycle(state);
  return {
    from: state.clock.iso(from),
    to: state.clock.iso(),
    orders: placed.map((o) => ({ orderId: o.orderId, commercialId: o.commercialId })),
    refundIds,
    lines,
    cycle: cycle ? { billingCycleId: cycle.id, amount: cycle.amountToSeller.toFixed(2), lines: cycle.lineCount } : null,
  };
}

function ship(state: EmulatorState, order: EmuOrder, atMs: number): void {
  const carrier = state.config.carriers[0];
  const trackingNumber = `15501${order.commercialId}`;
  order.tracking = {
    carrierCode: carrier?.code ?? null,
    carrierName: carrier?.label ?? null,
    carrierStandardCode: carrier?.standard_code ?? null,
    trackingNumber,
    url: carrier?.tracking_url?.replace('{trackingId}', trackingNumber) ?? null,
  };
  order.shippedMs = atMs;
  for (const l of order.lines) {
    if (l.state !== 'SHIPPING') continue;
    l.shippedMs = atMs;
    l.shippedQuantity = unitsSold(l);
  }
  state.setState(order, 'SHIPPED', atMs);
}
