import Decimal from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../electron/engine/engine';
import { tempDir } from '../../support/ports';
import { SKUS, startReturnsWorld, type ReturnsWorld } from './world';

const ORDERS = 500;
const RETURNS = 60;
const PARTIAL_RETURNS = 20;
const REFUNDS_WITHOUT_RETURN = 30;

const d = (v: unknown) => new Decimal(String(v ?? 0));
const sum = (values: Decimal[]) => values.reduce((a, v) => a.plus(v), new Decimal(0));

/**
 * A month of a shop: 500 orders invoiced, 60 returns (20 of them partial) refunded from the console and from the
 * marketplace's back office, 30 refunds without a return (goodwill, shipping). SAP ends with exactly one document per
 * event, totals that tie to the marketplace's to the penny, and exceptions only for the two problems planted.
 */
describe('a month of orders, returns and refunds', () => {
  const tmp = tempDir('returns-month-');
  let world: ReturnsWorld;
  let engine: Engine;
  let orders: Awaited<ReturnType<ReturnsWorld['shippedOrders']>>;
  let frozenOrder: Awaited<ReturnType<ReturnsWorld['shippedOrders']>>[number];

  beforeAll(async () => {
    world = await startReturnsWorld({ offerQuantity: 100_000 });
    for (const sku of SKUS) for (const whs of ['01', '02']) world.sap.setStock(sku, whs, 100_000);
    engine = world.engine({ ledgerFile: tmp.file('ledger.db'), invoicing: { batchSize: 50 } });
    await engine.command('orders.preflight', { createFields: true, actor: 'test' });
    await engine.command('despatch.saveMapping', { sapCarrier: 'Royal Mail', carrierCode: 'ROYAL_MAIL', actor: 'test' });
    orders = await world.shippedOrders(engine, ORDERS, { skus: [SKUS[0]!, SKUS[1]!], quantity: 2 });
    // One more order, of an item that is frozen in SAP after the sale.
    frozenOrder = (await world.shippedOrders(engine, 1, { skus: [SKUS[2]!], quantity: 1 }))[0]!;
  }, 240_000);
  afterAll(async () => {
    await engine?.stop();
    await world?.stop();
    tmp.cleanup();
  });

  it('leaves one SAP document per event, totals tied to the penny, and exceptions only where problems were planted', { timeout: 240_000 }, async () => {
    await world.run(engine, 'invoicing');
    const invoices = world.documents('Invoices');
    expect(invoices).toHaveLength(ORDERS + 1);
    // The order total as the marketplace's OR11 states it (the emulator writes exact decimals into its JSON).
    const marketplaceTotal = (orderId: string) => d((JSON.parse(JSON.stringify(world.jl.admin.order(orderId))) as { total_price: number }).total_price);
    expect(sum(invoices.map((i) => d(i.DocTotal))).toFixed(2)).toBe(sum([...orders, frozenOrder].map((o) => marketplaceTotal(o.orderId))).toFixed(2));

    // Planted problem 1: an invoice line SAP holds at less than the marketplace charged (keyed by hand), then refunded in full.
    const short = orders[ORDERS - 1]!;
    const shortInvoice = world.documents('Invoices', short.orderId)[0]!;
    const shortLine = (shortInvoice.DocumentLines as Record<string, unknown>[])[0]!;
    shortLine.LineTotal = 1;
    shortLine.TaxTotal = 0.2;

    // Returns: customers send back some units; the warehouse books them in; refunds follow.
    const stockBefore = world.inStock(SKUS[0]!, world.returnsWarehouse) + world.inStock(SKUS[1]!, world.returnsWarehouse);
    const returned = orders.slice(0, RETURNS);
    const returnIds: string[] = [];
    for (const [i, o] of returned.entries()) {
      const partial = i < PARTIAL_RETURNS;
      const { returnId } = world.jl.admin.createReturn({
        orderId: o.orderId,
        lines: partial ? [{ orderLineId: o.lines[0]!.orderLineId, quantity: 1 }] : undefined,
      });
      returnIds.push(returnId);
    }
    await world.run(engine, 'returns');
    for (const id of returnIds) world.jl.admin.customerSendsReturn(id);
    expect((await engine.command('returns.markReceived', { returnIds, actor: 'Warehouse' })).accepted).toHaveLength(RETURNS);
    await world.run(engine, 'returns');

    // Half refunded from the console's refund form, half by the marketplace's customer service.
    const [reason] = await engine.query('refunds.reasons', {});
    for (const [i, o] of returned.entries()) {
      const ret = world.jl.admin.returnOf(returnIds[i]!) as { return_lines: { order_line_id: string; quantity: number }[] };
      if (i % 2 === 0) {
        const form = await engine.query('refunds.form', { orderId: o.orderId });
        const lines = ret.return_lines.map((rl) => {
          const l = form.lines.find((x) => x.orderLineId === rl.order_line_id)!;
          return { orderLineId: rl.order_line_id, quantity: rl.quantity, amount: d(l.unitPrice).times(rl.quantity).toFixed(2), shippingAmount: '0.00' };
        });
        expect((await engine.command('refunds.issue', { orderId: o.orderId, lines, reasonCode: reason!.code, actor: 'Finance' })).state).toBe('sent');
      } else world.jl.admin.refundFromBackOffice({ returnId: returnIds[i]! });
    }

    // Refunds without a return: goodwill on part of a line's value, shipping refunded, from the back office.
    const goodwill = orders.slice(RETURNS, RETURNS + REFUNDS_WITHOUT_RETURN);
    for (const [i, o] of goodwill.entries())
      world.jl.admin.refundFromBackOffice({
        orderId: o.orderId,
        lines: [
          i % 3 === 0
            ? { orderLineId: o.lines[0]!.orderLineId, amount: '0.00', shippingAmount: '1.00' }
            : { orderLineId: o.lines[1]!.orderLineId, amount: `${(i % 5) + 1}.25` },
        ],
      });
    // Planted problem 2: a Credit Memo SAP refuses (the item was frozen after the sale).
    world.jl.admin.refundFromBackOffice({ orderId: frozenOrder.orderId, lines: [{ orderLineId: frozenOrder.lines[0]!.orderLineId, amount: '2.00' }] });
    world.sap.state.items.get(SKUS[2]!)!.Frozen = 'tYES';
    world.jl.admin.refundFromBackOffice({ orderId: short.orderId, lines: [{ orderLineId: short.lines[0]!.orderLineId }] });

    // The orders flow reads the back office's refunds with the orders; the returns flow credits every refund.
    await world.run(engine, 'orders');
    for (let i = 0; i < 3; i++) await world.run(engine, 'returns');

    const refunds = (await engine.query('refunds.list', { limit: 500 })).rows;
    // A partial return is one line, a full one two: one refund per line refunded.
    expect(refunds).toHaveLength(PARTIAL_RETURNS + 2 * (RETURNS - PARTIAL_RETURNS) + REFUNDS_WITHOUT_RETURN + 2);

    // One Credit Memo per refund, none twice.
    const memos = world.documents('CreditNotes');
    const perRefund = new Map<string, number>();
    for (const m of memos) perRefund.set(String(m.U_JLM_RefundId), (perRefund.get(String(m.U_JLM_RefundId)) ?? 0) + 1);
    expect([...perRefund.values()].every((n) => n === 1)).toBe(true);
    const credited = refunds.filter((r) => r.stage === 'credited');
    const stuck = refunds.filter((r) => r.stage !== 'credited');
    expect(stuck.map((r) => r.orderId).sort()).toEqual([short.orderId, frozenOrder.orderId].sort());
    expect(memos).toHaveLength(credited.length);

    // Totals to the penny: every Credit Memo is the refund the marketplace made (VAT included: the shop's tax mode).
    for (const r of credited) {
      const memo = memos.find((m) => m.U_JLM_RefundId === r.refundId)!;
      expect(`${r.refundId} ${d(memo.DocTotal).toFixed(2)}`).toBe(`${r.refundId} ${d(r.amount).plus(r.shippingAmount).toFixed(2)}`);
    }
    expect(sum(memos.map((m) => d(m.DocTotal))).toFixed(2)).toBe(sum(credited.map((r) => d(r.amount).plus(r.shippingAmount))).toFixed(2));

    // Goods: every returned unit is back in the returns warehouse; nothing else moved there.
    const returnedUnits = returned.reduce((a, o, i) => a + (i < PARTIAL_RETURNS ? 1 : o.lines.reduce((b, l) => b + l.quantity, 0)), 0);
    const stockAfter = world.inStock(SKUS[0]!, world.returnsWarehouse) + world.inStock(SKUS[1]!, world.returnsWarehouse);
    expect(stockAfter - stockBefore).toBe(returnedUnits);
    const returns = (await engine.query('returns.list', { limit: 500 })).rows;
    expect(returns.filter((r) => r.stage === 'credited')).toHaveLength(RETURNS);

    // Exceptions: only the planted problems, on their own records.
    const live = (await engine.query('exceptions.list', { limit: 500 })).rows.filter((e) => e.state === 'open' || e.state === 'retrying');
    expect(live.map((e) => `${e.flow}:${e.type}:${e.summary.split(':')[0]}`).sort()).toEqual(
      [`returns:credit-memo-refused:${frozenOrder.orderId}`, `returns:refund-exceeds-invoice:${short.orderId}`].sort(),
    );
  });
});
