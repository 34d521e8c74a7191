import type { LineRefund, MarketplaceOrder } from '../../connectors/ports/marketplace';
import { returnRef } from '../../ledger/bindings';
import { count, event, raise, type ReturnsEnv } from './env';
import type { ReturnsRepository } from './repository';

/** Each read reaches this far behind the newest change already read: RT11 filters by time, a return changed at the edge is not lost. */
const OVERLAP_MS = 5 * 60_000;
/** Without a setting, the first read goes back this far. */
const FIRST_READ_MS = 30 * 24 * 60 * 60_000;
/** Pages one run reads at most; the rest come next run (the watermark moves only once every page is read). */
const MAX_PAGES = 50;

/**
 * Reads returns changed since the watermark (RT11, seek paging), stores each, and notes new ones on their order's
 * timeline. A return for an order that never became a Sales Order is an exception on the return (its marketplace side
 * still goes on). The watermark moves only after every page was read and stored.
 */
export async function readReturns(env: ReturnsEnv): Promise<void> {
  const { repo } = env;
  const watermark = repo.getState('watermark');
  // A read cut short by the allowance goes on from its next page (with the newest change it had seen).
  let pageToken = repo.getState('pageToken') ?? undefined;
  let newest = repo.getState('pageNewest') ?? watermark;
  const since = watermark
    ? new Date(Date.parse(watermark) - OVERLAP_MS).toISOString()
    : (env.settings.readFrom ?? new Date(env.now().getTime() - FIRST_READ_MS).toISOString());
  for (let page = 0; page < MAX_PAGES; page++) {
    // Each page counts against the allowance (RT11: one call in five minutes): the run never waits for one, it
    // leaves the rest of the read to the next run and goes on with what needs no read.
    const readable = env.marketplace.returns.nextRead?.();
    if (readable && readable.getTime() > env.now().getTime()) {
      count(env, 'returnsReadLater');
      break;
    }
    const result = await env.marketplace.returns.list(pageToken ? { pageToken, limit: 100 } : { updatedSince: since, limit: 100 });
    for (const r of result.items) {
      if (!r.id) continue;
      const { created, before, after } = repo.upsertReturn(r, env.now());
      if (created) {
        count(env, 'returnsNew');
        event(
          env,
          r.orderId,
          'marketplace',
          `Return ${r.rma ?? r.id} opened (${r.stateCode ?? r.state}): ${r.lines.map((l) => `${l.quantity ?? '?'} × line ${l.orderLineId ?? '?'}`).join(', ')}`,
          {
            returnId: r.id,
          },
        );
      } else if (before && before.marketplaceState !== after.marketplaceState) {
        event(env, r.orderId, 'marketplace', `Return ${r.rma ?? r.id}: ${before.stateCode ?? before.marketplaceState} → ${r.stateCode ?? r.state}`, {
          returnId: r.id,
        });
      }
      checkOrder(env, after.returnId, after.orderId);
      if (r.lastUpdated && (!newest || r.lastUpdated > newest)) newest = r.lastUpdated;
    }
    count(env, 'returnsRead', result.items.length);
    if (!result.nextPageToken) {
      repo.transaction(() => {
        if (newest && newest !== watermark) repo.setState('watermark', newest);
        repo.clearState('pageToken');
        repo.clearState('pageNewest');
      });
      return;
    }
    pageToken = result.nextPageToken;
    repo.transaction(() => {
      repo.setState('pageToken', pageToken!);
      if (newest) repo.setState('pageNewest', newest);
    });
  }
}

/** A return is only booked into SAP for an order SAP has: otherwise a person must know. */
function checkOrder(env: ReturnsEnv, returnId: string, orderId: string | null): void {
  if (orderId && env.postedOrders.get(orderId)) {
    env.ctx.resolve('order-not-posted', returnRef(returnId));
    return;
  }
  raise(
    env,
    returnRef(returnId),
    orderId,
    'order-not-posted',
    `Return ${returnId} is for order ${orderId ?? '(none given)'}, which never became a Sales Order in SAP: nothing can be credited against it`,
  );
}

/**
 * Keeps every refund the orders flow read on an order's lines (from any console, the marketplace's back office, or a
 * return), so each becomes one Credit Memo. Called with every order the orders flow stored.
 */
export function noteRefunds(
  repo: ReturnsRepository,
  orders: readonly MarketplaceOrder[],
  at: Date,
): { orderId: string; orderLineId: string; refund: LineRefund }[] {
  const added: { orderId: string; orderLineId: string; refund: LineRefund }[] = [];
  repo.transaction(() => {
    for (const order of orders) {
      const taxMode = order.taxMode === 'TAX_EXCLUDED' ? 'TAX_EXCLUDED' : 'TAX_INCLUDED';
      for (const line of order.lines) {
        for (const refund of line.refunds) {
          if (!refund.refundId) continue;
          if (repo.upsertRefund({ orderId: order.orderId, orderLineId: line.orderLineId, sku: line.sku, taxMode, currency: order.currency, refund }, at))
            added.push({ orderId: order.orderId, orderLineId: line.orderLineId, refund });
        }
      }
    }
  });
  return added;
}
