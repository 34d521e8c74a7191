import type { MarketplaceOrder } from '../../connectors/marketplace';
import type { OrderStage } from '../../../../shared/domain/orders';
import { count, type OrdersEnv } from './env';
import { numAtCardOf } from './draft';

/** Debited: the marketplace lets the order ship, so SAP may get its Sales Order. */
export const DEBITED_STATES = ['SHIPPING', 'SHIPPED', 'TO_COLLECT', 'RECEIVED'];
export const ENDED_STATES = ['CANCELED', 'CANCELLED', 'REFUSED'];

/** Where an order first seen in a marketplace state starts its journey. */
export function initialStage(state: string | null): OrderStage {
  if (state === 'WAITING_ACCEPTANCE' || state === 'STAGING') return 'awaiting-acceptance';
  if (state && DEBITED_STATES.includes(state)) return 'ready';
  if (state && (ENDED_STATES.includes(state) || state === 'CLOSED')) return 'closed';
  return 'accepted';
}

/** How a stage moves when the marketplace state changes (cancellations are the cancellation step's). */
export function nextStage(stage: OrderStage, state: string | null): OrderStage {
  if (!state || ENDED_STATES.includes(state)) return stage;
  if ((stage === 'awaiting-acceptance' || stage === 'held') && state !== 'WAITING_ACCEPTANCE' && state !== 'STAGING') return DEBITED_STATES.includes(state) ? 'ready' : 'accepted';
  if (stage === 'accepted' && DEBITED_STATES.includes(state)) return 'ready';
  return stage;
}

/** How long an accepted order may go unseen by the watermark before it is re-read by id (the debit may carry an older date). */
const CHASE_AFTER_MS = 10 * 60_000;

/**
 * Reads new and changed orders since the watermark kept in the ledger, stores them, moves their stage, and
 * re-reads accepted orders the listing has not shown for a while. The watermark moves only after the orders
 * it covers are stored, so a crash re-reads them (the upsert de-duplicates).
 */
export async function intake(env: OrdersEnv): Promise<MarketplaceOrder[]> {
  const { repo, marketplace, settings } = env;
  const since = repo.getState('watermark');
  const { orders, watermark } = await marketplace.listOrders({ since, taxMode: settings.taxMode });
  const seen = new Set(orders.map((o) => o.orderId));
  const stale = repo
    .inStages(['accepted'], 100)
    .filter((r) => !seen.has(r.orderId) && env.now().getTime() - Date.parse(r.updatedAt) > CHASE_AFTER_MS)
    .map((r) => r.orderId);
  const chased = stale.length ? await marketplace.getOrders(stale, settings.taxMode) : [];
  const all = [...orders, ...chased];
  for (const order of all) store(env, order);
  if (watermark && watermark !== since) repo.setState('watermark', watermark);
  count(env, 'read', all.length);
  return all;
}

/**
 * Stores one order and moves its stage in one transaction. The stage follows from the stored stage and the
 * marketplace state, not from "did the state change", so a run cut short between the two is repaired by the next read.
 */
function store(env: OrdersEnv, order: MarketplaceOrder): void {
  const { repo } = env;
  const at = env.now();
  repo.transaction(() => {
    const { created, previousState } = repo.upsert(order, numAtCardOf(order, env.settings.numAtCardSource), initialStage(order.state), at);
    if (created) {
      repo.event(order.orderId, 'marketplace', `Order received (${order.state ?? 'state unknown'}), ${order.lines.length} line(s), total ${order.totalPrice?.toFixed(2) ?? '?'} ${order.currency ?? ''}`.trim(), at);
      count(env, 'new');
      return;
    }
    if (previousState !== order.state) repo.event(order.orderId, 'marketplace', `Marketplace: ${previousState ?? '?'} → ${order.state ?? '?'}`, at);
    const row = repo.get(order.orderId)!;
    const next = nextStage(row.stage, order.state);
    if (next !== row.stage) repo.setStage(order.orderId, next, at);
  });
}
