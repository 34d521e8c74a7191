import type {
  CancelationResult,
  CancelLinesRequest,
  LineDecision,
  MarketplaceOrder,
  OrderListPage,
  OrderListQuery,
  OrderListResult,
  RefundRequest,
  RefundResult,
  TaxMode,
  TrackingUpdate,
} from '../ports/marketplace';
import type { MiraklClient } from './client';
import { MarketplaceRequestError } from './errors';
import { OR11_OPERATOR } from './limits';
import { toOrder } from './order-map';
import { stateCodes } from './states';
import { arr, dec, int, obj, str } from './read';
import { money, taxes } from './wire';

const PAGE_SIZE = 100;
/** A bound on one listing: 100 pages of 100 orders. The next poll carries on from the watermark. */
const MAX_PAGES = 100;
/**
 * Longer than any order id a marketplace gives (Mirakl's look like 000000086-A), and too long to name in the address of
 * a later call (accept, tracking, ship): such a record is not an order the flows can act on.
 */
export const MAX_ORDER_ID_LENGTH = 255;
/** Mirakl moves start_update_date back itself; we overlap too, so a late write is never missed. */
export const WATERMARK_OVERLAP_MS = 5 * 60_000;

/**
 * OR11 paging, watermark and de-duplication. Orders come back more than once (our overlap, Mirakl's own
 * margin, offset pages shifting); one (order_id, last_updated_date) is handed to the flows once.
 *
 * Pages are handed over as they arrive (`onPage`), so a flow accepts page 1's orders before page 2 is asked for.
 * When the listing names states, an order this connector accepts meanwhile may leave them (WAITING_ACCEPTANCE to
 * WAITING_DEBIT_PAYMENT): the list closes up behind the cursor, so the next offset is moved back by the orders of
 * this read that our own OR21 took out of the list. An order someone else took out (total_count falling by more
 * than those) may have shifted an unread order behind the cursor: the read then keeps the old watermark, so the next
 * read covers the same window again (decision 0404).
 */
export class OrderReader {
  /** order_id|last_updated_date already handed out, with the update time for pruning. */
  private readonly seen = new Map<string, number>();
  /** The read under way: the order ids it handed out and the states it lists. */
  private current: { handedOut: Set<string>; states: readonly string[] | null; leftList: number } | null = null;

  constructor(private readonly client: MiraklClient) {}

