import Decimal from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../electron/engine/engine';
import { tempDir } from '../../support/ports';
import { createPayment } from '../../../emulators/sap-b1/documents';
import { BATCH_SKU, SERIAL_SKU, SKUS, startReturnsWorld, type ReturnsWorld } from './world';

const d = (v: unknown) => new Decimal(String(v));
const lineValue = (l: Record<string, unknown>) => d(l.LineTotal).plus(d(l.TaxTotal));

/** The returns flow against both emulators over HTTP: returns accepted, booked in and credited; refunds credited once. */
describe('returns and refunds into SAP', () => {
  const tmp = tempDir('returns-it-');
  let world: ReturnsWorld;
  let engine: Engine;
  /** When the marketplace next allows a page of returns (null: now). */
  let returnsReadAt: number | null = null;
  /** The marketplace refuses the whole acceptance call with these words (null: it takes it). */
  let acceptRefusedWith: string | null = null;
  /** A refusal as the marketplace connector reports a 400. */
  const refusal = (words: string) =>
    Object.assign(new Error(`RT21 refused: ${words}`), { system: 'marketplace', transient: false, refused: true, unreachable: false, rawBody: words });

  const calls = (operation: string) => world.jl.admin.calls().filter((c) => c.operation === operation);
  const returnOf = async (returnId: string) => (await engine.query('returns.list', { search: returnId })).rows.find((r) => r.returnId === returnId)!;
  const refundsOf = async (orderId: string) => (await engine.query('refunds.list', { search: orderId })).rows;
  const liveExceptions = async (search: string) =>
    (await engine.query('exceptions.list', { flow: 'returns', search, limit: 50 })).rows.filter((e) => e.state === 'open' || e.state === 'retrying');
  const reasons = async () => engine.query('refunds.reasons', {});

  beforeAll(async () => {
    world = await startReturnsWorld();
    // The marketplace as the engine sees it, with the returns allowance under the test's control.
    engine = world.engine({
      ledgerFile: tmp.file('ledger.db'),
      wrapMarketplace: (m) => ({
        ...m,
        returns: {
          ...m.returns,
          nextRead: () => (returnsReadAt ? new Date(returnsReadAt) : new Date(0)),
          accept: (decisions) => (acceptRefusedWith ? Promise.reject(refusal(acceptRefusedWith)) : m.returns.accept(decisions)),
        },
      }),
    });
    await engine.command('orders.preflight', { createFields: true, actor: 'test' });
    await engine.command('despatch.saveMapping', { sapCarrier: 'Royal Mail', carrierCode: 'ROYAL_MAIL', actor: 'test' });
  });
  afterAll(async () => {
    await engine?.stop();
    await world?.stop();
    tmp.cleanup();
  });

  it('a return accepted, booked in by the warehouse and refunded from the console becomes one Credit Memo that takes the goods back', async () => {
    const [order] = await world.shippedOrders(engine, 1, { skus: [SKUS[0]!], quantity: 2 });
    const line = order!.lines[0]!;
    const { returnId } = world.jl.admin.createReturn({ orderId: order!.orderId, lines: [{ orderLineId: line.orderLineId, quantity: 1 }] });

    await world.run(engine, 'returns');
    expect(await returnOf(returnId)).toMatchObject({
      stage: 'awaiting-goods',
      numAtCard: order!.numAtCard,
      lines: [{ orderLineId: line.orderLineId, sku: SKUS[0], quantity: 1 }],
    });
    expect(calls('RT21')).toHaveLength(1);

    expect(await engine.command('returns.markReceived', { returnIds: [returnId, 'NOPE'], actor: 'Sam' })).toEqual({
      accepted: [returnId],
      refused: [{ returnId: 'NOPE', reason: 'No such return' }],
    });
    await world.run(engine, 'returns');
    expect(await returnOf(returnId)).toMatchObject({ stage: 'received' });
    expect(calls('RT25')).toHaveLength(1);

    const form = await engine.query('refunds.form', { orderId: order!.orderId });
    const formLine = form.lines.find((l) => l.orderLineId === line.orderLineId)!;
    const [reason] = await reasons();
    const stockBefore = world.inStock(SKUS[0]!, world.returnsWarehouse);
    const issued = await engine.command('refunds.issue', {
      orderId: order!.orderId,
      lines: [{ orderLineId: line.orderLineId, quantity: 1, amount: formLine.unitPrice, shippingAmount: '0.00' }],
      reasonCode: reason!.code,
      actor: 'Sam',
    });
    expect(issued).toMatchObject({ state: 'sent', error: null });
    expect(issued.refundIds).toHaveLength(1);

    // The order is invoiced first (the refund asks for it), then the Credit Memo follows.
    for (let i = 0; i < 3; i++) await world.run(engine, 'returns');
    const [invoice] = world.documents('Invoices', order!.orderId);
    expect(invoice).toBeDefined();
    const memos = world.documents('CreditNotes', order!.orderId);
    expect(memos).toHaveLength(1);
    const memo = memos[0]!;
    expect(memo).toMatchObject({ NumAtCard: order!.numAtCard, U_JLM_RefundId: issued.refundIds[0], U_JLM_ReturnId: returnId });
    expect(d(memo.DocTotal).toFixed(2)).toBe(d(formLine.unitPrice).toFixed(2));
    const memoLines = memo.DocumentLines as Record<string, unknown>[];
    expect(memoLines).toHaveLength(1);
    expect(memoLines[0]).toMatchObject({ BaseType: 13, BaseEntry: invoice!.DocEntry, Quantity: 1, WarehouseCode: world.returnsWarehouse });
    expect(world.inStock(SKUS[0]!, world.returnsWarehouse)).toBe(stockBefore + 1);

    expect(await returnOf(returnId)).toMatchObject({ stage: 'credited', creditMemoDocNums: [memo.DocNum] });
    expect((await refundsOf(order!.orderId))[0]).toMatchObject({ stage: 'credited', creditMemoDocNum: memo.DocNum, returnId });
    const timeline = (await engine.query('orders.get', { orderId: order!.orderId }))!.events.map((e) => e.summary).join('\n');
    expect(timeline).toMatch(/Sam booked return .* in/);
    expect(timeline).toMatch(new RegExp(`Credit Memo ${String(memo.DocNum)} for refund`));

    // Again: nothing more is sent or created.
    await world.run(engine, 'returns');
    expect(world.documents('CreditNotes', order!.orderId)).toHaveLength(1);
    expect(calls('OR28')).toHaveLength(1);
    expect(calls('RT25')).toHaveLength(1);
  });

  it('a run never waits for the returns allowance: receipts and credits go now, the returns are read at a later run', async () => {
    const [order] = await world.shippedOrders(engine, 1, { skus: [SKUS[3]!], quantity: 1 });
    const { returnId } = world.jl.admin.createReturn({ orderId: order!.orderId });
    await world.run(engine, 'returns');
    await engine.command('returns.markReceived', { returnIds: [returnId], actor: 'Sam' });
    returnsReadAt = Date.now() + 5 * 60_000;
    const reads = calls('RT11').length;
    await world.run(engine, 'returns');
    expect(calls('RT11').length).toBe(reads);
    expect(await returnOf(returnId)).toMatchObject({ stage: 'received' });
    const [run] = await engine.query('runs.list', { flow: 'returns', limit: 1 });
    expect(run!.counts).toMatchObject({ returnsReadLater: 1, receiptsSent: 1 });
    returnsReadAt = null;
    await world.run(engine, 'returns');
    expect(calls('RT11').length).toBe(reads + 1);
  });

  it('an acceptance call the marketplace refuses as a whole blocks those returns with its words, and refunds are still credited', async () => {
    const [order] = await world.shippedOrders(engine, 1, { skus: [SKUS[2]!], quantity: 1 });
    const { returnId } = world.jl.admin.createReturn({ orderId: order!.orderId });
    world.jl.admin.refundFromBackOffice({ orderId: order!.orderId, lines: [{ orderLineId: order!.lines[0]!.orderLineId, amount: '1.00' }] });
    await world.run(engine, 'orders');
    acceptRefusedWith = 'returns[0].rejection_reason_code: must not be null';
    try {
      for (let i = 0; i < 3; i++) await world.run(engine, 'returns');
    } finally {
      acceptRefusedWith = null;
    }
    expect(await returnOf(returnId)).toMatchObject({
      stage: 'blocked',
      problem: { type: 'return-refused-by-marketplace', rawError: 'returns[0].rejection_reason_code: must not be null' },
    });
    expect(await refundsOf(order!.orderId)).toMatchObject([{ stage: 'credited' }]);
  });

  it('a partial refund without a return is money only, for exactly what the marketplace refunded', async () => {
    const [order] = await world.shippedOrders(engine, 1, { skus: [SKUS[1]!], quantity: 1 });
    const line = order!.lines[0]!;
    const [reason] = await reasons();
    const stockBefore = world.inStock(SKUS[1]!, world.returnsWarehouse);
    const issued = await engine.command('refunds.issue', {
      orderId: order!.orderId,
      lines: [{ orderLineId: line.orderLineId, quantity: 0, amount: '2.50', shippingAmount: '0.00' }],
      reasonCode: reason!.code,
      actor: 'Sam',
    });
    expect(issued.state).toBe('sent');
    for (let i = 0; i < 3; i++) await world.run(engine, 'returns');
    const memos = world.documents('CreditNotes', order!.orderId);
    expect(memos).toHaveLength(1);
    expect(d(memos[0]!.DocTotal).toFixed(2)).toBe('2.50');
    expect((memos[0]!.DocumentLines as Record<string, unknown>[])[0]).toMatchObject({ WithoutInventoryMovement: 'tYES' });
    expect(world.inStock(SKUS[1]!, world.returnsWarehouse)).toBe(stockBefore);
  });

  it('batch and serial items come back with the batch and serial the delivery carried', async () => {
    const [order] = await world.shippedOrders(engine, 1, { skus: [BATCH_SKU, SERIAL_SKU], quantity: 1 });
    const delivery = [...world.sap.state.documents.DeliveryNotes.values()].find((dn) => dn.NumAtCard === order!.numAtCard)!;
    const deliveredLines = delivery.DocumentLines as Record<string, unknown>[];
    const batchOut = (deliveredLines.find((l) => l.ItemCode === BATCH_SKU)!.BatchNumbers as Record<string, unknown>[])[0]!.BatchNumberProperty;
    const serialOut = (deliveredLines.find((l) => l.ItemCode === SERIAL_SKU)!.SerialNumbers as Record<string, unknown>[])[0]!.InternalSerialNumber;
    const { returnId } = world.jl.admin.createReturn({ orderId: order!.orderId });
    await world.run(engine, 'returns');
    await engine.command('returns.markReceived', { returnIds: [returnId], actor: 'Sam' });
    await world.run(engine, 'returns');

    const form = await engine.query('refunds.form', { orderId: order!.orderId });
    const [reason] = await reasons();
    await engine.command('refunds.issue', {
      orderId: order!.orderId,
      lines: form.lines.map((l) => ({ orderLineId: l.orderLineId, quantity: 1, amount: l.price, shippingAmount: '0.00' })),
      reasonCode: reason!.code,
      actor: 'Sam',
    });
    for (let i = 0; i < 3; i++) await world.run(engine, 'returns');
    const memoLines = world.documents('CreditNotes', order!.orderId).flatMap((m) => m.DocumentLines as Record<string, unknown>[]);
    expect(memoLines).toHaveLength(2);
    const batchLine = memoLines.find((l) => l.ItemCode === BATCH_SKU)!;
    const serialLine = memoLines.find((l) => l.ItemCode === SERIAL_SKU)!;
    expect((batchLine.BatchNumbers as Record<string, unknown>[])[0]).toMatchObject({ BatchNumberProperty: batchOut, Quantity: 1 });
    expect((serialLine.SerialNumbers as Record<string, unknown>[])[0]).toMatchObject({ InternalSerialNumber: serialOut });
    expect(world.sap.state.serialSet(SERIAL_SKU, world.returnsWarehouse).has(String(serialOut))).toBe(true);
    expect(await returnOf(returnId)).toMatchObject({ stage: 'credited' });
  });

  it('a refund whose answer was lost is found on the order, not sent again, and credited once', async () => {
    const [order] = await world.shippedOrders(engine, 1, { skus: [SKUS[2]!], quantity: 1 });
    const line = order!.lines[0]!;
    const [reason] = await reasons();
    const before = calls('OR28').length;
    world.jl.admin.setFaults({ loseAnswerNext: 1, operation: 'OR28' });
    const issued = await engine.command('refunds.issue', {
      orderId: order!.orderId,
      lines: [{ orderLineId: line.orderLineId, quantity: 1, amount: '24.50', shippingAmount: '0.00' }],
      reasonCode: reason!.code,
      actor: 'Sam',
    });
    expect(issued.state).toBe('checking');
    await expect(
      engine.command('refunds.issue', {
        orderId: order!.orderId,
        lines: [{ orderLineId: line.orderLineId, quantity: 1, amount: '24.50', shippingAmount: '0.00' }],
        reasonCode: reason!.code,
        actor: 'Sam',
      }),
    ).rejects.toThrow(/still being settled/);
    for (let i = 0; i < 3; i++) await world.run(engine, 'returns');
    expect(calls('OR28').length - before).toBe(1);
    const form = await engine.query('refunds.form', { orderId: order!.orderId });
    expect(form.requests[0]).toMatchObject({ state: 'sent' });
    expect(world.documents('CreditNotes', order!.orderId)).toHaveLength(1);
  });

  it('a refund on an order SAP never had, and a Credit Memo SAP refuses, are exceptions on that refund only, with SAP’s words', async () => {
    const [good] = await world.shippedOrders(engine, 1, { skus: [SKUS[3]!], quantity: 1 });
    const [refused] = await world.shippedOrders(engine, 1, { skus: [SKUS[2]!], quantity: 1 });
    const [reason] = await reasons();
    for (const o of [good!, refused!])
      await engine.command('refunds.issue', {
        orderId: o.orderId,
        lines: [{ orderLineId: o.lines[0]!.orderLineId, quantity: 0, amount: '1.00', shippingAmount: '0.00' }],
        reasonCode: reason!.code,
        actor: 'Sam',
      });
    // The first run asks for the invoices; then the item of one order is frozen in SAP before its Credit Memo.
    await world.run(engine, 'returns');
    await world.run(engine, 'invoicing');
    const item = world.sap.state.items.get(SKUS[2]!)!;
    item.Frozen = 'tYES';
    for (let i = 0; i < 2; i++) await world.run(engine, 'returns');
    item.Frozen = 'tNO';
    expect(world.documents('CreditNotes', good!.orderId)).toHaveLength(1);
    expect(world.documents('CreditNotes', refused!.orderId)).toHaveLength(0);
    const [problem] = await liveExceptions(refused!.orderId);
    expect(problem).toMatchObject({ type: 'credit-memo-refused', category: 'business' });
    expect(problem!.rawError).toContain(`Item '${SKUS[2]!}' is inactive`);
    expect(await refundsOf(good!.orderId)).toMatchObject([{ stage: 'credited' }]);
  });

  it('a return and a refund for an order that never became a Sales Order are exceptions on them, and nothing is sent to SAP', async () => {
    world.jl.admin.seedOffers([{ sku: 'NOT-IN-SAP', quantity: 5, price: '5.00', taxes: ['standard'] }]);
    const [created] = world.jl.admin.createOrders({ count: 1, skus: ['NOT-IN-SAP'], quantities: [1] });
    await world.run(engine, 'orders');
    world.jl.admin.debitOrders([created!.orderId]);
    await world.run(engine, 'orders');
    // The shop ships it from the marketplace's back office, outside SAP.
    const shipped = await fetch(`${world.jl.url}/api/orders/${created!.orderId}/ship`, { method: 'PUT', headers: { Authorization: world.jl.apiKey } });
    expect(shipped.status).toBe(204);
    const { returnId } = world.jl.admin.createReturn({ orderId: created!.orderId });
    world.jl.admin.refundFromBackOffice({ orderId: created!.orderId, lines: [{ orderLineId: created!.lines[0]!.orderLineId, amount: '1.00' }] });
    await world.run(engine, 'orders');
    await world.run(engine, 'returns');
    const problems = await liveExceptions(created!.orderId);
    expect(problems.map((e) => `${e.type} ${e.record.type}`).sort()).toEqual(['order-not-posted refund', 'order-not-posted return']);
    expect(world.documents('CreditNotes', created!.orderId)).toHaveLength(0);
    expect(world.documents('Invoices', created!.orderId)).toHaveLength(0);
    expect(await returnOf(returnId)).toMatchObject({ problem: { type: 'order-not-posted' } });
  });

  it('an order in net prices: the Credit Memo is the net refund plus the VAT the marketplace states', async () => {
    await engine.command('settings.update', { patch: { orders: { taxMode: 'TAX_EXCLUDED' } }, actor: 'test' });
    try {
      const [order] = await world.shippedOrders(engine, 1, { skus: [SKUS[1]!], quantity: 1 });
      world.jl.admin.refundFromBackOffice({ orderId: order!.orderId, lines: [{ orderLineId: order!.lines[0]!.orderLineId, amount: '6.00' }] });
      await world.run(engine, 'orders');
      for (let i = 0; i < 3; i++) await world.run(engine, 'returns');
      const [refund] = await refundsOf(order!.orderId);
      expect(refund).toMatchObject({ stage: 'credited' });
      const memos = world.documents('CreditNotes', order!.orderId);
      expect(memos).toHaveLength(1);
      // The back office refunded 6.00 gross: 5.00 net and 1.00 VAT in the order's net tax mode.
      expect(refund!.amount).toBe('5.00');
      expect(d(memos[0]!.DocTotal).toFixed(2)).toBe('6.00');
      expect(d(memos[0]!.VatSum).toFixed(2)).toBe('1.00');
    } finally {
      await engine.command('settings.update', { patch: { orders: { taxMode: 'TAX_INCLUDED' } }, actor: 'test' });
    }
  });

  it('a refund after the payout paid the invoice is credited with lines of their own (SAP copies from open documents only)', async () => {
    const [order] = await world.shippedOrders(engine, 1, { skus: [SKUS[0]!], quantity: 1 });
    await world.run(engine, 'invoicing');
    const [invoice] = world.documents('Invoices', order!.orderId);
    // Finance posted the payout: an Incoming Payment paid the invoice in full, and SAP closed it.
    createPayment(world.sap.state, 'v2', {
      CardCode: invoice!.CardCode,
      TransferAccount: '1250',
      TransferSum: invoice!.DocTotal,
      TransferReference: `PAYOUT-${order!.orderId}`,
      PaymentInvoices: [{ DocEntry: invoice!.DocEntry, InvoiceType: 'it_Invoice', SumApplied: invoice!.DocTotal }],
    });
    expect(world.documents('Invoices', order!.orderId)[0]!.DocumentStatus).toBe('bost_Close');
    const { returnId } = world.jl.admin.createReturn({ orderId: order!.orderId });
    await world.run(engine, 'returns');
    await engine.command('returns.markReceived', { returnIds: [returnId], actor: 'Sam' });
    await world.run(engine, 'returns');
    world.jl.admin.refundFromBackOffice({ returnId });
    await world.run(engine, 'orders');
    for (let i = 0; i < 2; i++) await world.run(engine, 'returns');
    const [refund] = await refundsOf(order!.orderId);
    expect(refund).toMatchObject({ stage: 'credited', returnId });
    const [memo] = world.documents('CreditNotes', order!.orderId);
    expect(d(memo!.DocTotal).toFixed(2)).toBe(refund!.totalWithVat);
    expect((memo!.DocumentLines as Record<string, unknown>[])[0]).toMatchObject({ BaseType: -1, ItemCode: SKUS[0], WarehouseCode: world.returnsWarehouse });
  });

  it('SAP totals of every credit tie to the refunds to the penny', async () => {
    const memos = world.documents('CreditNotes');
    const refunds = (await engine.query('refunds.list', { stage: 'credited', limit: 500 })).rows;
    const credited = memos.reduce((a, m) => a.plus(d(m.DocTotal)), new Decimal(0));
    const refunded = refunds.reduce((a, r) => a.plus(r.totalWithVat), new Decimal(0));
    expect(credited.toFixed(2)).toBe(refunded.toFixed(2));
    for (const m of memos) for (const l of m.DocumentLines as Record<string, unknown>[]) expect(lineValue(l).gt(0)).toBe(true);
  });
});
