import { isMarketplaceFailure, type LineDecision, type MarketplaceOrder } from '../../connectors/ports/marketplace';
import type { AcceptancePolicy } from '../../../../shared/domain/orders';
import { count, raiseOnOrder, resolveOrder, sellable, type OrdersEnv } from './env';
import { orderRef } from '../../ledger/bindings';
import type { OrderRow } from './repository';

export const ACCEPT_JOB = 'accept-order';

export type LineCheck = 'ok' | 'unmapped' | 'unsellable' | 'short' | 'unknown-stock';

export type AcceptanceDecision = { kind: 'decide'; decisions: LineDecision[]; reason: string } | { kind: 'hold'; reason: string };

const TWO_HOURS = 2 * 60 * 60_000;

/**
 * The acceptance rule, pure: accept when every line is sellable and covered; otherwise the policy says what
 * to do. Unknown stock (the stock flow has no figure yet) is not proof of a shortage: only a person holds it.
 */
export function decideAcceptance(lines: { orderLineId: string; check: LineCheck }[], policy: AcceptancePolicy, autoAccept: boolean): AcceptanceDecision {
  const problems = lines.filter((l) => l.check !== 'ok');
  const all = (accepted: boolean) => lines.map((l) => ({ orderLineId: l.orderLineId, accepted }));
  const describe = problems.map((l) => `${l.orderLineId}: ${l.check}`).join(', ');
  if (!autoAccept) return { kind: 'hold', reason: 'automatic acceptance is off' };
  if (problems.length === 0) return { kind: 'decide', decisions: all(true), reason: 'every line sellable and in stock' };
  if (policy === 'accept-all') return { kind: 'decide', decisions: all(true), reason: `accepted by policy despite ${describe}` };
  if (policy === 'refuse-short-lines') {
    const refuse = (c: LineCheck) => c === 'short' || c === 'unmapped' || c === 'unsellable';
    return { kind: 'decide', decisions: lines.map((l) => ({ orderLineId: l.orderLineId, accepted: !refuse(l.check) })), reason: `refused ${describe}` };
  }
  return { kind: 'hold', reason: describe };
}

/** Checks each line of an order: SKU mapped to a sellable SAP item, availability covering the order's quantity of it. */
async function checkLines(env: OrdersEnv, order: MarketplaceOrder): Promise<{ orderLineId: string; check: LineCheck }[]> {
  const wanted = new Map<string, number>();
  for (const l of order.lines) if (l.sku) wanted.set(l.sku, (wanted.get(l.sku) ?? 0) + (l.quantity ?? 0));
  const out: { orderLineId: string; check: LineCheck }[] = [];
  for (const l of order.lines) {
    if (!l.sku) {
      out.push({ orderLineId: l.orderLineId, check: 'unmapped' });
      continue;
    }
    const found = await env.items.get(env.repo.itemCodeFor(l.sku));
    if ('missing' in found) out.push({ orderLineId: l.orderLineId, check: 'unmapped' });
    else if (!sellable(found.item)) out.push({ orderLineId: l.orderLineId, check: 'unsellable' });
    else {
      const available = env.availability?.availableFor(l.sku, order.orderId) ?? null;
      out.push({ orderLineId: l.orderLineId, check: available === null ? 'unknown-stock' : available >= (wanted.get(l.sku) ?? 0) ? 'ok' : 'short' });
    }
  }
  return out;
}

/**
 * Orders waiting for acceptance: decided by rule or by a person (the decision recorded on the order), sent
 * with OR21 through the outbox. A held order raises an exception with the marketplace's deadline, and a
 * critical one when less than two hours remain. `only`: just these orders (a page as it arrives); `except`: all
 * but these (those a page already went through this run). Returns the orders it went through.
 */
