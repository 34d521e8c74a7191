import { ORDER_STATES, type MarketplaceOrder, type OrderState, type UnreadableRecord } from '../../connectors/ports/marketplace';
import type { OrderStage } from '../../../../shared/domain/orders';
import { count, raiseOnOrder, type OrdersEnv } from './env';
import { orderRef } from '../../ledger/bindings';
import { numAtCardOf } from './draft';
import { DEBITED_STATES, ENDED_STATES, FULFILLED_STATES, LINE_GONE, movedBackwards } from './states';
import { isLedgerFull } from '../../ledger-space';

export { DEBITED_STATES, ENDED_STATES, LINE_GONE };

/** Where an order first seen in a marketplace state starts its journey. */
export function initialStage(state: OrderState): OrderStage {
  if (state === 'awaiting-acceptance' || state === 'staging') return 'awaiting-acceptance';
  if (DEBITED_STATES.includes(state)) return 'ready';
  if (ENDED_STATES.includes(state) || state === 'closed') return 'closed';
  if (state === 'awaiting-debit') return 'accepted';
  // A state this console does not know: neither accepted nor posted until a person looks (see problemsOf).
  return 'blocked';
}

/** How a stage moves when the marketplace state changes (cancellations are the cancellation step's). */
export function nextStage(stage: OrderStage, state: OrderState): OrderStage {
  if (state === 'unknown' || ENDED_STATES.includes(state)) return stage;
  if ((stage === 'awaiting-acceptance' || stage === 'held') && state !== 'awaiting-acceptance' && state !== 'staging')
    return DEBITED_STATES.includes(state) ? 'ready' : 'accepted';
  if (stage === 'accepted' && DEBITED_STATES.includes(state)) return 'ready';
  return stage;
}

/**
 * What makes an order impossible to accept or post as sent: a state this console does not know (the order's or a
 * line's), a value the connector could not read, no lines, a line id twice, a line without an id, without a price,
 * with a negative amount or without a usable quantity. Such an order stays visible with an exception; the others go on.
 */
export function problemsOf(order: MarketplaceOrder): { type: 'order-invalid' | 'order-state-unknown'; detail: string } | null {
  if (order.state === 'unknown') return { type: 'order-state-unknown', detail: `the marketplace reports the state '${order.stateCode ?? '(none)'}'` };
  const oddLine = order.lines.find((l) => l.state === 'unknown');
  if (oddLine)
    return {
      type: 'order-state-unknown',
      detail: `the marketplace reports the state '${oddLine.stateCode ?? '(none)'}' for line ${oddLine.orderLineId || '(no id)'}`,
    };
  if (order.unreadable?.length) return { type: 'order-invalid', detail: `the marketplace sent ${order.unreadable.join(', ')}, which cannot be read` };
  if (order.lines.length === 0) return { type: 'order-invalid', detail: 'the order has no lines' };
  const ids = order.lines.map((l) => l.orderLineId);
  const twice = [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))];
  if (twice.length)
    return {
      type: 'order-invalid',
      detail: `line id${twice.length > 1 ? 's' : ''} ${twice.map((id) => `'${id}'`).join(', ')} appear${twice.length > 1 ? '' : 's'} more than once`,
    };
  if (ids.some((id) => !id)) return { type: 'order-invalid', detail: 'a line has no line id' };
  const live = order.lines.filter((l) => !LINE_GONE.includes(l.state));
  const unreadable = live.find((l) => l.unreadable?.length);
  if (unreadable)
    return { type: 'order-invalid', detail: `line ${unreadable.orderLineId}: the marketplace sent ${unreadable.unreadable!.join(', ')}, which cannot be read` };
  const priceless = live.find((l) => l.unitPrice === null && l.price === null);
  if (priceless) return { type: 'order-invalid', detail: `line ${priceless.orderLineId} has no price` };
  for (const l of live) {
    const negative = (
      [
        ['unit price', l.unitPrice],
        ['price', l.price],
        ['shipping price', l.shippingPrice],
      ] as const
    ).find(([, v]) => v?.isNegative() && !v.isZero());
    if (negative) return { type: 'order-invalid', detail: `line ${l.orderLineId} has the ${negative[0]} ${negative[1]!.toString()}` };
  }
  const badQuantity = order.lines.find((l) => !LINE_GONE.includes(l.state) && (l.quantity === null || !Number.isInteger(l.quantity) || l.quantity <= 0));
  if (badQuantity) return { type: 'order-invalid', detail: `line ${badQuantity.orderLineId} has the quantity ${String(badQuantity.quantity)}` };
  return null;
}

/**
 * Refunds on an order's lines that cannot be credited as the marketplace sent them: one without an id, with a value the
 * connector could not read (never credited as 0), or in a state the console does not know.
 */
