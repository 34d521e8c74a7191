import Database from 'better-sqlite3';
import type { ChaosWorld } from './world';
import { RETURNS_WAREHOUSE, STOCK_BUFFER } from './world';
import { SKUS } from './plan';
import type { TrialOrder } from './people';

/** What must hold once a trial has settled, each checked on its own (docs/decisions/0006-chaos-suite.md). */
export const INVARIANTS = [
  'one-sales-order-per-order',
  'one-despatch-confirmation-per-despatch',
  'one-invoice-per-delivered-order',
  'one-credit-memo-per-refund',
  'returned-goods-booked-once',
  'one-refund-per-console-press',
  'marketplace-stock-follows-sap',
  'no-exception-lost',
  'no-exception-duplicated-or-stale',
  'ledger-intact',
  'full-disk-told-and-resumed',
  'engine-keeps-running',
] as const;
export type Invariant = (typeof INVARIANTS)[number];

export interface Violation {
  invariant: Invariant;
  detail: string;
}

const SHIPPED = ['SHIPPED', 'RECEIVED', 'CLOSED'];
type Entity = Record<string, unknown>;

function countBy(docs: Iterable<Entity>, field: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const d of docs) {
    const key = d[field];
    if (typeof key === 'string' && key) out.set(key, (out.get(key) ?? 0) + 1);
  }
  return out;
}

/**
 * The business invariants, on SAP's and the marketplace's state (the emulators') and the engine's ledger. Each
 * violation names the record, so a replay knows where to look.
 */
