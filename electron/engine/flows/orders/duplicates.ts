import { orderRef } from '../../ledger/bindings';
import type { SalesDocument } from '../../connectors/ports/sap';
import { count, raiseOnOrder, type OrdersEnv } from './env';

/** How often the standing check looks for marketplace orders with more than one Sales Order. */
export const DUPLICATE_CHECK_EVERY_MS = 10 * 60_000;
/** How far back the first check looks (later checks overlap the last one by a day). */
const FIRST_LOOK_BACK_MS = 14 * 24 * 60 * 60_000;
const DAY_MS = 24 * 60 * 60_000;

const delivered = (doc: SalesDocument) => doc.lines.some((l) => l.openQuantity.lt(l.quantity));

/**
 * The standing check behind exactly-once: however a second Sales Order came about (a create SAP committed long
 * after it stopped answering, two consoles, a person keying it in), every marketplace order with more than one
 * live Sales Order raises a critical exception naming both. With `closeDuplicates` on, the younger one is closed
 * in SAP when nothing was delivered from it. Reads only Sales Orders of the marketplace customer created since
 * the last check (less a day), a few fields each.
 */
export async function checkDuplicates(env: OrdersEnv): Promise<void> {
  const { repo, settings, sap } = env;
  const now = env.now().getTime();
  const last = repo.getState('duplicates_checked_at');
  if (last && now - Date.parse(last) < DUPLICATE_CHECK_EVERY_MS) return;
  const since = new Date(
    last ? Date.parse(last) - DAY_MS : Math.max(now - FIRST_LOOK_BACK_MS, settings.ordersFrom ? Date.parse(settings.ordersFrom) - DAY_MS : 0),
  );
  const recent = await sap.salesOrders.createdSince(settings.cardCode, since.toISOString().slice(0, 10));
  const byOrder = new Map<string, number[]>();
  for (const d of recent) {
    if (!d.marketplaceOrderId || d.cancelled) continue;
    byOrder.set(d.marketplaceOrderId, [...(byOrder.get(d.marketplaceOrderId) ?? []), d.docEntry]);
  }
  for (const [orderId, entries] of byOrder) {
    // The Sales Order the ledger knows may be older than the window: it counts too.
    const known = repo.get(orderId)?.docEntry ?? null;
    const candidates = [...new Set(known !== null ? [known, ...entries] : entries)].sort((a, b) => a - b);
    if (candidates.length < 2) continue;
    try {
      await settle(env, orderId, candidates);
    } catch (e) {
      env.ctx.logger.warn('Checking a duplicated Sales Order failed; checked again next time', { orderId, error: e instanceof Error ? e.message : String(e) });
    }
  }
  repo.setState('duplicates_checked_at', new Date(now).toISOString());
}

async function settle(env: OrdersEnv, orderId: string, entries: number[]): Promise<void> {
  const docs = (await Promise.all(entries.map((e) => env.sap.salesOrders.find(e)))).filter((d): d is SalesDocument => !!d && !d.cancelled);
  if (docs.length < 2) return;
  const [kept, ...younger] = docs;
  const names = docs.map((d) => `Sales Order ${d.docNum} (DocEntry ${d.docEntry}, ${d.status}${delivered(d) ? ', delivered from' : ''})`).join(' and ');
  raiseOnOrder(
    env,
    orderId,
    'duplicate-sales-order',
    `${orderId} has ${docs.length} Sales Orders in SAP: ${names}`,
    docs.map((d) => `DocEntry ${d.docEntry} DocNum ${d.docNum} total ${d.total.toFixed(2)}`).join('; '),
  );
  count(env, 'duplicates');
  if (!env.settings.closeDuplicates || (env.lease && !env.lease.holds())) return;
  let closedAll = true;
  for (const doc of younger) {
    if (doc.status !== 'open' || delivered(doc)) {
      closedAll = closedAll && doc.status !== 'open' && !delivered(doc);
      continue;
    }
    const sent = await env.ctx.write(
      { system: 'sap-b1', operation: 'close-duplicate-sales-order', recordKey: orderId, payload: { docEntry: doc.docEntry, kept: kept!.docEntry } },
      async () => ({
        result: await env.sap.salesOrders.close(doc.docEntry),
        externalRef: String(doc.docEntry),
      }),
    );
    if (!sent.sent) {
      closedAll = false;
      continue;
    }
    env.repo.event(
      orderId,
      'sap',
      `Closed Sales Order ${doc.docNum} (DocEntry ${doc.docEntry}): a duplicate of Sales Order ${kept!.docNum}, nothing delivered from it`,
      env.now(),
      { docEntry: doc.docEntry },
    );
    count(env, 'duplicatesClosed');
  }
  const row = env.repo.get(orderId);
  if (row && row.docEntry !== kept!.docEntry) {
    env.repo.repointSalesOrder(orderId, { docEntry: kept!.docEntry, docNum: kept!.docNum, sapTotal: kept!.total }, env.now());
  }
  if (closedAll) env.ctx.resolve('duplicate-sales-order', orderRef(orderId));
}
