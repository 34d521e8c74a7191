import Decimal from 'decimal.js';
import { isMarketplaceFailure, type Marketplace, type MarketplaceOrder, type TaxMode } from '../../connectors/ports/marketplace';
import type { Clock, Logger } from '../../ports';
import type { Ledger } from '../../ledger';
import { orderRef } from '../../ledger/bindings';
import { noteRefunds } from './intake';
import type { RefundRequestLine, RefundRequestRow, ReturnsRepository } from './repository';
import { toRaise } from '../../flow-context';

const ZERO = new Decimal(0);
const round2 = (d: Decimal) => d.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
const message = (e: unknown) => (isMarketplaceFailure(e) ? (e.rawBody ?? e.message) : e instanceof Error ? e.message : String(e));

export interface RefundAsk {
  orderId: string;
  reasonCode: string;
  actor: string;
  lines: { orderLineId: string; quantity: number; amount: string; shippingAmount: string }[];
}

export class RefundRefused extends Error {}

export interface RefundDeps {
  repo: ReturnsRepository;
  ledger: Ledger;
  clock: Clock;
  logger: Logger;
  marketplace: () => Pick<Marketplace, 'orders'> | null;
  taxMode: () => TaxMode;
}

/** What is left to refund on each line of an order: the line's price and shipping less every refund already made. */
export function refundable(order: MarketplaceOrder): Map<string, { amount: Decimal; shipping: Decimal; units: number }> {
  return new Map(
    order.lines.map((l) => {
      const refundedUnits = l.refunds.reduce((a, r) => a + r.quantity, 0);
      return [
        l.orderLineId,
        {
          amount: (l.price ?? ZERO).minus(l.refunds.reduce((a, r) => a.plus(r.amount), ZERO)),
          shipping: (l.shippingPrice ?? ZERO).minus(l.refunds.reduce((a, r) => a.plus(r.shippingAmount), ZERO)),
          units: Math.max(0, (l.quantity ?? 0) - refundedUnits),
        },
      ];
    }),
  );
}

/**
 * The taxes inside a refunded amount: the line's taxes in proportion to the part refunded (rounded to pence), as the
 * marketplace requires them on every refund of an order with taxes.
 */
function proportionalTaxes(taxes: MarketplaceOrder['lines'][number]['taxes'], part: Decimal, whole: Decimal | null) {
  if (!whole || whole.isZero()) return [];
  return taxes.filter((t) => t.code && t.amount).map((t) => ({ code: t.code!, amount: round2(t.amount!.times(part).div(whole)).toFixed(2) }));
}

/** The OR28 lines for a person's refund: checked against what the order has left to refund. */
export function planRefund(order: MarketplaceOrder, ask: RefundAsk): RefundRequestLine[] {
  const left = refundable(order);
  return ask.lines.map((l) => {
    const line = order.lines.find((x) => x.orderLineId === l.orderLineId);
    if (!line) throw new RefundRefused(`Order ${order.orderId} has no line ${l.orderLineId}`);
    const amount = new Decimal(l.amount);
    const shipping = new Decimal(l.shippingAmount);
    const room = left.get(l.orderLineId)!;
    if (amount.isNegative() || shipping.isNegative()) throw new RefundRefused(`Line ${l.orderLineId}: amounts cannot be negative`);
    if (amount.isZero() && shipping.isZero()) throw new RefundRefused(`Line ${l.orderLineId}: nothing to refund`);
    if (amount.gt(room.amount))
      throw new RefundRefused(`Line ${l.orderLineId}: ${amount.toFixed(2)} is more than the ${room.amount.toFixed(2)} left to refund`);
    if (shipping.gt(room.shipping))
      throw new RefundRefused(`Line ${l.orderLineId}: shipping ${shipping.toFixed(2)} is more than the ${room.shipping.toFixed(2)} left to refund`);
    if (l.quantity > room.units) throw new RefundRefused(`Line ${l.orderLineId}: ${l.quantity} unit(s) is more than the ${room.units} not yet refunded`);
    return {
      orderLineId: l.orderLineId,
      quantity: l.quantity,
      amount: amount.toFixed(2),
      shippingAmount: shipping.toFixed(2),
      taxes: proportionalTaxes(line.taxes, amount, line.price),
      shippingTaxes: proportionalTaxes(line.shippingTaxes, shipping, line.shippingPrice),
    };
  });
}

const refundIdsOf = (order: MarketplaceOrder) => order.lines.flatMap((l) => l.refunds.map((r) => r.refundId));

/**
 * Sends a person's refund (OR28) once. The request is recorded first with the refunds the order already has; a
 * refusal is final (nothing was refunded); any other failure may have refunded, so the request waits in 'checking'
 * until a read of the order settles it. It is never sent again by the engine.
 */