export function checkWorld(world: ChaosWorld, orders: readonly TrialOrder[], ledgerFile: string): Violation[] {
  const { sap, jl } = world;
  const out: Violation[] = [];
  const v = (invariant: Invariant, detail: string) => out.push({ invariant, detail });
  const docs = sap.state.documents;
  const salesOrders = countBy(docs.Orders.values(), 'U_JLM_OrderId');
  const invoices = countBy(docs.Invoices.values(), 'U_JLM_OrderId');
  const memos = countBy(docs.CreditNotes.values(), 'U_JLM_RefundId');
  const ours = new Set(orders.map((o) => o.orderId));
  const unsettled = new Set<string>();

  for (const id of salesOrders.keys()) if (!ours.has(id)) v('one-sales-order-per-order', `a Sales Order for ${id}, which no customer ordered`);
  const refundIds = new Set<string>();
  for (const o of orders) {
    const order = jl.state.orders.get(o.orderId)!;
    const wanted = ['REFUSED', 'CANCELED'].includes(order.state) ? 0 : 1;
    const so = salesOrders.get(o.orderId) ?? 0;
    if (so !== wanted) {
      v('one-sales-order-per-order', `${o.orderId} (${order.state}): ${so} Sales Orders, ${wanted} wanted`);
      unsettled.add(o.orderId);
    }
    if (o.plan.despatch) {
      const tracking = order.tracking?.trackingNumber ?? null;
      const shipped = SHIPPED.includes(order.state);
      if (!o.despatched || !shipped || tracking !== o.despatched.trackingNumber || order.tracking?.carrierCode !== 'ROYAL_MAIL') {
        v(
          'one-despatch-confirmation-per-despatch',
          `${o.orderId}: ${o.despatched ? `despatched with ${o.despatched.trackingNumber}` : 'never despatched (no Sales Order to despatch)'}, the marketplace has it ${order.state} with ${tracking ?? 'no tracking'} (${order.tracking?.carrierCode ?? 'no carrier'})`,
        );
        unsettled.add(o.orderId);
      }
      const confirmations = jl.state.calls.filter((c) => c.operation === 'OR24' && c.path.includes(o.orderId) && c.status >= 200 && c.status < 300).length;
      if (confirmations > 1) v('one-despatch-confirmation-per-despatch', `${o.orderId}: confirmed as shipped ${confirmations} times (OR24)`);
    } else if (SHIPPED.includes(order.state))
      v('one-despatch-confirmation-per-despatch', `${o.orderId}: never despatched, yet ${order.state} on the marketplace`);
    const invoiced = invoices.get(o.orderId) ?? 0;
    if (invoiced !== (o.despatched ? 1 : 0)) {
      v('one-invoice-per-delivered-order', `${o.orderId}: ${invoiced} A/R Invoices, ${o.despatched ? 1 : 0} wanted`);
      unsettled.add(o.orderId);
    }
    const refunds = order.lines.flatMap((l) => l.refunds);
    for (const r of refunds) {
      refundIds.add(r.id);
      const n = memos.get(r.id) ?? 0;
      if (n !== 1) {
        v(
          'one-credit-memo-per-refund',
          `${o.orderId}: refund ${r.id} (${r.origin === 'shop' ? 'from the console' : 'by customer service'}) has ${n} Credit Memos`,
        );
        unsettled.add(o.orderId);
      }
    }
    const fromConsole = refunds.filter((r) => r.origin === 'shop').length;
    const consoleWanted = o.consoleRefund === 'sent' ? [1] : o.consoleRefund === 'not-yet' ? [0] : [0, 1];
    if (!consoleWanted.includes(fromConsole)) {
      v(
        'one-refund-per-console-press',
        `${o.orderId}: finance pressed Refund once (${o.consoleRefund}); the marketplace has ${fromConsole} refunds from the console`,
      );
      if (fromConsole === 0) unsettled.add(o.orderId);
    }
    if (o.plan.aftercare === 'return' && o.despatched) {
      const r = o.returnId ? jl.state.returns.get(o.returnId) : undefined;
      if (!r || !['RECEIVED', 'CLOSED'].includes(r.state) || !o.backOfficeRefunded) {
        v(
          'returned-goods-booked-once',
          `${o.orderId}: return ${o.returnId ?? '(not opened)'} is ${r?.state ?? 'missing'}${o.backOfficeRefunded ? '' : ', not paid back'}`,
        );
        unsettled.add(o.orderId);
      }
    }
  }
  for (const id of memos.keys()) if (!refundIds.has(id)) v('one-credit-memo-per-refund', `a Credit Memo for refund ${id}, which no order has`);

  // Returned goods: every unit on a received return is in the returns warehouse exactly once.
  const returnedUnits = new Map<string, number>();
  for (const o of orders) {
    const r = o.returnId ? jl.state.returns.get(o.returnId) : undefined;
    if (!r || !['RECEIVED', 'CLOSED'].includes(r.state)) continue;
    for (const line of r.lines) {
      const sku = jl.state.orders.get(o.orderId)!.lines.find((l) => l.id === line.orderLineId)!.sku;
      returnedUnits.set(sku, (returnedUnits.get(sku) ?? 0) + line.quantity);
    }
  }
  for (const sku of SKUS) {
    const item = sap.state.items.get(sku)!;
    const at = (w: string) => item.ItemWarehouseInfoCollection.find((x) => x.WarehouseCode === w)!;
    const back = at(RETURNS_WAREHOUSE).InStock;
    if (back !== (returnedUnits.get(sku) ?? 0))
      v('returned-goods-booked-once', `${sku}: ${back} units in the returns warehouse, ${returnedUnits.get(sku) ?? 0} returned`);
    const counted = at('01').InStock - at('01').Committed + (at('02').InStock - at('02').Committed);
    const figure = Math.max(0, Math.floor(counted - STOCK_BUFFER));
    const shown = jl.state.offers.get(sku)!.quantity;
    if (shown !== figure) v('marketplace-stock-follows-sap', `${sku}: the marketplace shows ${shown}, SAP's stock makes it ${figure}`);
  }

  const ledger = new Database(ledgerFile, { readonly: true, fileMustExist: true });
  try {
    const live = ledger
      .prepare("SELECT flow, type, record_type AS recordType, record_key AS recordKey, summary FROM exceptions WHERE state IN ('open','retrying')")
      .all() as { flow: string; type: string; recordType: string; recordKey: string; summary: string }[];
    for (const id of unsettled) {
      if (!live.some((e) => e.recordKey === id || e.recordKey.startsWith(`${id}`))) v('no-exception-lost', `${id} is not done and no exception says why`);
    }
    // Everything else is done: an exception still open tells a person of a problem that is no longer there (or twice).
    const seen = new Set<string>();
    for (const e of live) {
      const key = `${e.flow}|${e.type}|${e.recordType}|${e.recordKey}`;
      if (seen.has(key)) v('no-exception-duplicated-or-stale', `${e.flow} ${e.type} on ${e.recordType} ${e.recordKey} is open twice`);
      seen.add(key);
      if (![...unsettled].some((id) => e.recordKey.startsWith(id)))
        v('no-exception-duplicated-or-stale', `${e.flow} ${e.type} on ${e.recordType} ${e.recordKey} is still open, though its work is done: ${e.summary}`);
    }
  } finally {
    ledger.close();
  }
  return out;
}

/** The ledger after the engine has stopped: SQLite's own checks of the file and of every foreign key. */
export function checkLedger(ledgerFile: string): Violation[] {
  const db = new Database(ledgerFile, { readonly: true, fileMustExist: true });
  try {
    const integrity = db.pragma('integrity_check', { simple: false }) as { integrity_check: string }[];
    const keys = db.pragma('foreign_key_check') as unknown[];
    const out: Violation[] = [];
    if (integrity.length !== 1 || integrity[0]!.integrity_check !== 'ok')
      out.push({ invariant: 'ledger-intact', detail: `integrity_check: ${integrity.map((r) => r.integrity_check).join('; ')}` });
    if (keys.length) out.push({ invariant: 'ledger-intact', detail: `foreign_key_check: ${keys.length} rows, e.g. ${JSON.stringify(keys[0])}` });
    return out;
  } finally {
    db.close();
  }
}
