import Decimal from 'decimal.js';
import { isSapFailure, type SalesDocument, type SapItem } from '../../connectors/ports/sap';
import type { MarketplaceOrder } from '../../connectors/ports/marketplace';
import { buildSalesOrder, marketplaceTotalOf, postableLines, type ResolvedLine, type SalesOrderPlan } from './draft';
import { count, raiseOnOrder, resolveOrder, sellable, type OrdersEnv } from './env';
import { classifySapRefusal, OrderProblem } from './exceptions';
import { findSalesOrder } from './sap-lookup';
import { orderRef } from '../../ledger/bindings';
import type { OrderRow } from './repository';
import { DEBITED_STATES } from './intake';
import { unfitLength, unfitValue } from './sap-limits';
import { lineVat, shippingVat, type ResolvedVat } from './vat';
import { chooseWarehouses } from './warehouses';
import { createSettleMs as settleMs } from '../settle-time';
import { inSentence } from '../../../../shared/domain/text';

export const CREATE_OPERATION = 'create-sales-order';
/** The job queue's name for posting one order. */
export const POST_JOB = 'post-sales-order';

/** A Sales Order planned for one order: the SAP document, and the stock its lines take from each warehouse. */
export interface PostingPlan extends SalesOrderPlan {
  commitments: { itemCode: string; warehouse: string; quantity: number }[];
}

/** Resolves every line (item, VAT group, warehouse) and builds the Sales Order; a problem becomes an OrderProblem for a person. */
export async function planSalesOrder(env: OrdersEnv, order: MarketplaceOrder): Promise<PostingPlan> {
  const { settings } = env;
  const unfit = env.limits ? unfitValue(order, env.limits, settings) : null;
  if (unfit) throw new OrderProblem('value-unfit', `${order.orderId}: SAP cannot hold it as sent: ${unfit}`, unfit);
  const grossPrices = (order.taxMode ?? settings.taxMode) !== 'TAX_EXCLUDED';
  const tracked = new Set(settings.trackedSkus);
  const resolved: { line: ResolvedLine['line']; itemCode: string; item: SapItem; vat: ResolvedVat }[] = [];
  for (const line of postableLines(order)) {
    if (!line.sku) throw new OrderProblem('sku-unknown', `${order.orderId}: line ${line.orderLineId} has no SKU`, null);
    const itemCode = env.repo.itemCodeFor(line.sku);
    const found = await env.items.get(itemCode).catch((e: unknown) => {
      throw classifySapRefusal(e, order.orderId, `the read of SAP item ${inSentence(itemCode)}`) ?? e;
    });
    if ('missing' in found)
      throw new OrderProblem(
        'sku-unknown',
        `${order.orderId}: SKU ${inSentence(line.sku)} has no item in SAP (looked for ItemCode ${inSentence(itemCode)})`,
        found.missing,
      );
    const item = found.item;
    if (!sellable(item))
      throw new OrderProblem(
        'item-frozen',
        `${order.orderId}: item ${itemCode} is inactive, frozen or not a sales item in SAP`,
        `active: ${item.active ? 'yes' : 'no'}; sales item: ${item.salesItem ? 'yes' : 'no'}`,
      );
    if (tracked.has(line.sku) && !item.batchManaged && !item.serialManaged) {
      throw new OrderProblem(
        'item-tracking-mismatch',
        `${order.orderId}: ${line.sku} is batch/serial-tracked but SAP item ${itemCode} manages neither`,
        'batch managed: no; serial managed: no',
      );
    }
    resolved.push({ line, itemCode, item, vat: await lineVat(env, order, line, item, grossPrices) });
  }
  const items = new Map(resolved.map((r) => [r.itemCode, r.item]));
  const warehouses = chooseWarehouses(
    resolved.map((r) => ({ itemCode: r.itemCode, quantity: r.line.quantity ?? 0 })),
    (itemCode) =>
      (items.get(itemCode)?.stock ?? []).map((w) => ({ warehouseCode: w.warehouse, inStock: w.inStock.toNumber(), committed: w.committed.toNumber() })),
    settings.warehousePriority,
    settings.warehouseCode,
    (itemCode, warehouse) => env.committed.get(itemCode, warehouse),
  );
  const lines: ResolvedLine[] = resolved.map((r, i) => ({
    line: r.line,
    itemCode: r.itemCode,
    vatGroup: r.vat.vatGroup,
    rate: r.vat.rate,
    warehouseCode: warehouses[i]!,
  }));

  let shipping: ResolvedVat | null = null;
  const shippingAmount = resolved.reduce((a, r) => a.plus(r.line.shippingPrice ?? 0), new Decimal(0));
  if (shippingAmount.gt(0) && settings.shipping.as !== 'none') {
    const shipped = resolved.find((r) => r.line.shippingPrice?.gt(0))!;
    shipping = await shippingVat(
      env,
      order,
      shipped.line.shippingTaxes,
      resolved.map((r) => r.vat),
      shippingAmount,
      grossPrices,
    );
  }
  const plan = buildSalesOrder(order, lines, shipping, settings, env.limits?.company?.priceDecimals ?? 6);
  if (plan.rounding.abs().gt(settings.maxRounding)) {
    throw new OrderProblem(
      'totals-differ',
      `${order.orderId}: SAP would total ${plan.sapTotal.toFixed(2)}, the marketplace ${plan.marketplaceTotal.toFixed(2)}`,
      null,
    );
  }
  return { ...plan, commitments: lines.map((l) => ({ itemCode: l.itemCode, warehouse: l.warehouseCode, quantity: l.line.quantity ?? 0 })) };
}

