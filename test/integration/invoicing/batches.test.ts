import Decimal from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../electron/engine/engine';
import { createDocument } from '../../../emulators/sap-b1/documents';
import { tempDir } from '../../support/ports';
import { SKUS, startInvoicingWorld, type InvoicingWorld } from './world';

type Entity = Record<string, unknown>;

/** A run's invoices in batches of the settings' size, each recorded before the next, every total the marketplace's to the penny. */
describe('invoicing: batches and totals', () => {
  const tmp = tempDir('invoicing-batches-');
  let world: InvoicingWorld;
  let engine: Engine;
  beforeAll(async () => {
    world = await startInvoicingWorld();
  });
  afterAll(async () => {
    await engine?.stop();
    await world?.stop();
    tmp.cleanup();
  });

  it('splits 120 delivered orders into batches of 50, 50 and 20, each recorded before the next starts', { timeout: 120_000 }, async () => {
    engine = world.engine({ ledgerFile: tmp.file('ledger.db'), invoicing: { batchSize: 50 } });
    await engine.command('orders.preflight', { createFields: true, actor: 'test' });
    const ids = await world.deliveredOrders(engine, 120);
    expect((await engine.query('invoicing.batches', {})).waiting).toBe(120);

    await engine.command('invoicing.runNow', { actor: 'Finance' });
    await engine.idle();

    const { rows, total, waiting } = await engine.query('invoicing.batches', {});
    expect({ total, waiting }).toEqual({ total: 3, waiting: 0 });
    const oldestFirst = [...rows].reverse();
    expect(oldestFirst.map((b) => [b.documents, b.posted, b.failed])).toEqual([
      [50, 50, 0],
      [50, 50, 0],
      [20, 20, 0],
    ]);
    for (let i = 1; i < oldestFirst.length; i++) expect(oldestFirst[i]!.startedAt >= oldestFirst[i - 1]!.endedAt!).toBe(true);
    // Each batch's total is the sum of its invoices in SAP.
    const invoices = world.invoicesByOrderId();
    expect([...invoices.values()].every((docs) => docs.length === 1)).toBe(true);
    expect(ids.every((id) => invoices.has(id))).toBe(true);
    const sapTotal = [...invoices.values()].reduce((a, [doc]) => a.plus(String(doc!.DocTotal)), new Decimal(0));
    expect(oldestFirst.reduce((a, b) => a.plus(b.total), new Decimal(0)).toFixed(2)).toBe(sapTotal.toFixed(2));
    // The documents of a batch: the order, the customer's number, the Delivery Note, the invoice.
    const first = await engine.query('invoicing.batch', { id: oldestFirst[0]!.id });
    expect(first.documents).toHaveLength(50);
    expect(first.documents[0]).toMatchObject({ orderId: ids[0], customer: 'C-JLM', outcome: 'posted', problem: null });
    expect(first.documents[0]!.deliveryDocNums).toHaveLength(1);

    // Nothing is left: another run now posts nothing.
    await engine.command('invoicing.runNow', { actor: 'Finance' });
    await engine.idle();
    expect((await engine.query('invoicing.batches', {})).total).toBe(3);
    expect([...world.invoicesByOrderId().values()].flat()).toHaveLength(120);
  });

  it('copies every Delivery Note line and totals what the marketplace pays to the penny, shipping as freight', { timeout: 60_000 }, async () => {
    // Prices and quantities whose VAT does not divide evenly (3.33 × 3, 7.77 × 2 …), shipping on the first line of each order.
    const ids = await world.deliveredOrders(engine, 6, { skus: SKUS.slice(2, 7), linesPerOrder: 3, quantities: [1, 2, 3], shippingPrice: '4.99' });
    await engine.command('invoicing.runNow', { actor: 'Finance' });
    await engine.idle();

    const invoices = world.invoicesByOrderId();
    for (const id of ids) {
      const [invoice, ...more] = invoices.get(id) ?? [];
      expect(more).toEqual([]);
      const marketplace = world.marketplaceTotal(id);
      expect(new Decimal(String(invoice!.DocTotal)).toFixed(2), id).toBe(marketplace.toFixed(2));
      const order = (await engine.query('orders.get', { orderId: id }))!.order;
      expect(invoice).toMatchObject({ CardCode: 'C-JLM', NumAtCard: order.numAtCard, U_JLM_OrderId: id });
      // Copied from the Delivery Note, line by line; the shipping as freight at the marketplace's gross.
      const note = [...world.sap.state.documents.DeliveryNotes.values()].find((d) => d.NumAtCard === order.numAtCard)!;
      expect((invoice!.DocumentLines as Entity[]).map((l) => [l.BaseType, l.BaseEntry, l.BaseLine, l.Quantity])).toEqual(
        (note.DocumentLines as Entity[]).map((l) => [15, note.DocEntry, l.LineNum, l.Quantity]),
      );
      expect(note.DocumentStatus).toBe('bost_Close');
      expect((invoice!.DocumentAdditionalExpenses as Entity[]).map((e) => [e.ExpenseCode, e.LineGross])).toEqual([[1, 4.99]]);
      // Bound to the order for the flows after it.
      expect(engine.ledger.bindings.externals({ type: 'order', key: id }, 'sap-b1', 'invoice').map((b) => Number(b.externalId))).toEqual([invoice!.DocEntry]);
    }
    // SAP's own arithmetic (net from gross, rounded per line) is a penny off on some: the rounding makes up the difference.
    expect(ids.filter((id) => invoices.get(id)![0]!.RoundingDiffAmount !== 0).length).toBeGreaterThan(0);
    const batch = (await engine.query('invoicing.batches', { limit: 1 })).rows[0]!;
    const documents = (await engine.query('invoicing.batch', { id: batch.id })).documents;
    expect(documents.map((d) => d.total)).toEqual(documents.map((d) => d.marketplaceTotal));
    const live = await engine.query('exceptions.list', { flow: 'invoicing', state: 'open', limit: 10 });
    expect(live.rows).toEqual([]);
  });

  it('an invoice keyed in SAP for some lines is bound, and the lines it left open are invoiced', { timeout: 60_000 }, async () => {
    const [orderId] = await world.deliveredOrders(engine, 1, { skus: SKUS.slice(0, 2), linesPerOrder: 2, quantities: [2] });
    const numAtCard = (await engine.query('orders.get', { orderId: orderId! }))!.order.numAtCard!;
    const note = [...world.sap.state.documents.DeliveryNotes.values()].find((d) => d.NumAtCard === numAtCard)!;
    // Finance invoiced the first line by hand: the customer's number, no marketplace order id.
    const byHand = createDocument(world.sap.state, 'v2', 'Invoices', {
      CardCode: 'C-JLM',
      NumAtCard: numAtCard,
      DocumentLines: [{ BaseType: 15, BaseEntry: note.DocEntry, BaseLine: 0, Quantity: 2 }],
    });
    await engine.command('invoicing.runNow', { actor: 'Finance' });
    await engine.idle();

    const ours = world.invoicesByOrderId().get(orderId!)!;
    expect(ours).toHaveLength(1);
    expect((ours[0]!.DocumentLines as Entity[]).map((l) => [l.BaseEntry, l.BaseLine, l.Quantity])).toEqual([[note.DocEntry, 1, 2]]);
    // The second line's goods, without the shipping (it came with the first line, invoiced by hand).
    const line = (world.jl.admin.order(orderId!) as { order_lines: { price: unknown }[] }).order_lines[1]!;
    expect(new Decimal(String(ours[0]!.DocTotal)).toFixed(2)).toBe(new Decimal(JSON.stringify(line.price)).toFixed(2));
    expect(ours[0]!.DocumentAdditionalExpenses).toBeUndefined();
    expect(engine.ledger.bindings.externals({ type: 'order', key: orderId! }, 'sap-b1', 'invoice').map((b) => Number(b.externalId))).toEqual([
      byHand.DocEntry,
      ours[0]!.DocEntry,
    ]);
    expect((await engine.query('invoicing.batches', {})).waiting).toBe(0);
  });
});
