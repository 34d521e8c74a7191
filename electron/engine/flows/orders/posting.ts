import Decimal from 'decimal.js';
import { isSapError, type SapDocument } from '../../connectors/sap-b1';
import type { MarketplaceOrder } from '../../connectors/marketplace';
import { buildSalesOrder, postableLines, type ResolvedLine, type ResolvedShipping, type SalesOrderPlan } from './draft';
import { count, raiseOnOrder, resolveOrder, sellable, type OrdersEnv } from './env';
import { classifySapRefusal, OrderProblem } from './exceptions';
import { resolveVatGroup, taxKeyOf } from './mapping';
import { findSalesOrder } from './sap-lookup';
import type { OrderRow } from './repository';
import { DEBITED_STATES } from './intake';

export const CREATE_OPERATION = 'create-sales-order';

/** SAP's output VAT groups, read once per run. */
async function vatGroups(env: OrdersEnv) {
  const cache = env as OrdersEnv & { vatGroupsCache?: Promise<{ Code: string; rate: Decimal }[]> };
  cache.vatGroupsCache ??= env.sap.outputVatGroups();
  return cache.vatGroupsCache;
}

async function resolveVat(env: OrdersEnv, orderId: string, taxes: MarketplaceOrder['lines'][number]['taxes'], what: string): Promise<{ vatGroup: string; rate: Decimal }> {
  const key = taxKeyOf(taxes) ?? { code: null, rate: '0' };
  if (key === 'several') throw new OrderProblem('vat-mapping-missing', `${orderId}: ${what} carries several taxes; one SAP VAT group cannot hold them`, JSON.stringify(taxes));
  const groups = await vatGroups(env);
  const found = resolveVatGroup(key, env.repo.vatMappings(), groups);
  if (!found) throw new OrderProblem('vat-mapping-missing', `${orderId}: no SAP VAT group for tax ${key.code ?? '(no code)'} at ${key.rate ?? '?'} % on ${what}`, JSON.stringify(key));
  if (found.derived) env.repo.mapVat({ taxCode: key.code, rate: key.rate, vatGroup: found.vatGroup, source: 'derived', by: 'engine' }, env.now());
  const group = groups.find((g) => g.Code === found.vatGroup);
  if (!group) throw new OrderProblem('vat-mapping-missing', `${orderId}: the VAT mapping names group ${found.vatGroup}, which SAP does not have as an output group`, null);
  return { vatGroup: group.Code, rate: group.rate };
}

/** Resolves every line (item, VAT group) and builds the Sales Order; a problem becomes an OrderProblem for a person. */
export async function planSalesOrder(env: OrdersEnv, order: MarketplaceOrder): Promise<SalesOrderPlan> {
  const { settings } = env;
  const tracked = new Set(settings.trackedSkus);
  const lines: ResolvedLine[] = [];
  for (const line of postableLines(order)) {
    if (!line.sku) throw new OrderProblem('sku-unknown', `${order.orderId}: line ${line.orderLineId} has no SKU`, null);
    const itemCode = env.repo.itemCodeFor(line.sku);
    const found = await env.items.get(itemCode);
    if ('missing' in found) throw new OrderProblem('sku-unknown', `${order.orderId}: SKU ${line.sku} has no item in SAP (looked for ItemCode ${itemCode})`, found.missing);
    const item = found.item;
    if (!sellable(item)) throw new OrderProblem('item-frozen', `${order.orderId}: item ${itemCode} is inactive or frozen in SAP`, `Valid=${item.Valid} Frozen=${item.Frozen}`);
    if (tracked.has(line.sku) && item.ManageBatchNumbers !== 'tYES' && item.ManageSerialNumbers !== 'tYES') {
      throw new OrderProblem('item-tracking-mismatch', `${order.orderId}: ${line.sku} is batch/serial-tracked but SAP item ${itemCode} manages neither`, `ManageBatchNumbers=${item.ManageBatchNumbers} ManageSerialNumbers=${item.ManageSerialNumbers}`);
    }
    const vat = await resolveVat(env, order.orderId, line.taxes, `line ${line.orderLineId}`);
    lines.push({ line, itemCode, vatGroup: vat.vatGroup, rate: vat.rate });
  }
  let shipping: ResolvedShipping | null = null;
  const shipped = lines.find((l) => l.line.shippingPrice?.gt(0));
  if (shipped && settings.shipping.as !== 'none') shipping = await resolveVat(env, order.orderId, shipped.line.shippingTaxes, 'shipping');
  const plan = buildSalesOrder(order, lines, shipping, settings);
  if (plan.rounding.abs().gt(settings.maxRounding)) {
    throw new OrderProblem('totals-differ', `${order.orderId}: SAP would total ${plan.sapTotal.toFixed(2)}, the marketplace ${plan.marketplaceTotal.toFixed(2)}`, null);
  }
  return plan;
}