/**
 * After the Sales Order exists: SAP's document total (its lines, freight and rounding) must be the marketplace's total
 * of what was posted. Any difference is an exception showing both figures.
 */
function checkTotal(env: OrdersEnv, orderId: string, doc: SalesDocument): void {
  const order = env.repo.order(orderId);
  if (!order) return;
  const expected = marketplaceTotalOf(order, env.settings);
  const difference = doc.total.minus(expected.total);
  if (difference.isZero()) {
    env.ctx.resolve('sap-total-differs', orderRef(orderId));
    return;
  }
  const currency = order.currency ?? '';
  raiseOnOrder(
    env,
    orderId,
    'sap-total-differs',
    `Sales Order ${doc.docNum} totals ${doc.total.toFixed(2)} ${currency} in SAP; the marketplace order totals ${expected.total.toFixed(2)} ${currency} (goods ${expected.goods.toFixed(2)}, shipping ${expected.shipping.toFixed(2)}): a difference of ${difference.toFixed(2)}`.replace(
      / {2,}/g,
      ' ',
    ),
    `SAP total ${doc.total.toFixed(2)}, VAT ${doc.vatTotal.toFixed(2)}; marketplace ${expected.total.toFixed(2)}`,
  );
  count(env, 'totalDiffers');
}

function recordPosted(env: OrdersEnv, row: OrderRow, doc: SalesDocument, rounding: Decimal, how: string): void {
  env.repo.markPosted(row.orderId, { docEntry: doc.docEntry, docNum: doc.docNum, sapTotal: doc.total, rounding }, env.now());
  env.repo.event(
    row.orderId,
    'sap',
    `${how}: Sales Order ${doc.docNum} (DocEntry ${doc.docEntry}), total ${doc.total.toFixed(2)}${rounding.isZero() ? '' : `, rounding ${rounding.toFixed(2)}`}`,
    env.now(),
    { docEntry: doc.docEntry, docNum: doc.docNum },
  );
  resolveOrder(env, row.orderId);
  checkTotal(env, row.orderId, doc);
  // Once debited the marketplace shows the address; without one the warehouse cannot send the goods.
  if (!env.repo.order(row.orderId)?.shippingAddress) {
    raiseOnOrder(
      env,
      row.orderId,
      'address-missing',
      `Sales Order ${doc.docNum} was posted with no delivery address: the marketplace sent none for ${row.orderId}`,
      null,
    );
    count(env, 'addressMissing');
  }
}

/** How long an unanswered Sales Order create may still land (see settle-time.ts). */
export const createSettleMs = (env: OrdersEnv): number => settleMs(env.ctx.settings);

/** A create whose outcome is not known yet (sent and unanswered, or sent by an engine that died) and is still settling. */
export function youngIntent(env: OrdersEnv, orderId: string): boolean {
  return env.ctx.ledger.intents.settling('sap-b1', CREATE_OPERATION, orderId, env.now(), createSettleMs(env)) !== undefined;
}

/**
 * Posts one order exactly once: look SAP up first (an earlier run, a lost answer or another console may have
 * created it), then record the intent and create. A create SAP did not answer is left open: it is looked up
 * again only after the settle time, and sent again only if that lookup proves it never landed.
 */
