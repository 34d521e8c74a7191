import Decimal from 'decimal.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CopiedDocumentDraft, CopiedLine, Sap, SalesDocument } from '../../../electron/engine/connectors/ports/sap';
import { sapQuery, type SapConnector } from '../../../electron/engine/connectors/sap-b1';
import { asSap } from '../../support/sap';
import { startRig, type Rig } from './harness';

const PLAIN_ITEM = 'SKU000001'; // VAT group O1 (20 %)
const OTHER_ITEM = 'SKU000002';
const REDUCED_VAT_ITEM = 'SKU000015'; // the item's own VAT group is O2 (5 %)
const BATCH_ITEM = 'SKU000025'; // batches B25-01-1 (6) and B25-01-2 (5) in warehouse 01
const SERIAL_ITEM = 'SKU000080'; // serials SN80-01-1 … SN80-01-5 in warehouse 01
const RETURNS = '05';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A/R Invoices, Credit Memos and Returns copied from their base documents, through the SAP port the flows use,
 * against the emulator over HTTP.
 */
describe('SAP documents copied from base documents', () => {
  let rig: Rig;
  let connector: SapConnector;
  let sap: Sap;
  beforeAll(async () => {
    // Warehouse 05 is a quarantine store (not nettable): the returns warehouse.
    rig = await startRig({ seed: { items: 200, warehouses: 4, notNettable: 1 } });
  });
  afterAll(() => rig.emulator.stop());
  beforeEach(async () => {
    rig.emulator.reset();
    rig.clock.sleeps.length = 0;
    connector = rig.connect();
    sap = asSap(connector);
    await sap.company.consoleFields({ create: true });
  });

  /** A marketplace order posted as a Sales Order and despatched in full by the warehouse: its Delivery Note. */
  async function delivered(
    orderId: string,
    lines: { item: string; quantity: number; gross: string }[],
    customerReference = orderId.replace(/-A$/, ''),
  ): Promise<SalesDocument> {
    const { document: order } = await connector.orders.create({
      CardCode: 'C-JLM',
      NumAtCard: customerReference,
      DocumentLines: lines.map((l) => ({ ItemCode: l.item, Quantity: l.quantity, PriceAfterVAT: new Decimal(l.gross), VatGroup: 'O1', WarehouseCode: '01' })),
      U_JLM_OrderId: orderId,
    });
    const dn = rig.emulator.despatch({ docEntry: order.DocEntry, carrier: 'DPD', trackingNumber: `T-${orderId}` });
    return sap.deliveryNotes.get(dn.DocEntry as number);
  }

  const invoiceDraft = (dn: SalesDocument, orderId: string, lineNums = dn.lines.map((l) => l.lineNum)) => ({
    customer: 'C-JLM',
    customerReference: dn.customerReference!,
    marketplaceOrderId: orderId,
    remarks: `Marketplace order ${orderId}`,
    pricesIncludeVat: true,
    lines: lineNums.map((lineNum) => ({
      base: { kind: 'delivery-note' as const, docEntry: dn.docEntry, lineNum },
      quantity: dn.lines[lineNum]!.quantity.toNumber(),
    })),
  });

  const invoiced = async (orderId: string, lines: { item: string; quantity: number; gross: string }[]) => {
    const dn = await delivered(orderId, lines);
    const { document: invoice } = await sap.invoices.create(invoiceDraft(dn, orderId), async () => undefined);
    return { dn, invoice };
  };

  const creditDraft = (
    base: SalesDocument,
    orderId: string,
    refundId: string,
    lines: CopiedLine[],
    extra: Partial<CopiedDocumentDraft> = {},
  ): CopiedDocumentDraft => ({
    customer: 'C-JLM',
    customerReference: base.customerReference!,
    marketplaceOrderId: orderId,
    marketplaceRefundId: refundId,
    remarks: `Refund ${refundId}`,
    pricesIncludeVat: true,
    lines,
    ...extra,
  });

  const returnDraft = (dn: SalesDocument, orderId: string, returnId: string, lines: CopiedLine[]): CopiedDocumentDraft => ({
    customer: 'C-JLM',
    customerReference: dn.customerReference!,
    marketplaceOrderId: orderId,
    marketplaceReturnId: returnId,
    remarks: `Return ${returnId}`,
    pricesIncludeVat: true,
    lines,
  });

  const onInvoice = (invoice: SalesDocument, lineNum: number) => ({ kind: 'invoice' as const, docEntry: invoice.docEntry, lineNum });
  const onDelivery = (dn: SalesDocument, lineNum: number) => ({ kind: 'delivery-note' as const, docEntry: dn.docEntry, lineNum });
  const stock = async (item: string, whs: string) => (await sap.items.get(item)).stock.find((s) => s.warehouse === whs)!.inStock.toNumber();
  const failure = (p: Promise<unknown>) => p.then(() => undefined).catch((e: unknown) => e as Record<string, unknown>);
  const notCarried = (name: string) => `Batch/serial number ${name} does not exist; specify a valid batch/serial number`;

  it('an invoice copied from a Delivery Note takes its prices and VAT, carries the order id, and closes the delivery', async () => {
    const dn = await delivered('000201-A', [
      { item: PLAIN_ITEM, quantity: 2, gross: '12.00' },
      { item: OTHER_ITEM, quantity: 1, gross: '30.00' },
    ]);
    const { document: invoice, recovered } = await sap.invoices.create(
      {
        ...invoiceDraft(dn, '000201-A'),
        freight: { expenseCode: 1, amount: new Decimal('3.95'), vatGroup: 'O1' },
        rounding: new Decimal('0.01'),
      },
      async () => undefined,
    );
    expect(recovered).toBe(false);
    expect(invoice.marketplaceOrderId).toBe('000201-A');
    expect(invoice.customerReference).toBe('000201');
    expect(invoice.lines.map((l) => [l.itemCode, l.quantity.toString(), l.unitPrice.toString(), l.vatGroup, l.base])).toEqual([
      [PLAIN_ITEM, '2', '10', 'O1', { kind: 'delivery-note', docEntry: dn.docEntry, lineNum: 0 }],
      [OTHER_ITEM, '1', '25', 'O1', { kind: 'delivery-note', docEntry: dn.docEntry, lineNum: 1 }],
    ]);
    // 20.00 + 4.00 + 25.00 + 5.00 (lines) + 3.29 + 0.66 (freight) + 0.01 (rounding)
    expect(invoice.total.toFixed(2)).toBe('57.96');
    expect(invoice.freight).toEqual({ net: new Decimal('3.29'), vat: new Decimal('0.66') });
    expect(invoice.rounding.toFixed(2)).toBe('0.01');
    // An invoice from a delivery moves no goods: the delivery already did.
    const closed = await sap.deliveryNotes.get(dn.docEntry);
    expect(closed.status).toBe('closed');
    expect(closed.lines.map((l) => [l.open, l.openQuantity.toString()])).toEqual([
      [false, '0'],
      [false, '0'],
    ]);
  });

  it('an invoice for part of a delivery leaves the rest open, and the same line cannot be invoiced twice', async () => {
    const dn = await delivered('000202-A', [
      { item: PLAIN_ITEM, quantity: 3, gross: '12.00' },
      { item: OTHER_ITEM, quantity: 1, gross: '30.00' },
    ]);
    await sap.invoices.create(
      { ...invoiceDraft(dn, '000202-A', [0]), lines: [{ base: { kind: 'delivery-note', docEntry: dn.docEntry, lineNum: 0 }, quantity: 2 }] },
      async () => undefined,
    );
    const after = await sap.deliveryNotes.get(dn.docEntry);
    expect(after.status).toBe('open');
    expect(after.lines.map((l) => [l.open, l.openQuantity.toString()])).toEqual([
      [true, '1'],
      [true, '1'],
    ]);
    const err = await sap.invoices
      .create(
        { ...invoiceDraft(dn, '000202-A', [0]), lines: [{ base: { kind: 'delivery-note', docEntry: dn.docEntry, lineNum: 0 }, quantity: 2 }] },
        async () => undefined,
      )
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'business', sapMessage: 'Quantity exceeds the open quantity of the base document line [DocumentLines][line: 1]' });
    expect(rig.emulator.state.documents.Invoices.size).toBe(1);
  });

  it('an invoice create whose answer was lost is found by the lookup and not sent again', async () => {
    const dn = await delivered('000203-A', [{ item: PLAIN_ITEM, quantity: 1, gross: '12.00' }]);
    rig.emulator.addFault({ kind: 'loseResponse', method: 'POST', path: 'Invoices', times: 1 });
    const lookup = async () => (await sap.invoices.forMarketplaceOrder({ marketplaceOrderId: '000203-A', customerReference: '000203', customer: 'C-JLM' }))[0];
    const { document, recovered } = await sap.invoices.create(invoiceDraft(dn, '000203-A'), lookup);
    expect(recovered).toBe(true);
    expect(document.marketplaceOrderId).toBe('000203-A');
    expect(document.lines).toHaveLength(1);
    expect(rig.calls('POST', 'Invoices')).toBe(1);
    expect(rig.emulator.state.documents.Invoices.size).toBe(1);
  });

  it('a credit memo for part of a line’s value (a partial refund) uses the price sent; refunded freight and rounding count in its total', async () => {
    const { invoice } = await invoiced('000301-A', [{ item: PLAIN_ITEM, quantity: 2, gross: '12.00' }]);
    const before = await stock(PLAIN_ITEM, '01');
    const { document: memo } = await sap.creditMemos.create(
      creditDraft(invoice, '000301-A', 'R-301', [{ base: onInvoice(invoice, 0), quantity: 1, unitPrice: new Decimal('6.00'), withoutStock: true }], {
        freight: { expenseCode: 1, amount: new Decimal('3.95'), vatGroup: 'O1' },
        rounding: new Decimal('-0.01'),
      }),
      async () => undefined,
    );
    expect(memo.marketplaceRefundId).toBe('R-301');
    expect(memo.marketplaceOrderId).toBe('000301-A');
    expect(memo.customerReference).toBe('000301');
    const [line] = memo.lines;
    expect([line!.unitPrice.toString(), line!.lineTotal.toString(), line!.vatTotal.toString(), line!.vatGroup, line!.withoutStock]).toEqual([
      '5',
      '5',
      '1',
      'O1',
      true,
    ]);
    // 5.00 + 1.00 (line) + 3.29 + 0.66 (freight) - 0.01 (rounding)
    expect(memo.total.toFixed(2)).toBe('9.94');
    expect(memo.vatTotal.toFixed(2)).toBe('1.66');
    expect(await stock(PLAIN_ITEM, '01')).toBe(before);
    const credited = await sap.invoices.get(invoice.docEntry);
    expect([credited.status, credited.lines[0]!.openQuantity.toString()]).toEqual(['open', '1']);
  });

  it('a partial refund in net prices: the net unit price sent is the line’s, its VAT from the invoice line’s VAT group', async () => {
    const { invoice } = await invoiced('000314-A', [{ item: PLAIN_ITEM, quantity: 1, gross: '12.00' }]);
    const { document: memo } = await sap.creditMemos.create(
      creditDraft(invoice, '000314-A', 'R-314', [{ base: onInvoice(invoice, 0), quantity: 1, unitPrice: new Decimal('4.50'), withoutStock: true }], {
        pricesIncludeVat: false,
      }),
      async () => undefined,
    );
    expect([memo.lines[0]!.unitPrice.toString(), memo.lines[0]!.vatTotal.toString(), memo.total.toFixed(2)]).toEqual(['4.5', '0.9', '5.40']);
  });

  it('a credit memo line sent without a price keeps the invoice line’s price and VAT group, not the item’s own', async () => {
    const { invoice } = await invoiced('000302-A', [{ item: REDUCED_VAT_ITEM, quantity: 1, gross: '12.00' }]);
    const { document: memo } = await sap.creditMemos.create(
      creditDraft(invoice, '000302-A', 'R-302', [{ base: onInvoice(invoice, 0), quantity: 1, withoutStock: true }]),
      async () => undefined,
    );
    expect([memo.lines[0]!.unitPrice.toString(), memo.lines[0]!.vatGroup, memo.total.toFixed(2)]).toEqual(['10', 'O1', '12.00']);
    expect((await sap.invoices.get(invoice.docEntry)).status).toBe('closed');
  });

  it('a credit memo takes a batch the delivery carried back into the returns warehouse, and SAP’s stock shows it there (v2 and v1)', async () => {
    for (const serviceLayerVersion of ['v2', 'v1'] as const) {
      rig.emulator.reset();
      connector = rig.connect({ serviceLayerVersion });
      sap = asSap(connector);
      await sap.company.consoleFields({ create: true });
      const { dn, invoice } = await invoiced('000303-A', [{ item: BATCH_ITEM, quantity: 2, gross: '20.00' }]);
      expect(dn.lines[0]!.batches).toEqual([{ batch: 'B25-01-1', quantity: 2 }]);
      const [inMain, inReturns] = [await stock(BATCH_ITEM, '01'), await stock(BATCH_ITEM, RETURNS)];
      const { document: memo } = await sap.creditMemos.create(
        creditDraft(invoice, '000303-A', 'R-303', [
          { base: onInvoice(invoice, 0), quantity: 1, warehouse: RETURNS, batches: [{ batch: 'B25-01-1', quantity: 1 }] },
        ]),
        async () => undefined,
      );
      expect(memo.lines[0]).toMatchObject({ warehouse: RETURNS, withoutStock: false, batches: [{ batch: 'B25-01-1', quantity: 1 }] });
      expect(await stock(BATCH_ITEM, RETURNS)).toBe(inReturns + 1);
      expect(await stock(BATCH_ITEM, '01')).toBe(inMain);
      expect(rig.emulator.state.batchMap(BATCH_ITEM, RETURNS).get('B25-01-1')).toBe(1);
    }
  });

  it('a batch or serial the delivery did not carry is refused with SAP’s words and nothing moves; an incomplete selection is -4014', async () => {
    const dn = await delivered('000304-A', [{ item: SERIAL_ITEM, quantity: 1, gross: '50.00' }]);
    expect(dn.lines[0]!.serials).toEqual(['SN80-01-1']);
    const inReturns = await stock(SERIAL_ITEM, RETURNS);
    // SN80-01-3 is SAP's (on the shelf in 01) but did not go out on this delivery.
    const wrong = await failure(
      sap.returns.create(
        returnDraft(dn, '000304-A', 'RT-304', [{ base: onDelivery(dn, 0), quantity: 1, warehouse: RETURNS, serials: ['SN80-01-3'] }]),
        async () => undefined,
      ),
    );
    expect(wrong).toMatchObject({ kind: 'business', refusal: 'batch-serial', sapMessage: notCarried('SN80-01-3') });
    expect(rig.emulator.state.documents.Returns.size).toBe(0);
    expect(await stock(SERIAL_ITEM, RETURNS)).toBe(inReturns);
    const { document: ret } = await sap.returns.create(
      returnDraft(dn, '000304-A', 'RT-304', [{ base: onDelivery(dn, 0), quantity: 1, warehouse: RETURNS, serials: ['SN80-01-1'] }]),
      async () => undefined,
    );
    expect([ret.marketplaceReturnId, ret.lines[0]!.serials]).toEqual(['RT-304', ['SN80-01-1']]);
    expect(rig.emulator.state.serialSet(SERIAL_ITEM, RETURNS).has('SN80-01-1')).toBe(true);
    expect((await sap.deliveryNotes.get(dn.docEntry)).status).toBe('closed');

    const { invoice } = await invoiced('000305-A', [{ item: BATCH_ITEM, quantity: 2, gross: '20.00' }]);
    const batch = (batches: { batch: string; quantity: number }[], quantity = 2) =>
      failure(
        sap.creditMemos.create(
          creditDraft(invoice, '000305-A', 'R-305', [{ base: onInvoice(invoice, 0), quantity, warehouse: RETURNS, batches }]),
          async () => undefined,
        ),
      );
    expect(await batch([{ batch: 'B25-01-2', quantity: 2 }])).toMatchObject({ kind: 'business', refusal: 'batch-serial', sapMessage: notCarried('B25-01-2') });
    expect(await batch([{ batch: 'B25-01-1', quantity: 1 }])).toMatchObject({
      kind: 'batch-selection',
      code: '-4014',
      sapMessage: 'Cannot add row without complete selection of batch/serial numbers',
    });
    expect(rig.emulator.state.documents.CreditNotes.size).toBe(0);
    expect(rig.emulator.state.batchMap(BATCH_ITEM, RETURNS).get('B25-01-2')).toBeUndefined();
  });

  it('a batch comes back once: after a Return took it, the credit memo for the rest of the line may take only what is left', async () => {
    // Two batches on one delivery line: one unit of each.
    rig.emulator.state.batchMap(BATCH_ITEM, '01').set('B25-01-1', 1);
    const dn = await delivered('000306-A', [{ item: BATCH_ITEM, quantity: 2, gross: '20.00' }]);
    expect(dn.lines[0]!.batches).toEqual([
      { batch: 'B25-01-1', quantity: 1 },
      { batch: 'B25-01-2', quantity: 1 },
    ]);
    await sap.returns.create(
      returnDraft(dn, '000306-A', 'RT-306', [{ base: onDelivery(dn, 0), quantity: 1, warehouse: RETURNS, batches: [{ batch: 'B25-01-1', quantity: 1 }] }]),
      async () => undefined,
    );
    const { document: invoice } = await sap.invoices.create(
      { ...invoiceDraft(dn, '000306-A'), lines: [{ base: onDelivery(dn, 0), quantity: 1 }] },
      async () => undefined,
    );
    const memo = (batchName: string) =>
      sap.creditMemos.create(
        creditDraft(invoice, '000306-A', 'R-306', [
          { base: onInvoice(invoice, 0), quantity: 1, warehouse: RETURNS, batches: [{ batch: batchName, quantity: 1 }] },
        ]),
        async () => undefined,
      );
    expect(await failure(memo('B25-01-1'))).toMatchObject({ refusal: 'batch-serial', sapMessage: notCarried('B25-01-1') });
    expect((await memo('B25-01-2')).document.lines[0]!.batches).toEqual([{ batch: 'B25-01-2', quantity: 1 }]);
    expect([...rig.emulator.state.batchMap(BATCH_ITEM, RETURNS)].filter(([name]) => name.startsWith('B25-01'))).toEqual([
      ['B25-01-1', 1],
      ['B25-01-2', 1],
    ]);
  });

  it('a money-only credit memo line (WithoutInventoryMovement) moves no stock and needs no batches', async () => {
    const { invoice } = await invoiced('000307-A', [{ item: BATCH_ITEM, quantity: 2, gross: '20.00' }]);
    const [inMain, inReturns] = [await stock(BATCH_ITEM, '01'), await stock(BATCH_ITEM, RETURNS)];
    const batchesBefore = [...rig.emulator.state.batchMap(BATCH_ITEM, '01')];
    const { document: memo } = await sap.creditMemos.create(
      creditDraft(invoice, '000307-A', 'R-307', [{ base: onInvoice(invoice, 0), quantity: 2, withoutStock: true }]),
      async () => undefined,
    );
    expect(memo.lines[0]).toMatchObject({ withoutStock: true, batches: [], serials: [] });
    expect(memo.total.toFixed(2)).toBe('40.00');
    expect([await stock(BATCH_ITEM, '01'), await stock(BATCH_ITEM, RETURNS)]).toEqual([inMain, inReturns]);
    expect([...rig.emulator.state.batchMap(BATCH_ITEM, '01')]).toEqual(batchesBefore);
    expect((await sap.invoices.get(invoice.docEntry)).status).toBe('closed');
  });

  it('SAP refuses a Return on a delivery line already invoiced (the line is closed); the line not yet invoiced can still come back', async () => {
    const dn = await delivered('000308-A', [
      { item: PLAIN_ITEM, quantity: 1, gross: '12.00' },
      { item: OTHER_ITEM, quantity: 1, gross: '30.00' },
    ]);
    await sap.invoices.create({ ...invoiceDraft(dn, '000308-A', [0]) }, async () => undefined);
    const inReturns = await stock(PLAIN_ITEM, RETURNS);
    const refused = await failure(
      sap.returns.create(returnDraft(dn, '000308-A', 'RT-308', [{ base: onDelivery(dn, 0), quantity: 1, warehouse: RETURNS }]), async () => undefined),
    );
    expect(refused).toMatchObject({
      kind: 'business',
      sapMessage: 'Target document has already been closed or the base document is closed [DocumentLines][line: 1]',
    });
    expect(await stock(PLAIN_ITEM, RETURNS)).toBe(inReturns);
    const { document: ret } = await sap.returns.create(
      returnDraft(dn, '000308-A', 'RT-308', [{ base: onDelivery(dn, 1), quantity: 1, warehouse: RETURNS }]),
      async () => undefined,
    );
    expect(ret.lines[0]!.itemCode).toBe(OTHER_ITEM);
    // Now every line is closed: the whole delivery is, and a Return on it is refused too.
    expect((await sap.deliveryNotes.get(dn.docEntry)).status).toBe('closed');
    await sap.invoices.create({ ...invoiceDraft(dn, '000308-A', [0]) }, async () => undefined).catch(() => undefined);
    expect(rig.emulator.state.documents.Invoices.size).toBe(1);
  });

  it('a Return copied from a delivery takes the goods back; a credit memo copied from that Return moves nothing more and closes it', async () => {
    const dn = await delivered('000309-A', [{ item: PLAIN_ITEM, quantity: 2, gross: '12.00' }]);
    const inReturns = await stock(PLAIN_ITEM, RETURNS);
    const { document: ret } = await sap.returns.create(
      returnDraft(dn, '000309-A', 'RT-309', [{ base: onDelivery(dn, 0), quantity: 2, warehouse: RETURNS }]),
      async () => undefined,
    );
    expect(await stock(PLAIN_ITEM, RETURNS)).toBe(inReturns + 2);
    expect((await sap.deliveryNotes.get(dn.docEntry)).status).toBe('closed');
    const { document: memo } = await sap.creditMemos.create(
      {
        ...creditDraft(ret, '000309-A', 'R-309', [{ base: { kind: 'return', docEntry: ret.docEntry, lineNum: 0 }, quantity: 2 }]),
        marketplaceReturnId: 'RT-309',
      },
      async () => undefined,
    );
    expect([memo.marketplaceReturnId, memo.lines[0]!.base?.kind, memo.total.toFixed(2)]).toEqual(['RT-309', 'return', '24.00']);
    expect(await stock(PLAIN_ITEM, RETURNS)).toBe(inReturns + 2);
    expect((await sap.returns.get(ret.docEntry)).status).toBe('closed');
  });

  it('a credit memo create whose answer was lost is found by the lookup and not created twice', async () => {
    const { invoice } = await invoiced('000311-A', [{ item: PLAIN_ITEM, quantity: 1, gross: '12.00' }]);
    const lookup = async () =>
      (await sap.creditMemos.forMarketplaceOrder({ marketplaceOrderId: '000311-A', customerReference: '000311', customer: 'C-JLM' })).find(
        (d) => d.marketplaceRefundId === 'R-311',
      );
    rig.emulator.addFault({ kind: 'loseResponse', method: 'POST', path: 'CreditNotes', times: 1 });
    const { document, recovered } = await sap.creditMemos.create(
      creditDraft(invoice, '000311-A', 'R-311', [{ base: onInvoice(invoice, 0), quantity: 1, withoutStock: true }]),
      lookup,
    );
    expect([recovered, document.marketplaceRefundId, document.lines.length]).toEqual([true, 'R-311', 1]);
    expect(rig.calls('POST', 'CreditNotes')).toBe(1);
    expect(rig.emulator.state.documents.CreditNotes.size).toBe(1);
  });

  it('a credit memo SAP commits after the client gave up is not sent again: unknown at first, then found by a later lookup', async () => {
    connector = rig.connect({ timeoutSeconds: 1 });
    sap = asSap(connector);
    const { invoice } = await invoiced('000312-A', [{ item: PLAIN_ITEM, quantity: 1, gross: '12.00' }]);
    const lookup = async () =>
      (await sap.creditMemos.forMarketplaceOrder({ marketplaceOrderId: '000312-A', customerReference: '000312', customer: 'C-JLM' })).find(
        (d) => d.marketplaceRefundId === 'R-312',
      );
    rig.emulator.addFault({ kind: 'slowCommit', method: 'POST', path: 'CreditNotes', times: 1, ms: 1_500 });
    const err = await failure(
      sap.creditMemos.create(creditDraft(invoice, '000312-A', 'R-312', [{ base: onInvoice(invoice, 0), quantity: 1, withoutStock: true }]), lookup),
    );
    expect(err).toMatchObject({ kind: 'transient', outcomeUnknown: true });
    expect(rig.emulator.state.documents.CreditNotes.size).toBe(0);
    await sleep(800);
    expect((await lookup())?.marketplaceRefundId).toBe('R-312');
    expect(rig.calls('POST', 'CreditNotes')).toBe(1);
    expect(rig.emulator.state.documents.CreditNotes.size).toBe(1);
  });

  it('forMarketplaceOrder finds a Return keyed by hand by the customer’s reference, with the console’s own, oldest first and read in full', async () => {
    const dn = await delivered('000310-A', [
      { item: PLAIN_ITEM, quantity: 2, gross: '12.00' },
      { item: SERIAL_ITEM, quantity: 1, gross: '50.00' },
    ]);
    // The warehouse keys a Return in SAP against the delivery, with the customer's number and no order id.
    await connector.returns.create({
      CardCode: 'C-JLM',
      NumAtCard: '000310',
      DocumentLines: [{ BaseType: 15, BaseEntry: dn.docEntry, BaseLine: 0, Quantity: 1, WarehouseCode: RETURNS }],
    });
    await sap.returns.create(
      returnDraft(dn, '000310-A', 'RT-310', [{ base: onDelivery(dn, 1), quantity: 1, warehouse: RETURNS, serials: dn.lines[1]!.serials }]),
      async () => undefined,
    );
    // Not this order's: the same customer's number on another marketplace order, and on another customer.
    const other = await delivered('000310-B', [{ item: PLAIN_ITEM, quantity: 1, gross: '12.00' }], '000310');
    await sap.returns.create(
      returnDraft(other, '000310-B', 'RT-999', [{ base: onDelivery(other, 0), quantity: 1, warehouse: RETURNS }]),
      async () => undefined,
    );
    rig.emulator.state.businessPartners.set('C-SHOP', {
      CardCode: 'C-SHOP',
      CardName: 'Shop customers',
      CardType: 'cCustomer',
      Currency: 'GBP',
      Valid: 'tYES',
      Frozen: 'tNO',
    });
    await connector.returns.create({
      CardCode: 'C-SHOP',
      NumAtCard: '000310',
      DocumentLines: [{ ItemCode: PLAIN_ITEM, Quantity: 1, PriceAfterVAT: new Decimal('12.00'), WarehouseCode: RETURNS }],
    });

    const found = await sap.returns.forMarketplaceOrder({ marketplaceOrderId: '000310-A', customerReference: '000310', customer: 'C-JLM' });
    expect(found.map((d) => [d.marketplaceOrderId, d.marketplaceReturnId, d.customerReference])).toEqual([
      [null, null, '000310'],
      ['000310-A', 'RT-310', '000310'],
    ]);
    expect(found[0]!.docEntry).toBeLessThan(found[1]!.docEntry);
    expect(found[0]!.lines.map((l) => [l.itemCode, l.warehouse, l.base?.kind])).toEqual([[PLAIN_ITEM, RETURNS, 'delivery-note']]);
    expect(found[1]!.lines.map((l) => [l.itemCode, l.serials])).toEqual([[SERIAL_ITEM, ['SN80-01-1']]]);
    // Without the customer's number only documents carrying the order id are found.
    expect((await sap.returns.forMarketplaceOrder({ marketplaceOrderId: '000310-A', customerReference: null, customer: 'C-JLM' })).length).toBe(1);
  });

  it('the console’s fields on Invoices, Credit Memos and Returns: SAP refuses them until they exist, adds a marketing-document field to all, and filters by them', async () => {
    rig.emulator.reset();
    const { invoice } = await (async () => {
      const { document: order } = await connector.orders.create({
        CardCode: 'C-JLM',
        NumAtCard: '000313',
        DocumentLines: [{ ItemCode: PLAIN_ITEM, Quantity: 1, PriceAfterVAT: new Decimal('12.00'), VatGroup: 'O1', WarehouseCode: '01' }],
      });
      const dn = rig.emulator.despatch({ docEntry: order.DocEntry, carrier: 'DPD', trackingNumber: 'T-313' });
      const { document } = await connector.invoices.create({
        CardCode: 'C-JLM',
        NumAtCard: '000313',
        DocumentLines: [{ BaseType: 15, BaseEntry: dn.DocEntry as number, BaseLine: 0, Quantity: 1 }],
      });
      return { invoice: await sap.invoices.get(document.DocEntry) };
    })();
    const memo = () =>
      sap.creditMemos.create(
        creditDraft(invoice, '000313-A', 'R-313', [{ base: onInvoice(invoice, 0), quantity: 1, withoutStock: true }]),
        async () => undefined,
      );
    expect(await failure(memo())).toMatchObject({
      kind: 'business',
      refusal: 'field-missing',
      sapMessage: "Property 'U_JLM_OrderId' of 'Document' is invalid",
    });

    const checks = await sap.company.consoleFields({ create: true });
    expect(checks.filter((c) => c.purpose.startsWith('marketplace')).map((c) => [c.label, c.purpose, c.state])).toEqual([
      ['ORDR.U_JLM_OrderId', 'marketplace-order-id', 'created'],
      ['RDR1.U_JLM_LineId', 'marketplace-line-id', 'created'],
      ['OINV.U_JLM_OrderId', 'marketplace-order-id', 'exists'],
      ['ORIN.U_JLM_OrderId', 'marketplace-order-id', 'exists'],
      ['ORDN.U_JLM_OrderId', 'marketplace-order-id', 'exists'],
      ['ORIN.U_JLM_ReturnId', 'marketplace-return-id', 'created'],
      ['ORIN.U_JLM_RefundId', 'marketplace-refund-id', 'created'],
      ['ORDN.U_JLM_ReturnId', 'marketplace-return-id', 'exists'],
      ['ORDN.U_JLM_RefundId', 'marketplace-refund-id', 'exists'],
    ]);
    expect((await sap.company.consoleFields({ create: false })).every((c) => c.state === 'exists')).toBe(true);
    // SAP has the field on every marketing document now: adding it to the invoice table again is refused.
    expect(await failure(connector.createUserField({ TableName: 'OINV', Name: 'JLM_OrderId', Description: 'again' }))).toMatchObject({ kind: 'business' });

    const { document } = await memo();
    const byRefund = await connector.listAll<{ DocEntry: number }>(
      sapQuery('CreditNotes')
        .select('DocEntry')
        .filter((f) => f.eq('U_JLM_RefundId', 'R-313')),
    );
    expect(byRefund.map((r) => r.DocEntry)).toEqual([document.docEntry]);
    const byOrder = (set: 'Invoices' | 'CreditNotes') =>
      connector.listAll<{ DocEntry: number }>(
        sapQuery(set)
          .select('DocEntry')
          .filter((f) => f.eq('U_JLM_OrderId', '000313-A')),
      );
    expect((await byOrder('CreditNotes')).map((r) => r.DocEntry)).toEqual([document.docEntry]);
    // The invoice was keyed without the order id.
    expect(await byOrder('Invoices')).toEqual([]);
  });
});