  async list(query: OrderListQuery, onPage?: (page: OrderListPage) => Promise<void>): Promise<OrderListResult> {
    const since = query.since ? Date.parse(query.since) : NaN;
    const start = Number.isNaN(since) ? undefined : new Date(since - WATERMARK_OVERLAP_MS).toISOString();
    const codes = query.states?.length ? stateCodes(query.states) : null;
    const out: MarketplaceOrder[] = [];
    const unreadable: OrderListResult['unreadable'] = [];
    let watermark = query.since;
    let unsettled: string | null = null;
    const read = { handedOut: new Set<string>(), states: codes, leftList: 0 };
    this.current = read;
    try {
      let expectedTotal: number | null = null;
      for (let page = 0, offset = 0; page < MAX_PAGES; page++) {
        const { body } = await this.client.ok({
          operation: 'OR11',
          method: 'GET',
          path: '/api/orders',
          idempotent: true,
          params: {
            order_state_codes: codes?.join(','),
            start_update_date: start,
            order_tax_mode: query.taxMode,
            sort: 'dateCreated',
            order: 'asc',
            offset,
            max: PAGE_SIZE,
          },
          // At offset 0 the marketplace cannot tell a follow-on page from a new listing: it is governed as one.
          ...(page > 0 && offset > 0 ? { pageOf: 'OR11' as const } : {}),
        });
        const orders = arr(obj(body).orders).map(toOrder);
        const total = int(obj(body).total_count);
        // New orders join the list at its end and debited ones re-enter it (a page shows an order twice: harmless);
        // fewer orders than our own acceptances explain means someone else took some out, which may have moved an
        // unread order behind the cursor.
        if (expectedTotal !== null && total !== null && total < expectedTotal && !unsettled)
          unsettled = `the order list held ${total} orders on page ${page + 1} where at least ${expectedTotal} were expected`;
        const fresh: MarketplaceOrder[] = [];
        const odd: OrderListResult['unreadable'] = [];
        for (const [i, order] of orders.entries()) {
          const why = !order.orderId
            ? 'an order without an order_id'
            : order.orderId.length > MAX_ORDER_ID_LENGTH
              ? `an order_id of ${order.orderId.length} characters (the marketplace could not be asked about it by that id)`
              : null;
          if (why) {
            const commercialId = order.commercialId && order.commercialId.length <= MAX_ORDER_ID_LENGTH ? order.commercialId : null;
            odd.push({ reason: why, hint: commercialId ? `commercial id ${commercialId}` : `record ${offset + i + 1} of the listing`, raw: order.raw });
            continue;
          }
          read.handedOut.add(order.orderId);
          if (order.lastUpdatedDate && (!watermark || Date.parse(order.lastUpdatedDate) > Date.parse(watermark))) watermark = order.lastUpdatedDate;
          if (this.seen.has(seenKey(order))) continue;
          fresh.push(order);
        }
        const left = read.leftList;
        const more = orders.length === PAGE_SIZE && (total === null || offset + orders.length < total);
        if (onPage) await onPage({ orders: fresh, unreadable: odd, more });
        else {
          out.push(...fresh);
          unreadable.push(...odd);
        }
        // Handed out only once the flow has taken them: a page it could not store (its ledger's disk full, a crash of
        // its own) comes again with the next read, instead of being skipped as seen while the watermark moves past it.
        for (const order of fresh) this.seen.set(seenKey(order), Date.parse(order.lastUpdatedDate ?? '') || 0);
        // Orders of this read our own acceptances took out of the listed states while the page was handled.
        const gone = read.leftList - left;
        offset += orders.length - gone;
        if (!more) break;
        expectedTotal = total === null ? null : total - gone;
      }
    } finally {
      this.current = null;
    }
    this.prune(watermark);
    return unsettled ? { orders: out, watermark: query.since, unsettled, unreadable } : { orders: out, watermark, unsettled: null, unreadable };
  }

  /**
   * An OR21 of ours was answered: an order of the read under way that it moved out of the listed states (accepted:
   * WAITING_DEBIT or WAITING_DEBIT_PAYMENT; every line refused: REFUSED) no longer holds its place in the list.
   */
  accepted(orderId: string, anyLineAccepted: boolean): void {
    const read = this.current;
    if (!read?.states || !read.handedOut.has(orderId)) return;
    const after = anyLineAccepted ? ['WAITING_DEBIT', 'WAITING_DEBIT_PAYMENT'] : ['REFUSED'];
    if (after.every((code) => !read.states!.includes(code))) read.leftList += 1;
  }

  /**
   * OR11 by id. For an operator's action each order is read on its own under the synchronous allowance (one order,
   * as an order page shows it); otherwise up to 100 a call within the once-a-minute window.
   */
  async byIds(orderIds: readonly string[], taxMode: TaxMode, options: { forOperatorAction?: boolean } = {}): Promise<MarketplaceOrder[]> {
    const out: MarketplaceOrder[] = [];
    const perCall = options.forOperatorAction ? 1 : PAGE_SIZE;
    for (let i = 0; i < orderIds.length; i += perCall) {
      const ids = orderIds.slice(i, i + perCall);
      const { body } = await this.client.ok({
        operation: 'OR11',
        method: 'GET',
        path: '/api/orders',
        idempotent: true,
        params: { order_ids: ids.join(','), order_tax_mode: taxMode, offset: 0, max: PAGE_SIZE },
        ...(options.forOperatorAction ? { governorKey: OR11_OPERATOR } : {}),
      });
      out.push(...arr(obj(body).orders).map(toOrder));
    }
    return out;
  }