export async function postOrder(env: OrdersEnv, row: OrderRow): Promise<void> {
  const order = env.repo.order(row.orderId)!;
  const { settings } = env;
  let plan: PostingPlan | null = null;
  try {
    // A value SAP cannot hold cannot be in SAP either: said before any lookup, which could not even ask for it.
    const tooLong = env.limits ? unfitLength(order, env.limits, settings) : null;
    if (tooLong) throw new OrderProblem('value-unfit', `${order.orderId}: SAP cannot hold it as sent: ${tooLong}`, tooLong);
    const existing = await findSalesOrder(env.sap, settings, row.orderId, row.numAtCard).catch((e: unknown) => {
      throw classifySapRefusal(e, row.orderId, 'the look-up of an earlier Sales Order for this order') ?? e;
    });
    if (existing) {
      recordPosted(env, row, existing, existing.rounding, 'Found in SAP');
      for (const i of env.ctx.ledger.intents.forRecord('sap-b1', CREATE_OPERATION, row.orderId)) {
        if (i.outcome === null) env.ctx.ledger.intents.close(i.id, 'found-existing', env.now(), { externalRef: String(existing.docEntry) });
      }
      count(env, 'recovered');
      return;
    }
    plan = await planSalesOrder(env, order);
    // Never start a create the lease might not cover until SAP has answered.
    const marginMs = ((env.ctx.settings.sap?.timeoutSeconds ?? 30) + 5) * 1000;
    if (env.lease && !env.lease.holds(marginMs)) {
      count(env, 'deferred');
      return;
    }
    env.committed.add(plan.commitments);
    env.repo.setStage(row.orderId, 'posting', env.now());
    const draft = plan.draft;
    const written = await env.ctx.write({ system: 'sap-b1', operation: CREATE_OPERATION, recordKey: row.orderId, payload: draft }, async () => {
      const created = await env.sap.salesOrders.create(draft, () => findSalesOrder(env.sap, settings, row.orderId, row.numAtCard));
      return { result: created, externalRef: String(created.document.docEntry) };
    });
    if (!written.sent) {
      env.committed.add(plan.commitments, -1);
      env.repo.setStage(row.orderId, 'ready', env.now());
      count(env, 'dryRun');
      return;
    }
    recordPosted(env, row, written.result.document, plan.rounding, written.result.recovered ? 'Created (answer lost, found by lookup)' : 'Created');
    count(env, 'posted');
  } catch (e) {
    if (isSapFailure(e) && e.outcomeUnknown) {
      // SAP may still be working on it: the intent stays open, and nothing is sent until a later lookup settles it.
      const at = new Date(env.now().getTime() + createSettleMs(env));
      env.repo.event(
        row.orderId,
        'sap',
        `SAP did not answer the Sales Order create (${e.sapMessage ?? e.message}); it is looked up again after ${at.toISOString()} and sent again only if it never landed`,
        env.now(),
      );
      raiseOnOrder(
        env,
        row.orderId,
        'create-outcome-unknown',
        `${row.orderId}: SAP did not answer the Sales Order create; nothing is sent again before a lookup after ${at.toISOString()}`,
        e.sapMessage ?? e.message,
      );
      count(env, 'outcomeUnknown');
      return;
    }
    if (plan) env.committed.add(plan.commitments, -1);
    const problem = e instanceof OrderProblem ? e : classifySapRefusal(e, row.orderId);
    if (!problem) {
      // Technical: SAP down, session trouble, timeouts after retries. The order stays to be retried next run.
      env.repo.setStage(row.orderId, 'ready', env.now());
      throw e;
    }
    env.repo.setStage(row.orderId, 'blocked', env.now());
    raiseOnOrder(env, row.orderId, problem.type, problem.summary, problem.rawError);
    count(env, 'blocked');
  }
}

/** The orders to post now: debited, not posted, not waiting for a person unless one asked to retry, no create settling. */
export function dueForPosting(env: OrdersEnv): OrderRow[] {
  return (
    env.repo
      // 'accepted' too: a run cut short may have stored the debit without moving the stage.
      .inStages(['accepted', 'ready', 'posting', 'blocked'])
      .filter((r) => r.marketplaceState !== null && DEBITED_STATES.includes(r.marketplaceState))
      .filter((r) => r.stage !== 'blocked' || env.retrying.has(r.orderId))
      .filter((r) => !youngIntent(env, r.orderId))
  );
}

/**
 * Posts the due orders a few at a time (SAP's concurrency limit holds across flows), each through the job queue: a
 * technical failure is retried after a backoff and given up on after its limit, for a person to replay.
 */
const describe = (e: unknown) => (isSapFailure(e) ? (e.sapMessage ?? e.message) : e instanceof Error ? e.message : String(e));

export async function postDue(env: OrdersEnv): Promise<{ failures: string[] }> {
  const due = dueForPosting(env);
  const failures: string[] = [];
  let next = 0;
  let renewing: Promise<unknown> | null = null;
  const marginMs = ((env.ctx.settings.sap?.timeoutSeconds ?? 30) + 5) * 1000;
  const worker = async () => {
    while (next < due.length) {
      const row = due[next++]!;
      try {
        // Renew well before the margin postOrder insists on, once for all workers.
        if (env.lease && !env.lease.holds(2 * marginMs)) await (renewing ??= env.lease.acquire(2 * marginMs).finally(() => (renewing = null)));
      } catch (e) {
        failures.push(`${row.orderId}: ${describe(e)}`);
        continue;
      }
      const attempt = await env.ctx.attempt({ kind: POST_JOB, record: orderRef(row.orderId), what: `post the Sales Order for ${row.orderId}` }, () =>
        postOrder(env, row),
      );
      if (!attempt.ran) count(env, attempt.why === 'backing-off' ? 'backingOff' : attempt.why === 'gave-up' ? 'gaveUp' : 'notTried');
      else if (!attempt.ok) {
        count(env, 'failed');
        failures.push(`${row.orderId}: ${describe(attempt.error)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(env.settings.postingConcurrency, due.length) }, worker));
  return { failures };
}