export async function issueRefund(deps: RefundDeps, ask: RefundAsk): Promise<RefundRequestRow> {
  const marketplace = deps.marketplace();
  if (!marketplace) throw new RefundRefused('The marketplace is not configured (Connections)');
  const open = deps.repo.requestsOfOrder(ask.orderId).find((r) => r.state === 'sending' || r.state === 'checking');
  if (open) throw new RefundRefused(`A refund for ${ask.orderId} sent at ${open.createdAt} is still being settled: wait for it before sending another`);
  const taxMode = deps.taxMode();
  const [order] = await marketplace.orders.get([ask.orderId], taxMode, { forOperatorAction: true });
  if (!order) throw new RefundRefused(`The marketplace has no order ${ask.orderId}`);
  const lines = planRefund(order, ask);
  const at = () => new Date(deps.clock.now());
  const request = deps.repo.recordRequest(
    { orderId: ask.orderId, request: { taxMode, reasonCode: ask.reasonCode, lines }, actor: ask.actor, knownRefundIds: refundIdsOf(order) },
    at(),
  );
  deps.ledger.timeline.add(
    orderRef(ask.orderId),
    'operator',
    `${ask.actor} sent a refund: ${lines.map((l) => `line ${l.orderLineId} ${l.amount} + shipping ${l.shippingAmount}`).join('; ')} (reason ${ask.reasonCode})`,
    at(),
  );
  try {
    const results = await marketplace.orders.refund({
      taxMode,
      refunds: lines.map((l) => ({
        orderLineId: l.orderLineId,
        quantity: l.quantity,
        amount: new Decimal(l.amount),
        shippingAmount: new Decimal(l.shippingAmount),
        reasonCode: ask.reasonCode,
        taxes: l.taxes.map((t) => ({ code: t.code, amount: new Decimal(t.amount) })),
        shippingTaxes: l.shippingTaxes.map((t) => ({ code: t.code, amount: new Decimal(t.amount) })),
      })),
    });
    const ids = results.map((r) => r.refundId).filter((id): id is string => !!id);
    // The refunds are stored at once (the order's next read confirms them), so their Credit Memos follow.
    noteRefunds(
      deps.repo,
      [
        {
          ...order,
          lines: order.lines.map((l) => ({
            ...l,
            refunds: results
              .filter((r) => r.orderLineId === l.orderLineId && r.refundId)
              .map((r) => {
                const sent = lines.find((x) => x.orderLineId === l.orderLineId)!;
                return {
                  refundId: r.refundId!,
                  amount: new Decimal(sent.amount),
                  shippingAmount: new Decimal(sent.shippingAmount),
                  taxes: sent.taxes.map((t) => ({ code: t.code, rate: null, amount: new Decimal(t.amount) })),
                  shippingTaxes: sent.shippingTaxes.map((t) => ({ code: t.code, rate: null, amount: new Decimal(t.amount) })),
                  quantity: sent.quantity,
                  reasonCode: ask.reasonCode,
                  state: 'pending' as const,
                  stateCode: r.state,
                  createdDate: at().toISOString(),
                };
              }),
          })),
        },
      ],
      at(),
    );
    deps.ledger.timeline.add(orderRef(ask.orderId), 'marketplace', `Refund made on the marketplace: ${ids.join(', ')}`, at());
    return deps.repo.settleRequest(request.id, 'sent', at(), { refundIds: ids });
  } catch (e) {
    if (isMarketplaceFailure(e) && e.refused) {
      deps.ledger.timeline.add(orderRef(ask.orderId), 'marketplace', `The marketplace refused the refund: ${message(e)}`, at());
      return deps.repo.settleRequest(request.id, 'failed', at(), { error: `The marketplace refused it: ${message(e)}` });
    }
    deps.logger.warn('A refund got no answer; the order is read before anything is sent again', { orderId: ask.orderId, error: message(e) });
    deps.ledger.exceptions.raise(
      toRaise('returns', {
        type: 'refund-outcome-unknown',
        record: orderRef(ask.orderId),
        summary: `${ask.orderId}: the refund sent by ${ask.actor} got no answer (${message(e)}); the order is read before anything is sent again`,
        rawError: message(e),
      }),
      at(),
    );
    return deps.repo.settleRequest(request.id, 'checking', at(), { error: `No answer from the marketplace (${message(e)}): checking the order` });
  }
}

/**
 * Settles refunds whose answer never came by reading their orders: refunds on the requested lines that the order did
 * not have before are this request's (sent); none means it never landed (failed: a person may send it again).
 */
export async function settleRequests(deps: RefundDeps): Promise<number> {
  const checking = deps.repo.requestsInStates(['checking', 'sending']);
  const marketplace = deps.marketplace();
  if (!checking.length || !marketplace) return 0;
  // A request still 'sending' belongs to a command in flight unless it is older than a call can take.
  const stale = checking.filter((r) => r.state === 'checking' || deps.clock.now() - Date.parse(r.updatedAt) > 10 * 60_000);
  if (!stale.length) return 0;
  const orders = await marketplace.orders.get([...new Set(stale.map((r) => r.orderId))], deps.taxMode());
  let settled = 0;
  const at = new Date(deps.clock.now());
  for (const request of stale) {
    const order = orders.find((o) => o.orderId === request.orderId);
    if (!order) continue;
    const known = new Set(request.knownRefundIds);
    const lines = new Set(request.request.lines.map((l) => l.orderLineId));
    const fresh = order.lines.filter((l) => lines.has(l.orderLineId)).flatMap((l) => l.refunds.filter((r) => !known.has(r.refundId)));
    noteRefunds(deps.repo, [order], at);
    if (fresh.length) {
      deps.repo.settleRequest(request.id, 'sent', at, { refundIds: fresh.map((r) => r.refundId) });
      deps.ledger.timeline.add(
        orderRef(request.orderId),
        'marketplace',
        `The refund whose answer was lost is on the order: ${fresh.map((r) => r.refundId).join(', ')}; not sent again`,
        at,
      );
    } else {
      deps.repo.settleRequest(request.id, 'failed', at, {
        error: 'The marketplace has no such refund on the order: it never landed. Nothing was refunded; send it again from the refund form if it is still due.',
      });
      deps.ledger.timeline.add(
        orderRef(request.orderId),
        'engine',
        'The refund whose answer was lost is not on the order: it never landed; nothing was sent again',
        at,
      );
    }
    deps.ledger.exceptions.resolveFor('returns', 'refund-outcome-unknown', orderRef(request.orderId), at);
    settled++;
  }
  return settled;
}