  private prune(watermark: string | null): void {
    if (!watermark) return;
    const horizon = Date.parse(watermark) - 2 * WATERMARK_OVERLAP_MS;
    for (const [key, at] of this.seen) if (at < horizon) this.seen.delete(key);
  }
}

const seenKey = (order: MarketplaceOrder) => `${order.orderId}|${order.lastUpdatedDate ?? ''}`;

const orderPath = (orderId: string, action: string) => `/api/orders/${encodeURIComponent(orderId)}/${action}`;

export async function acceptOrder(client: MiraklClient, orderId: string, decisions: readonly LineDecision[]): Promise<void> {
  if (decisions.length === 0) throw new MarketplaceRequestError('OR21', `Order ${orderId}: a decision is needed for every line`);
  const ids = new Set(decisions.map((d) => d.orderLineId));
  if (ids.size !== decisions.length) throw new MarketplaceRequestError('OR21', `Order ${orderId}: a line has two decisions`);
  await client.ok({
    operation: 'OR21',
    method: 'PUT',
    path: orderPath(orderId, 'accept'),
    idempotent: true,
    data: { order_lines: decisions.map((d) => ({ id: d.orderLineId, accepted: d.accepted })) },
  });
}

export async function setTracking(client: MiraklClient, orderId: string, tracking: TrackingUpdate): Promise<void> {
  const data =
    'carrierCode' in tracking
      ? { carrier_code: tracking.carrierCode, tracking_number: tracking.trackingNumber }
      : { carrier_name: tracking.carrierName, carrier_url: tracking.carrierUrl, tracking_number: tracking.trackingNumber };
  await client.ok({ operation: 'OR23', method: 'PUT', path: orderPath(orderId, 'tracking'), idempotent: true, data });
}

export async function confirmShipment(client: MiraklClient, orderId: string): Promise<void> {
  await client.ok({ operation: 'OR24', method: 'PUT', path: orderPath(orderId, 'ship'), idempotent: true });
}

export async function cancelOrder(client: MiraklClient, orderId: string): Promise<void> {
  await client.ok({ operation: 'OR29', method: 'PUT', path: orderPath(orderId, 'cancel'), idempotent: true });
}

export async function refund(client: MiraklClient, request: RefundRequest): Promise<RefundResult[]> {
  const { body } = await client.ok({
    operation: 'OR28',
    method: 'PUT',
    path: '/api/orders/refund',
    // A refund sent twice is two refunds: only a 429 (not processed) is retried.
    idempotent: false,
    data: {
      order_tax_mode: request.taxMode,
      refunds: request.refunds.map((r) => ({
        order_line_id: r.orderLineId,
        amount: money(r.amount),
        shipping_amount: money(r.shippingAmount),
        reason_code: r.reasonCode,
        quantity: r.quantity,
        taxes: taxes(r.taxes),
        shipping_taxes: taxes(r.shippingTaxes),
      })),
    },
  });
  return arr(obj(body).refunds).map((r) => ({
    refundId: str(r.refund_id),
    groupId: str(r.order_refund_id),
    orderLineId: str(r.order_line_id),
    amount: dec(r.amount),
    state: str(r.refund_state) ?? str(r.state),
    raw: r,
  }));
}

export async function cancelLines(client: MiraklClient, request: CancelLinesRequest): Promise<CancelationResult[]> {
  const { body } = await client.ok({
    operation: 'OR30',
    method: 'PUT',
    path: '/api/orders/cancel',
    idempotent: false,
    data: {
      order_tax_mode: request.taxMode,
      cancelations: request.cancelations.map((c) => ({
        order_line_id: c.orderLineId,
        amount: money(c.amount),
        shipping_amount: money(c.shippingAmount),
        quantity: c.quantity,
        reason_code: c.reasonCode,
        taxes: taxes(c.taxes),
        shipping_taxes: taxes(c.shippingTaxes),
      })),
    },
  });
  return arr(obj(body).cancelations).map((c) => ({
    cancelationId: str(c.cancelation_id) ?? str(c.id),
    orderLineId: str(c.order_line_id),
    amount: dec(c.amount),
    raw: c,
  }));
}
