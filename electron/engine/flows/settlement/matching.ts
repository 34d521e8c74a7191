import Decimal from 'decimal.js';
import { isSapFailure, type SalesDocument } from '../../connectors/ports/sap';
import { orderRef } from '../../ledger/bindings';
import { count, raise, type SettlementEnv } from './env';
import { groupOf, isNet } from './lines';
import type { GroupLine, LineMatch } from './repository';

/** Orders a lookup asks SAP about together (the connector sends 20 ids a request). */
export const ORDERS_PER_CHUNK = 100;

const ZERO = new Decimal(0);
const sum = (values: Decimal[]) => values.reduce((a, v) => a.plus(v), ZERO);

/** A whole sale (an order's lines in the cycle) or a whole refund: compared with SAP at once. */
interface Group {
  kind: 'sale' | 'refund';
  orderId: string;
  commercialId: string | null;
  refundId: string | null;
  lines: GroupLine[];
}

function groupsOf(lines: readonly GroupLine[]): Group[] {
  const groups = new Map<string, Group>();
  for (const l of lines) {
    const kind = groupOf(l.kind)!;
    const key = kind === 'sale' ? `s:${l.orderId}` : `r:${l.orderId}:${l.refundId ?? ''}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { kind, orderId: l.orderId, commercialId: l.commercialId, refundId: kind === 'refund' ? l.refundId : null, lines: [] }));
    g.commercialId ??= l.commercialId;
    g.lines.push(l);
  }
  return [...groups.values()];
}

/** The net and VAT of documents, as SAP totals them (the total less its VAT; freight and rounding are in the net). */
const sapNet = (docs: readonly SalesDocument[]) => sum(docs.map((d) => d.total.minus(d.vatTotal)));
const sapVat = (docs: readonly SalesDocument[]) => sum(docs.map((d) => d.vatTotal));

/**
 * A group against the SAP documents that should pay it: for a sale its A/R Invoices, for a refund its Credit Memo
 * (amounts credited: the refund lines' signs turned). The difference is SAP minus the marketplace, net and VAT apart,
 * shown on the group's lead line (its goods line, else its first). Equal → matched. The same money split otherwise
 * between net and VAT, by no more than the largest rounding (SAP works out VAT per line from net prices, the
 * marketplace net from gross: a penny moves between them) → matched too, the split shown (decision 0602); anything
 * else → amount differs. Where the marketplace states no VAT of its own for the sale (a dropship shop: the VAT comes
 * as the marketplace's purchase VAT, a fee line), only the net is compared.
 */
export function compare(group: Group, docs: readonly SalesDocument[], compareVat: boolean, maxRounding: Decimal = ZERO): LineMatch[] {
  const sign = group.kind === 'refund' ? -1 : 1;
  const netLines = group.lines.filter((l) => isNet(l.kind));
  const vatLines = group.lines.filter((l) => !isNet(l.kind));
  const mkNet = sum(netLines.map((l) => l.amount)).times(sign);
  const mkVat = sum(vatLines.map((l) => l.amount)).times(sign);
  const first = docs[0];
  const sap = first ? { kind: group.kind === 'sale' ? ('invoice' as const) : ('credit-memo' as const), docEntry: first.docEntry, docNum: first.docNum } : null;
  if (!first) return group.lines.map((l) => ({ lineId: l.lineId, class: 'missing-in-sap', sap: null, difference: null }));
  const diffNet = sapNet(docs).minus(mkNet);
  const diffVat = compareVat || vatLines.length ? sapVat(docs).minus(mkVat) : ZERO;
  if (diffNet.isZero() && diffVat.isZero()) return group.lines.map((l) => ({ lineId: l.lineId, class: 'matched', sap, difference: null }));
  const splitOnly = diffNet.plus(diffVat).isZero() && diffNet.abs().lte(maxRounding);
  const lead = (group.kind === 'sale' ? group.lines.find((l) => l.kind === 'sale') : group.lines.find((l) => l.kind === 'refund')) ?? group.lines[0]!;
  return group.lines.map((l) => ({
    lineId: l.lineId,
    class: splitOnly ? 'matched' : 'amount-differs',
    sap,
    difference: l === lead ? { net: diffNet.toFixed(2), vat: diffVat.toFixed(2) } : null,
  }));
}

const byEntry = (a: SalesDocument, b: SalesDocument) => a.docEntry - b.docEntry;

/**
 * Matches a set of orders' sale and refund lines with SAP: their invoices and credit memos read in a few batched
 * requests (by the order-id field); an order none carries is looked for by the customer's number (NumAtCard, a
 * document keyed by hand), within the run's allowance for such single lookups; a refund whose Credit Memo carries no
 * refund id is its order's only one of each. Cancelled documents pay nothing.
 */
async function matchLines(env: SettlementEnv, lines: readonly GroupLine[]): Promise<LineMatch[]> {
  const groups = groupsOf(lines);
  const saleOrders = [...new Set(groups.filter((g) => g.kind === 'sale').map((g) => g.orderId))];
  const refundOrders = [...new Set(groups.filter((g) => g.kind === 'refund').map((g) => g.orderId))];
  const [invoices, memos] = await Promise.all([
    saleOrders.length ? env.sap.invoices.forMarketplaceOrders(saleOrders) : Promise.resolve([]),
    refundOrders.length ? env.sap.creditMemos.forMarketplaceOrders(refundOrders) : Promise.resolve([]),
  ]);
  count(env, 'sapLookups', (saleOrders.length ? 1 : 0) + (refundOrders.length ? 1 : 0));
  const live = (d: SalesDocument) => !d.cancelled;
  const invoicesOf = new Map<string, SalesDocument[]>();
  for (const d of invoices.filter(live)) if (d.marketplaceOrderId) invoicesOf.set(d.marketplaceOrderId, [...(invoicesOf.get(d.marketplaceOrderId) ?? []), d]);
  const memosOf = new Map<string, SalesDocument[]>();
  for (const d of memos.filter(live)) if (d.marketplaceOrderId) memosOf.set(d.marketplaceOrderId, [...(memosOf.get(d.marketplaceOrderId) ?? []), d]);

  const byNumAtCard = async (kind: 'invoices' | 'creditMemos', g: Group): Promise<SalesDocument[]> => {
    if (!g.commercialId || env.singleLookupsLeft <= 0) return [];
    env.singleLookupsLeft--;
    count(env, 'sapLookupsByNumAtCard');
    const found = await env.sap[kind].forMarketplaceOrder({ marketplaceOrderId: g.orderId, customerReference: g.commercialId, customer: env.customer });
    return found.filter(live).sort(byEntry);
  };

  const out: LineMatch[] = [];
  const refundsOfOrder = new Map<string, Group[]>();
  for (const g of groups) if (g.kind === 'refund') refundsOfOrder.set(g.orderId, [...(refundsOfOrder.get(g.orderId) ?? []), g]);
  for (const g of groups) {
    let docs: SalesDocument[];
    if (g.kind === 'sale') {
      docs = (invoicesOf.get(g.orderId) ?? []).sort(byEntry);
      if (!docs.length) docs = await byNumAtCard('invoices', g);
    } else {
      const ofOrder = memosOf.get(g.orderId) ?? [];
      docs = ofOrder.filter((d) => d.marketplaceRefundId !== null && d.marketplaceRefundId === g.refundId);
      if (!docs.length && g.refundId === null) docs = ofOrder.filter((d) => d.marketplaceRefundId === null);
      if (!docs.length && refundsOfOrder.get(g.orderId)!.length === 1) {
        // Keyed by hand without the refund id: the order's only refund here is its only such Credit Memo.
        let keyed = ofOrder.filter((d) => d.marketplaceRefundId === null);
        if (!keyed.length && !ofOrder.length) keyed = (await byNumAtCard('creditMemos', g)).filter((d) => d.marketplaceRefundId === null);
        if (keyed.length === 1) docs = keyed;
      }
    }
    out.push(...compare(g, docs, env.compareVat, env.maxRounding));
  }
  return out;
}

const sapWords = (e: unknown) => {
  const { sapMessage } = (e ?? {}) as { sapMessage?: unknown };
  return typeof sapMessage === 'string' ? sapMessage : e instanceof Error ? e.message : String(e);
};

/**
 * Checks the cycle's orders and refunds still to check against SAP, a chunk of orders at a time (a few chunks at
 * once, leaving SAP room for the people working in it), each chunk saved as it is done. A chunk SAP refuses is
 * asked again order by order, so one bad order never stops the rest: its lines stay unchecked, with an exception
 * on the order in SAP's words. SAP unreachable: the rest waits for the next run. Returns whether every order was asked.
 */
export async function matchCycle(env: SettlementEnv, cycleId: string): Promise<{ complete: boolean; unreachable: boolean }> {
  env.repo.markOrphans(cycleId);
  let after = '';
  let unreachable = false;
  let failed = false;
  const next = (): string[] | null => {
    if (unreachable) return null;
    const ids = env.repo.ordersToCheck(cycleId, after, ORDERS_PER_CHUNK);
    if (!ids.length) return null;
    after = ids[ids.length - 1]!;
    return ids;
  };

  const matchOrders = async (ids: readonly string[]): Promise<void> => {
    const lines = env.repo.groupLines(cycleId, ids);
    try {
      const matches = await matchLines(env, lines);
      env.repo.saveMatches(matches);
      count(env, 'linesChecked', matches.length);
      for (const id of ids) env.ctx.resolve('sap-lookup-failed', orderRef(id));
    } catch (e) {
      if (isSapFailure(e) && e.unreachable) {
        unreachable = true;
        return;
      }
      if (ids.length > 1) {
        for (const id of ids) if (!unreachable) await matchOrders([id]);
        return;
      }
      failed = true;
      count(env, 'ordersNotChecked');
      raise(
        env,
        orderRef(ids[0]!),
        'sap-lookup-failed',
        `SAP did not answer the lookup of order ${ids[0]}'s invoices and credit memos: its payout lines stay unchecked (retried at the next run)`,
        sapWords(e),
      );
    }
  };

  const worker = async () => {
    for (let ids = next(); ids; ids = next()) await matchOrders(ids);
  };
  await Promise.all(Array.from({ length: env.parallelChunks }, worker));
  return { complete: !unreachable && !failed, unreachable };
}