export async function accept(env: OrdersEnv, select: { only?: ReadonlySet<string>; except?: ReadonlySet<string> } = {}): Promise<string[]> {
  const rows = select.only
    ? [...select.only].map((id) => env.repo.get(id)).filter((r): r is OrderRow => !!r && (r.stage === 'awaiting-acceptance' || r.stage === 'held'))
    : env.repo.inStages(['awaiting-acceptance', 'held']).filter((r) => !select.except?.has(r.orderId));
  const done: string[] = [];
  for (const row of rows) {
    if (row.marketplaceState !== 'awaiting-acceptance') continue;
    done.push(row.orderId);
    // One order the marketplace or SAP will not take this time never holds up the others: the job queue retries it
    // (within a quarter of an hour at most: the marketplace refuses it by itself at its deadline).
    const attempt = await env.ctx.attempt(
      { kind: ACCEPT_JOB, record: orderRef(row.orderId), what: `send the acceptance of ${row.orderId}`, policy: { maxDelayMs: 15 * 60_000 } },
      () => acceptOne(env, row),
    );
    if (!attempt.ran) count(env, attempt.why === 'backing-off' ? 'acceptBackingOff' : attempt.why === 'gave-up' ? 'acceptGaveUp' : 'acceptNotTried');
    else if (!attempt.ok) count(env, 'acceptFailed');
  }
  return done;
}

async function acceptOne(env: OrdersEnv, row: OrderRow): Promise<void> {
  const { repo, settings } = env;
  const order = repo.order(row.orderId)!;
  const deadline = row.acceptanceDeadline ? new Date(row.acceptanceDeadline) : null;
  let decision: AcceptanceDecision;
  if (row.decision) {
    decision = {
      kind: 'decide',
      decisions: order.lines.map((l) => ({ orderLineId: l.orderLineId, accepted: row.decision === 'accept' })),
      reason: `decided by a person: ${row.decision}`,
    };
  } else if (row.stage === 'held' && !env.retrying.has(row.orderId)) {
    if (deadline && deadline.getTime() - env.now().getTime() < TWO_HOURS) {
      raiseOnOrder(
        env,
        row.orderId,
        'acceptance-deadline-near',
        `${row.orderId} is refused automatically at ${deadline.toISOString()} unless someone decides`,
        null,
        deadline,
      );
    }
    return;
  } else {
    decision = decideAcceptance(await checkLines(env, order), settings.acceptancePolicy, settings.autoAccept);
  }
  if (decision.kind === 'hold') {
    repo.setStage(row.orderId, 'held', env.now());
    raiseOnOrder(
      env,
      row.orderId,
      'acceptance-needed',
      `${row.orderId} needs a decision before ${deadline?.toISOString() ?? 'its deadline'}: ${decision.reason}`,
      null,
      deadline,
    );
    count(env, 'held');
    return;
  }
  try {
    const sent = await env.ctx.write({ system: 'marketplace', operation: 'OR21', recordKey: row.orderId, payload: decision.decisions }, async () => ({
      result: await env.marketplace.orders.accept(row.orderId, decision.decisions),
    }));
    if (!sent.sent) {
      count(env, 'dryRun');
      return;
    }
  } catch (e) {
    // Accepted or refused meanwhile (another console, a person in the back office, the deadline): the list shows a
    // refusal; an acceptance (which the list does not ask for) is read by id once the order has gone unseen a while.
    if (!isMarketplaceFailure(e) || !e.refused) throw e;
    repo.event(row.orderId, 'marketplace', `The marketplace refused the acceptance: ${e.message}`, env.now());
    // Said once, for a person: the order stays to be read again, and moves on by itself if it was decided elsewhere.
    raiseOnOrder(env, row.orderId, 'acceptance-refused', `The marketplace refused the acceptance of ${row.orderId}: ${e.message}`, e.rawBody, deadline);
    count(env, 'acceptanceRefused');
    return;
  }
  const accepted = decision.decisions.filter((d) => d.accepted).length;
  repo.transaction(() => {
    repo.setStage(row.orderId, accepted ? 'accepted' : 'closed', env.now());
    repo.setDecision(row.orderId, null, env.now());
    repo.event(
      row.orderId,
      'marketplace',
      accepted ? `Accepted ${accepted} of ${decision.decisions.length} line(s) (${decision.reason})` : `Refused (${decision.reason})`,
      env.now(),
    );
  });
  resolveOrder(env, row.orderId);
  count(env, accepted ? 'accepted' : 'refused');
}
