import Decimal from 'decimal.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Sap, SalesDocument } from '../../../electron/engine/connectors/ports/sap';
import type { SapConnector } from '../../../electron/engine/connectors/sap-b1';
import { asSap } from '../../support/sap';
import { startRig, type Rig } from './harness';

const PLAIN_ITEM = 'SKU000001'; // VAT group O1 (20 %)
const OTHER_ITEM = 'SKU000002';

/**
 * A/R Invoices, Credit Memos and Returns copied from their base documents, through the SAP port the flows use,
 * against the emulator over HTTP.
 */
describe('SAP documents copied from base documents: invoices', () => {
  let rig: Rig;
  let connector: SapConnector;
  let sap: Sap;
  beforeAll(async () => {
    rig = await startRig();
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
  async function delivered(orderId: string, lines: { item: string; quantity: number; gross: string }[]): Promise<SalesDocument> {
    const { document: order } = await connector.orders.create({
      CardCode: 'C-JLM',
      NumAtCard: orderId.replace(/-A$/, ''),
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
});