export function refundProblemsOf(order: MarketplaceOrder): string[] {
  const out: string[] = [];
  for (const line of order.lines)
    for (const r of line.refunds) {
      if (!r.refundId) out.push(`a refund on line ${line.orderLineId} has no id`);
      else if (r.unreadable?.length) out.push(`refund ${r.refundId} on line ${line.orderLineId} has ${r.unreadable.join(', ')}`);
      else if (r.state === 'unknown') out.push(`refund ${r.refundId} on line ${line.orderLineId} is in the state '${r.stateCode ?? '(none)'}'`);
    }
  return out;
}

const DRY_RUN_LOOK_BACK_MS = 7 * 24 * 60 * 60_000;

/** How long an order may go unseen by the listing before it is re-read by id (the debit may carry an older date). */
const CHASE_AFTER_MS = 10 * 60_000;
/** One OR11 call's worth of ids. */
const CHASE_AT_MOST = 100;

/**
 * The states the order list asks for: every state but waiting for the debit. An acceptance — ours above all — is the
 * only way into it, so the engine's own acceptances never come back through the list (a first day of 500 orders is
 * not read twice); the orders waiting for their debit are chased by id instead, and show in the list again once
 * debited, cancelled or refused. A state the console does not know is not asked for (decision 0404).
 */
export const LISTED_STATES: readonly OrderState[] = ORDER_STATES.filter((s) => s !== 'awaiting-debit' && s !== 'unknown');

/**
 * Reads new and changed orders since the watermark kept in the ledger (on the first read: since the go-live
 * cut-off), page by page: each page's orders are stored one by one, their stage moved, and handed to `onStored`
 * (which accepts them) before the next page is asked for; `more`: another page follows. Then it re-reads by id the orders waiting for acceptance
 * or for their debit that the list has not shown for a while (accepted or refused elsewhere, debited with an older
 * date). The watermark moves only after the whole read is stored, so a crash re-reads it (the upsert
 * de-duplicates). One order that cannot be stored becomes an exception; the others go on.
 */
export async function intake(
  env: OrdersEnv,
  onStored: (orders: MarketplaceOrder[], page: { more: boolean }) => Promise<void> = async () => undefined,
): Promise<void> {
  const { repo, marketplace, settings } = env;
  // A dry run without a cut-off (trying the console out) reads the last week, never the shop's whole history.
  const since =
    repo.getState('watermark') ?? settings.ordersFrom ?? (env.ctx.dryRun ? new Date(env.now().getTime() - DRY_RUN_LOOK_BACK_MS).toISOString() : null);
  const seen = new Set<string>();
  const { watermark, unsettled } = await marketplace.orders.list({ since, states: LISTED_STATES, taxMode: settings.taxMode }, async (page) => {
    for (const record of page.unreadable) raiseUnreadable(env, record);
    for (const order of page.orders) seen.add(order.orderId);
    const stored = storeAll(env, page.orders);
    count(env, 'read', page.orders.length);
    await onStored(stored, { more: page.more });
  });
  if (unsettled) env.ctx.logger.info('The order list changed beneath the read: the next read covers the same window again', { since, unsettled });
  if (watermark && watermark !== since) repo.setState('watermark', watermark);

  // Orders waiting for a decision first (a person may have decided in the back office), then those waiting for the debit.
  const before = new Date(env.now().getTime() - CHASE_AFTER_MS).toISOString();
  const stale = [
    ...repo.untouchedSince(['awaiting-acceptance', 'held'], before, CHASE_AT_MOST + seen.size),
    ...repo.untouchedSince(['accepted'], before, CHASE_AT_MOST + seen.size),
  ]
    .filter((r) => !seen.has(r.orderId))
    .slice(0, CHASE_AT_MOST)
    .map((r) => r.orderId);
  if (!stale.length) return;
  const chased = await marketplace.orders.get(stale, settings.taxMode);
  count(env, 'read', chased.length);
  count(env, 'chased', chased.length);
  await onStored(storeAll(env, chased), { more: false });
}

function raiseUnreadable(env: OrdersEnv, record: UnreadableRecord): void {
  env.ctx.raise({
    type: 'listing-unreadable',
    record: { type: 'order-listing', key: record.hint },
    summary: `The marketplace's order list held ${record.reason} (${record.hint}); nothing was done with it`,
    rawError: JSON.stringify(record.raw).slice(0, 4000),
  });
  count(env, 'unreadable');
}

/** Stores each order on its own; returns those stored. */
function storeAll(env: OrdersEnv, orders: readonly MarketplaceOrder[]): MarketplaceOrder[] {
  const stored: MarketplaceOrder[] = [];
  for (const order of orders) {
    try {
      store(env, order);
      stored.push(order);
    } catch (e) {
      // The ledger's disk is full: not this order's fault, and no exception could be recorded either.
      if (isLedgerFull(e)) throw e;
      env.ctx.logger.error('An order could not be stored', { orderId: order.orderId, error: e instanceof Error ? e.message : String(e) });
      raiseOnOrder(
        env,
        order.orderId,
        'order-invalid',
        `${order.orderId} could not be recorded: ${e instanceof Error ? e.message : String(e)}`,
        JSON.stringify(order.raw).slice(0, 4000),
      );
      count(env, 'unstorable');
    }
  }
  return stored;
}

