import type { LineRefund, MarketplaceOrder, MarketplaceReturn } from '../../connectors/ports/marketplace';
import { returnRef } from '../../ledger/bindings';
import { count, event, raise, type ReturnsEnv } from './env';
import { stageFromMarketplace, type ReturnsRepository } from './repository';
import { inSentence } from '../../../../shared/domain/text';

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
    for (const [i, r] of result.items.entries()) {
      if (!r.id) {
        const hint = r.rma ? `RMA ${inSentence(r.rma)}` : r.orderId ? `order ${inSentence(r.orderId)}` : `record ${i + 1} of page ${page + 1}`;
        raise(
          env,
          { type: 'return-listing', key: hint },
          r.orderId,
          'return-unreadable',
          `The marketplace's returns list held a return without an id (${hint}); nothing was done with it`,
          JSON.stringify(r.raw).slice(0, 4000),
        );
        count(env, 'returnsUnreadable');
        continue;
      }
      const { created, before, after } = repo.upsertReturn(r, env.now());
      checkShape(env, r, after.stage);
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

/**
 * A return the console cannot act on as sent: in a state it does not know (nothing is sent for it; a new one waits as
 * blocked), or with lines it cannot read. Said once the marketplace shows it so; settled once it shows it readable.
 */
function checkShape(env: ReturnsEnv, r: MarketplaceReturn, stage: string): void {
  const ref = returnRef(r.id);
  if (r.state === 'unknown') {
    raise(
      env,
      ref,
      r.orderId,
      'return-state-unknown',
      `The marketplace reports return ${r.rma ?? r.id} in the state '${r.stateCode ?? '(none)'}', which the console does not know: nothing is sent for it`,
      r.stateCode,
    );
  } else {
    // Blocked only for its state: once the state is known the return takes the stage it gives.
    const known = stageFromMarketplace(r.state);
    const waiting = stage === 'blocked' && env.ctx.ledger.exceptions.live('returns').some((e) => e.type === 'return-state-unknown' && e.record.key === r.id);
    env.ctx.resolve('return-state-unknown', ref);
    if (waiting && known) env.repo.setReturnStage(r.id, known, env.now());
  }
  const odd = [
    ...r.lines.filter((l) => !l.orderLineId).map(() => 'a line without an order line id'),
    ...r.lines.filter((l) => l.orderLineId && l.quantity !== null && l.quantity <= 0).map((l) => `line ${l.orderLineId} with the quantity ${l.quantity}`),
    ...(r.unreadable ?? []),
  ];
  if (odd.length)
    raise(
      env,
      ref,
      r.orderId,
      'return-invalid',
      `Return ${r.rma ?? r.id} has ${odd.join(', ')}: goods on it are not booked back`,
      JSON.stringify(r.raw).slice(0, 4000),
    );
  else env.ctx.resolve('return-invalid', ref);
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
          // One that cannot be credited as sent is the orders flow's exception (refund-unreadable), never a Credit Memo of 0.
          if (!refund.refundId || refund.unreadable?.length || refund.state === 'unknown') continue;
          if (repo.upsertRefund({ orderId: order.orderId, orderLineId: line.orderLineId, sku: line.sku, taxMode, currency: order.currency, refund }, at))
            added.push({ orderId: order.orderId, orderLineId: line.orderLineId, refund });
        }
      }
    }
  });
  return added;
}