function recordPosted(env: OrdersEnv, row: OrderRow, doc: SapDocument, rounding: Decimal, how: string): void {
  env.repo.markPosted(row.orderId, { docEntry: doc.DocEntry, docNum: doc.DocNum, sapTotal: doc.DocTotal, rounding }, env.now());
  env.repo.event(row.orderId, 'sap', `${how}: Sales Order ${doc.DocNum} (DocEntry ${doc.DocEntry}), total ${doc.DocTotal.toFixed(2)}${rounding.isZero() ? '' : `, rounding ${rounding.toFixed(2)}`}`, env.now(), { docEntry: doc.DocEntry, docNum: doc.DocNum });
  resolveOrder(env, row.orderId);
}

/** SAP still runs a create sent by an engine that died; its outcome is only looked up once SAP's timeout has passed. */
export function youngIntent(env: OrdersEnv, orderId: string): boolean {
  const timeoutMs = (env.ctx.settings.sap?.timeoutSeconds ?? 30) * 1000 + 5_000;
  return env.ctx.ledger.intents
    .forRecord('sap-b1', CREATE_OPERATION, orderId)
    .some((i) => i.outcome === null && env.now().getTime() - Date.parse(i.createdAt) < timeoutMs);
}

/**
 * Posts one order exactly once: look SAP up first (an earlier run, a lost answer or another console may have
 * created it), then record the intent and create with a lookup that resolves a lost answer before any resend.
 */
export async function postOrder(env: OrdersEnv, row: OrderRow): Promise<void> {
  const order = env.repo.order(row.orderId)!;
  const { settings } = env;
  try {
    const existing = await findSalesOrder(env.sap, settings, row.orderId, row.numAtCard);
    if (existing) {
      recordPosted(env, row, existing, existing.raw.RoundingDiffAmount ? new Decimal(String(existing.raw.RoundingDiffAmount)) : new Decimal(0), 'Found in SAP');
      for (const i of env.ctx.ledger.intents.forRecord('sap-b1', CREATE_OPERATION, row.orderId)) {
        if (i.outcome === null) env.ctx.ledger.intents.close(i.id, 'found-existing', env.now(), { externalRef: String(existing.DocEntry) });
      }
      count(env, 'recovered');
      return;
    }
    const plan = await planSalesOrder(env, order);
    // Never start a create the lease might not cover until SAP has answered.
    const marginMs = ((env.ctx.settings.sap?.timeoutSeconds ?? 30) + 5) * 1000;
    if (env.lease && !env.lease.holds(marginMs)) {
      count(env, 'deferred');
      return;
    }
    env.repo.setStage(row.orderId, 'posting', env.now());
    const written = await env.ctx.write({ system: 'sap-b1', operation: CREATE_OPERATION, recordKey: row.orderId, payload: plan.draft }, async () => {
      const created = await env.sap.orders.create(plan.draft, () => findSalesOrder(env.sap, settings, row.orderId, row.numAtCard));
      return { result: created, externalRef: String(created.document.DocEntry) };
    });
    if (!written.sent) {
      env.repo.setStage(row.orderId, 'ready', env.now());
      count(env, 'dryRun');
      return;
    }
    recordPosted(env, row, written.result.document, plan.rounding, written.result.recovered ? 'Created (answer lost, found by lookup)' : 'Created');
    count(env, 'posted');
  } catch (e) {
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

/** The orders to post now: debited, not posted, not waiting for a person unless one asked to retry. */
export function dueForPosting(env: OrdersEnv): OrderRow[] {
  return env.repo
    // 'accepted' too: a run cut short may have stored the debit without moving the stage.
    .inStages(['accepted', 'ready', 'posting', 'blocked'])
    .filter((r) => r.marketplaceState !== null && DEBITED_STATES.includes(r.marketplaceState))
    .filter((r) => r.stage !== 'blocked' || env.retrying.has(r.orderId))
    .filter((r) => !youngIntent(env, r.orderId));
}

/** Posts the due orders a few at a time (SAP's concurrency limit holds across flows). Technical failures are counted, not fatal. */
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
        await postOrder(env, row);
      } catch (e) {
        count(env, 'failed');
        failures.push(`${row.orderId}: ${isSapError(e) ? (e.sapMessage ?? e.message) : e instanceof Error ? e.message : String(e)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(env.settings.postingConcurrency, due.length) }, worker));
  return { failures };
}