/** An order created before the cut-off and already fulfilled when first seen is the business's history. */
function isHistory(env: OrdersEnv, order: MarketplaceOrder): boolean {
  const cutoff = env.settings.ordersFrom ? Date.parse(env.settings.ordersFrom) : NaN;
  const created = order.createdDate ? Date.parse(order.createdDate) : NaN;
  return !Number.isNaN(cutoff) && !Number.isNaN(created) && created < cutoff && FULFILLED_STATES.includes(order.state);
}

/**
 * Stores one order and moves its stage in one transaction. The stage follows from the stored stage and the
 * marketplace state, not from "did the state change", so a run cut short between the two is repaired by the next read.
 */
function store(env: OrdersEnv, order: MarketplaceOrder): void {
  const { repo } = env;
  const at = env.now();
  const problem = problemsOf(order);
  let backwards: string | null = null;
  repo.transaction(() => {
    const before = repo.get(order.orderId);
    if (before && movedBackwards(before.marketplaceState, order.state))
      backwards = `${before.stateCode ?? before.marketplaceState} → ${order.stateCode ?? order.state}`;
    const history = isHistory(env, order);
    const first = history ? 'history' : problem ? 'blocked' : initialStage(order.state);
    const { created, previousState } = repo.upsert(order, numAtCardOf(order, env.settings.numAtCardSource), first, at);
    if (created) {
      repo.event(
        order.orderId,
        'marketplace',
        history
          ? `Order received already ${order.stateCode ?? order.state}, created ${order.createdDate ?? '?'} before the go-live cut-off: kept as history, never posted`
          : `Order received (${order.stateCode ?? 'state unknown'}), ${order.lines.length} line(s), total ${order.totalPrice?.toFixed(2) ?? '?'} ${order.currency ?? ''}`.trim(),
        at,
      );
      count(env, history ? 'history' : 'new');
    } else {
      if (previousState !== order.stateCode) repo.event(order.orderId, 'marketplace', `Marketplace: ${previousState ?? '?'} → ${order.stateCode ?? '?'}`, at);
      const row = repo.get(order.orderId)!;
      // A problem the marketplace has since corrected puts the order back on its way.
      const cured = !problem && row.stage === 'blocked' && row.docEntry === null && shapeProblemsOn(env, order.orderId).length > 0;
      const next = problem ? row.stage : nextStage(cured ? initialStage(order.state) : row.stage, order.state);
      if (next !== row.stage) repo.setStage(order.orderId, next, at);
    }
  });
  if (backwards) {
    const row = repo.get(order.orderId)!;
    raiseOnOrder(
      env,
      order.orderId,
      'order-state-backwards',
      `The marketplace moved ${order.orderId} back (${backwards}); the console keeps it ${row.stage} and sends nothing for the move`,
      backwards,
    );
    count(env, 'movedBackwards');
  }
  const refunds = refundProblemsOf(order);
  if (refunds.length) {
    raiseOnOrder(
      env,
      order.orderId,
      'refund-unreadable',
      `The marketplace shows ${refunds.length === 1 ? 'a refund' : `${refunds.length} refunds`} on ${order.orderId} that cannot be credited: ${refunds.join('; ')}`,
      JSON.stringify(order.lines.flatMap((l) => l.refunds.filter((r) => !r.refundId || r.unreadable?.length || r.state === 'unknown'))).slice(0, 4000),
    );
    count(env, 'refundUnreadable');
  } else env.ctx.resolve('refund-unreadable', orderRef(order.orderId));
  if (problem && !isHistory(env, order)) {
    raiseOnOrder(
      env,
      order.orderId,
      problem.type,
      `${order.orderId} cannot be accepted or posted: ${problem.detail}`,
      JSON.stringify(order.raw).slice(0, 4000),
    );
    count(env, problem.type === 'order-state-unknown' ? 'stateUnknown' : 'invalid');
  } else if (!problem) {
    for (const type of shapeProblemsOn(env, order.orderId)) env.ctx.resolve(type, { type: 'order', key: order.orderId });
  }
}

/** The live exceptions that say the order itself was unusable as the marketplace sent it. */
function shapeProblemsOn(env: OrdersEnv, orderId: string): string[] {
  return env.ctx.ledger.exceptions
    .live('orders')
    .filter((e) => e.record.type === 'order' && e.record.key === orderId && (e.type === 'order-invalid' || e.type === 'order-state-unknown'))
    .map((e) => e.type);
}
