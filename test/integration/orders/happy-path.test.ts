import Decimal from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../support/ports';
import { startWorld, SKUS, type World } from './world';

describe('orders: marketplace order to SAP Sales Order', () => {
  let world: World;
  const tmp = tempDir();
  beforeAll(async () => (world = await startWorld()));
  afterAll(async () => {
    await world.stop();
    tmp.cleanup();
  });

  it('sets SAP up, accepts, waits for the debit, then posts the Sales Order with every field the issue lists', async () => {
    const engine = world.engine({ ledgerFile: tmp.file('happy.db') });
    const report = await engine.command('orders.preflight', { createFields: true, actor: 'Priya' });
    // SAP adds a marketing-document field to every document at once: the order id is then on Invoices, Credit Memos and
    // Returns too, and the return and refund ids created on Credit Memos are on Returns.
    expect(report.createdFields).toEqual([
      'ORDR.U_JLM_OrderId',
      'RDR1.U_JLM_LineId',
      'ORIN.U_JLM_ReturnId',
      'ORIN.U_JLM_RefundId',
      '@JLM_LEASE',
      '@JLM_LEASE.U_Holder',
      '@JLM_LEASE.U_Until',
    ]);
    expect(report.ok).toBe(true);

    const [created] = world.jl.admin.createOrders({ count: 1, skus: [SKUS[0]!, SKUS[1]!], linesPerOrder: 2, quantities: [2, 1] });
    const [first] = await engine.runOnce();
    expect(first).toMatchObject({ outcome: 'succeeded', counts: expect.objectContaining({ read: 1, accepted: 1 }) });
    expect((world.jl.admin.order(created!.orderId) as { order_state: string }).order_state).toBe('WAITING_DEBIT_PAYMENT');
    expect(world.sap.state.documents.Orders.size).toBe(0); // never before the debit

    world.jl.admin.debitOrders();
    const [second] = await engine.runOnce();
    expect(second!.counts).toMatchObject({ posted: 1 });

    const doc = [...world.sap.state.documents.Orders.values()][0]!;
    const mp = world.jl.admin.order(created!.orderId) as { shipping_deadline: string };
    expect(doc).toMatchObject({ CardCode: 'C-JLM', NumAtCard: created!.commercialId, U_JLM_OrderId: created!.orderId });
    expect(doc.Comments).toContain(created!.orderId);
    expect(doc.AddressExtension).toMatchObject({ ShipToCountry: 'GB', ShipToCity: 'London', ShipToZipCode: 'SW1W 8EL', ShipToStreet: '1 Sloane Square' });
    expect(doc.DocDueDate).toBe(mp.shipping_deadline.slice(0, 10));
    const lines = doc.DocumentLines as Record<string, unknown>[];
    expect(lines.map((l) => [l.ItemCode, l.Quantity, l.VatGroup, l.WarehouseCode, l.U_JLM_LineId])).toEqual([
      [SKUS[0], 2, 'O1', '01', created!.lines[0]!.orderLineId],
      [SKUS[1], 1, 'O1', '01', created!.lines[1]!.orderLineId],
    ]);
    expect(lines[0]!.PriceAfterVAT).toBeCloseTo(19.99, 6);
    // Shipping went as freight; SAP's total plus the controlled rounding is the marketplace's gross total.
    expect(doc.DocumentAdditionalExpenses).toMatchObject([{ ExpenseCode: 1, LineGross: 3.95, VatGroup: 'O1', LineTotal: 3.29, TaxSum: 0.66 }]);
    const detail = await engine.query('orders.get', { orderId: created!.orderId });
    expect(detail!.order).toMatchObject({ stage: 'posted', docNum: doc.DocNum, numAtCard: created!.commercialId });
    // SAP's DocTotal (lines, freight and the controlled rounding, as SAP totals them) is exactly the marketplace's gross total.
    expect(detail!.order.totalPrice).toBe(new Decimal(19.99).times(2).plus(9.99).plus(3.95).toFixed(2));
    expect(new Decimal(String(doc.DocTotal)).toFixed(2)).toBe(detail!.order.totalPrice);
    expect(detail!.order.sapTotal).toBe(detail!.order.totalPrice);
    expect(detail!.events.map((e) => e.source)).toEqual(expect.arrayContaining(['marketplace', 'sap']));

    // Searchable by the customer's number and by the SAP DocNum.
    expect((await engine.query('orders.list', { search: created!.commercialId })).rows.map((r) => r.orderId)).toEqual([created!.orderId]);
    expect((await engine.query('orders.list', { search: String(doc.DocNum) })).rows.map((r) => r.orderId)).toEqual([created!.orderId]);

    // A further run posts nothing again.
    const [third] = await engine.runOnce();
    expect(third!.counts.posted ?? 0).toBe(0);
    expect(world.salesOrdersByOrderId().get(created!.orderId)).toBe(1);
    await engine.stop();
  });
});
