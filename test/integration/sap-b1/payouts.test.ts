import Decimal from 'decimal.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FeeInvoiceDraft, PayoutPaymentDraft, Sap, SalesDocument } from '../../../electron/engine/connectors/ports/sap';
import type { SapConnector } from '../../../electron/engine/connectors/sap-b1';
import { asSap } from '../../support/sap';
import { startRig, type Rig } from './harness';

const ITEM = 'SKU000001'; // VAT group O1 (20 %)
const SUPPLIER = 'S-JLM'; // the marketplace as a supplier (seeded)
const CUSTOMER = 'C-JLM';
const FEES = '5400'; // Marketplace commission and fees
const CLEARING = '1250'; // Marketplace clearing
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const failure = (p: Promise<unknown>) => p.then(() => undefined).catch((e: unknown) => e as Record<string, unknown>);

/**
 * A payout posted into SAP through the port the settlement flow uses — the marketplace's fee invoice (an A/P Invoice of
 * G/L lines) and the payout (an Incoming Payment) — against the emulator over HTTP.
 */
describe('a payout posted into SAP', () => {
  let rig: Rig;
  let connector: SapConnector;
  let sap: Sap;
  beforeAll(async () => {
    rig = await startRig();
  });
  afterAll(() => rig.emulator.stop());
  beforeEach(async () => {
    rig.emulator.reset();
    connector = rig.connect();
    sap = asSap(connector);
    await sap.company.consoleFields({ create: true });
  });

  const feeDraft = (supplierReference: string, lines: FeeInvoiceDraft['lines'] = defaultFees): FeeInvoiceDraft => ({
    supplier: SUPPLIER,
    supplierReference,
    postingDate: '2026-11-30',
    remarks: `John Lewis Marketplace invoice ${supplierReference}`,
    lines,
  });
  const defaultFees: FeeInvoiceDraft['lines'] = [
    { account: FEES, description: 'Commission', net: new Decimal('12.50'), vatGroup: 'I1' },
    { account: FEES, description: 'Subscription', net: new Decimal('39.00'), vatGroup: 'I1' },
  ];

  /** A marketplace order delivered and invoiced in SAP at one gross price. */
  async function invoiced(orderId: string, gross: string): Promise<SalesDocument> {
    const { document: order } = await connector.orders.create({
      CardCode: CUSTOMER,
      NumAtCard: orderId,
      DocumentLines: [{ ItemCode: ITEM, Quantity: 1, PriceAfterVAT: new Decimal(gross), VatGroup: 'O1', WarehouseCode: '01' }],
      U_JLM_OrderId: orderId,
    });
    const dn = rig.emulator.despatch({ docEntry: order.DocEntry, carrier: 'DPD', trackingNumber: `T-${orderId}` });
    const { document } = await sap.invoices.create(
      {
        customer: CUSTOMER,
        customerReference: orderId,
        marketplaceOrderId: orderId,
        remarks: orderId,
        pricesIncludeVat: true,
        lines: [{ base: { kind: 'delivery-note', docEntry: dn.DocEntry as number, lineNum: 0 }, quantity: 1 }],
      },
      async () => undefined,
    );
    return document;
  }

  /** A refund: the whole invoice copied (`whole`), part of its line's value copied, or a line of its own (goodwill). */
  async function credited(invoice: SalesDocument, refundId: string, how: 'whole' | { copied: string } | { own: string }): Promise<SalesDocument> {
    const line =
      how === 'whole'
        ? { base: { kind: 'invoice' as const, docEntry: invoice.docEntry, lineNum: 0 }, quantity: 1, withoutStock: true }
        : 'copied' in how
          ? { base: { kind: 'invoice' as const, docEntry: invoice.docEntry, lineNum: 0 }, quantity: 1, unitPrice: new Decimal(how.copied), withoutStock: true }
          : { base: null, item: { itemCode: ITEM, vatGroup: 'O1', warehouse: '01' }, quantity: 1, unitPrice: new Decimal(how.own), withoutStock: true };
    const { document } = await sap.creditMemos.create(
      {
        customer: CUSTOMER,
        customerReference: invoice.customerReference!,
        marketplaceOrderId: invoice.marketplaceOrderId!,
        marketplaceRefundId: refundId,
        remarks: refundId,
        pricesIncludeVat: true,
        lines: [line],
      },
      async () => undefined,
    );
    return document;
  }

  /**
   * A billing cycle's documents: three orders invoiced (12.00, 30.00, 20.00); the first refunded in full and 6.00 of the
   * second refunded, both by credit memos copied from their invoices (SAP reconciles those with the invoice at once); a
   * 5.00 goodwill refund on the third as a line of its own (open until a payment applies it). The payout pays 39.00.
   */
  async function cycle() {
    const whole = await invoiced('000401-A', '12.00');
    const part = await invoiced('000402-A', '30.00');
    const goodwill = await invoiced('000403-A', '20.00');
    const memos = [
      await credited(whole, 'R-401', 'whole'),
      await credited(part, 'R-402', { copied: '6.00' }),
      await credited(goodwill, 'R-403', { own: '5.00' }),
    ];
    return { invoices: [whole, part, goodwill], memos };
  }

  const paymentDraft = (docs: Awaited<ReturnType<typeof cycle>>, amount = '39.00'): PayoutPaymentDraft => ({
    customer: CUSTOMER,
    reference: 'JLM-PAYOUT-2611',
    date: '2026-11-30',
    account: CLEARING,
    amount: new Decimal(amount),
    // What the marketplace paid and took back, document by document: 12 − 12 + 30 − 6 + 20 − 5.
    documents: [
      ...docs.invoices.map((d) => ({ kind: 'invoice' as const, docEntry: d.docEntry, amount: d.total })),
      ...docs.memos.map((d) => ({ kind: 'credit-memo' as const, docEntry: d.docEntry, amount: d.total })),
    ],
    remarks: 'John Lewis Marketplace payout, billing cycle 2611',
  });

  const paid = (set: 'Invoices' | 'CreditNotes', doc: SalesDocument) => {
    const d = rig.emulator.state.documents[set].get(doc.docEntry)!;
    return [d.PaidToDate, d.DocumentStatus];
  };

  it('the marketplace’s fees post as one A/P Invoice of G/L lines from the supplier, found again by its invoice number', async () => {
    for (const serviceLayerVersion of ['v2', 'v1'] as const) {
      rig.emulator.reset();
      sap = asSap(rig.connect({ serviceLayerVersion }));
      const { document, recovered } = await sap.payouts.createFeeInvoice(feeDraft('JLM-INV-2611'), async () => undefined);
      // (12.50 + 39.00) net and 20 % input VAT.
      expect([recovered, document.total.toFixed(2), document.cancelled]).toEqual([false, '61.80', false]);
      const stored = rig.emulator.state.documents.PurchaseInvoices.get(document.docEntry)!;
      expect([stored.DocType, stored.CardCode, stored.NumAtCard, stored.VatSum, stored.DocObjectCode]).toEqual([
        'dDocument_Service',
        SUPPLIER,
        'JLM-INV-2611',
        10.3,
        'oPurchaseInvoices',
      ]);
      expect((stored.DocumentLines as Record<string, unknown>[]).map((l) => [l.AccountCode, l.ItemDescription, l.LineTotal, l.TaxTotal, l.VatGroup])).toEqual([
        [FEES, 'Commission', 12.5, 2.5, 'I1'],
        [FEES, 'Subscription', 39, 7.8, 'I1'],
      ]);
      expect(await sap.payouts.findFeeInvoice(SUPPLIER, 'JLM-INV-2611')).toEqual(document);
      expect(await sap.payouts.findFeeInvoice(SUPPLIER, 'JLM-INV-2612')).toBeUndefined();
      // The same reference on another business partner is not the marketplace's invoice.
      expect(await sap.payouts.findFeeInvoice('S-OTHER', 'JLM-INV-2611')).toBeUndefined();
    }
  });

  it('SAP refuses a fee invoice on an unknown, title or frozen account, from a customer, or with an output VAT group, in its own words, and nothing is posted', async () => {
    const fee = (account: string, vatGroup = 'I1') => [{ account, description: 'Commission', net: new Decimal('12.50'), vatGroup }];
    const cases: [FeeInvoiceDraft, string][] = [
      [feeDraft('R-1', fee('9999')), 'G/L account is not valid [DocumentLines.AccountCode][line: 1]'],
      [feeDraft('R-2', fee('5000')), 'G/L account is not valid [DocumentLines.AccountCode][line: 1]'],
      [feeDraft('R-3', fee('5490')), 'G/L account is not valid [DocumentLines.AccountCode][line: 1]'],
      [{ ...feeDraft('R-4'), supplier: CUSTOMER }, "Invalid BP code [OPCH.CardCode] , 'C-JLM'"],
      [feeDraft('R-5', [...defaultFees, ...fee(FEES, 'O1')]), '10000180 - Invalid VAT Group [DocumentLines][line: 3]'],
    ];
    for (const [draft, words] of cases) {
      const err = await failure(sap.payouts.createFeeInvoice(draft, async () => undefined));
      expect(err).toMatchObject({ system: 'sap-b1', kind: 'business', outcomeUnknown: false, sapMessage: words });
    }
    expect(rig.emulator.state.documents.PurchaseInvoices.size).toBe(0);
    expect(rig.calls('POST', 'PurchaseInvoices')).toBe(cases.length);
  });

  it('the sides SAP keeps apart: no supplier on a Sales Order, no service Delivery Note; an A/P Invoice of items brings the goods in', async () => {
    expect(
      await failure(connector.orders.create({ CardCode: SUPPLIER, DocumentLines: [{ ItemCode: ITEM, Quantity: 1, Price: '10', WarehouseCode: '01' }] })),
    ).toMatchObject({ kind: 'business', sapMessage: "Invalid BP code [ORDR.CardCode] , 'S-JLM'" });
    expect(
      await failure(
        connector.deliveryNotes.create({ DocType: 'dDocument_Service', CardCode: CUSTOMER, DocumentLines: [{ AccountCode: '4000', LineTotal: '10' }] }),
      ),
    ).toMatchObject({ kind: 'business', code: '-5006' });
    const inStock = () => rig.emulator.state.items.get(ITEM)!.ItemWarehouseInfoCollection.find((w) => w.WarehouseCode === '01')!.InStock;
    const before = inStock();
    const { document } = await connector.purchaseInvoices.create({
      CardCode: SUPPLIER,
      NumAtCard: 'SUP-1',
      DocumentLines: [{ ItemCode: ITEM, Quantity: 3, Price: '4.00', WarehouseCode: '01' }],
    });
    // The supplier's input VAT group (I1, 20 %) where the item names none for purchases.
    expect([document.DocTotal.toFixed(2), document.VatSum.toFixed(2), inStock()]).toEqual(['14.40', '2.40', before + 3]);
  });

  it('a fee invoice whose answer was lost is found by its supplier reference and not posted twice', async () => {
    rig.emulator.addFault({ kind: 'loseResponse', method: 'POST', path: 'PurchaseInvoices', times: 1 });
    const { document, recovered } = await sap.payouts.createFeeInvoice(feeDraft('JLM-INV-2611'), () => sap.payouts.findFeeInvoice(SUPPLIER, 'JLM-INV-2611'));
    expect([recovered, document.total.toFixed(2)]).toEqual([true, '61.80']);
    expect(rig.calls('POST', 'PurchaseInvoices')).toBe(1);
    expect(rig.emulator.state.documents.PurchaseInvoices.size).toBe(1);
  });

  it('a fee invoice SAP commits after the client gave up is not sent again: unknown at first, then found by a later lookup', async () => {
    sap = asSap(rig.connect({ timeoutSeconds: 1 }));
    const lookup = () => sap.payouts.findFeeInvoice(SUPPLIER, 'JLM-INV-2611');
    rig.emulator.addFault({ kind: 'slowCommit', method: 'POST', path: 'PurchaseInvoices', times: 1, ms: 1_500 });
    const err = await failure(sap.payouts.createFeeInvoice(feeDraft('JLM-INV-2611'), lookup));
    expect(err).toMatchObject({ kind: 'transient', outcomeUnknown: true });
    expect(rig.emulator.state.documents.PurchaseInvoices.size).toBe(0);
    await sleep(800);
    expect((await lookup())?.total.toFixed(2)).toBe('61.80');
    expect(rig.calls('POST', 'PurchaseInvoices')).toBe(1);
    expect(rig.emulator.state.documents.PurchaseInvoices.size).toBe(1);
  });

  it('a credit memo copied from an open invoice is reconciled with it as SAP does; one of its own stays open for a payment', async () => {
    const { invoices, memos } = await cycle();
    expect(paid('Invoices', invoices[0]!)).toEqual([12, 'bost_Close']);
    expect(paid('CreditNotes', memos[0]!)).toEqual([12, 'bost_Close']);
    // 6.00 of the 30.00 settled (its one unit was copied, so its line is closed whatever is left to pay).
    expect(paid('Invoices', invoices[1]!)[0]).toBe(6);
    expect(paid('CreditNotes', memos[1]!)).toEqual([6, 'bost_Close']);
    expect(paid('Invoices', invoices[2]!)).toEqual([0, 'bost_Open']);
    expect(paid('CreditNotes', memos[2]!)).toEqual([0, 'bost_Open']);
  });

  it('the payout posts as one Incoming Payment applied to what SAP has open of its invoices and credit memos, found again by its reference', async () => {
    for (const serviceLayerVersion of ['v2', 'v1'] as const) {
      rig.emulator.reset();
      connector = rig.connect({ serviceLayerVersion });
      sap = asSap(connector);
      await sap.company.consoleFields({ create: true });
      const docs = await cycle();
      const { document, recovered } = await sap.payouts.createPayment(paymentDraft(docs), async () => undefined);
      expect([recovered, document.total.toFixed(2), document.cancelled]).toEqual([false, '39.00', false]);
      // Every document of the cycle is settled, and closed.
      for (const invoice of docs.invoices) expect(paid('Invoices', invoice)).toEqual([invoice.total.toNumber(), 'bost_Close']);
      for (const memo of docs.memos) expect(paid('CreditNotes', memo)).toEqual([memo.total.toNumber(), 'bost_Close']);
      // As SAP holds it: the transfer to the clearing account, applied to the open remainder of the part-refunded
      // invoice, the third invoice, and the goodwill credit memo as a negative amount.
      const raw = await connector.get<Record<string, unknown>>('IncomingPayments', document.docEntry);
      expect([raw.CardCode, raw.DocType, raw.TransferAccount, raw.TransferSum, raw.TransferReference, String(raw.TransferDate).slice(0, 10)]).toEqual([
        CUSTOMER,
        'rCustomer',
        CLEARING,
        39,
        'JLM-PAYOUT-2611',
        '2026-11-30',
      ]);
      expect((raw.PaymentInvoices as Record<string, unknown>[]).map((p) => [p.InvoiceType, p.DocEntry, p.SumApplied])).toEqual([
        ['it_Invoice', docs.invoices[1]!.docEntry, 24],
        ['it_Invoice', docs.invoices[2]!.docEntry, 20],
        ['it_CredItnote', docs.memos[2]!.docEntry, -5],
      ]);
      expect(await sap.payouts.findPayment(CUSTOMER, 'JLM-PAYOUT-2611')).toEqual(document);
      expect(await sap.payouts.findPayment(CUSTOMER, 'JLM-PAYOUT-2612')).toBeUndefined();
    }
  });

  it('a document SAP already settled otherwise is not paid again: nothing is sent and the failure says which', async () => {
    const docs = await cycle();
    // Finance paid the third invoice by hand before the payout was posted.
    await connector.incomingPayments.create({
      CardCode: CUSTOMER,
      TransferAccount: '1200',
      TransferSum: new Decimal('20.00'),
      PaymentInvoices: [{ DocEntry: docs.invoices[2]!.docEntry, InvoiceType: 'it_Invoice', SumApplied: new Decimal('20.00') }],
    });
    const err = await failure(sap.payouts.createPayment(paymentDraft(docs), async () => undefined));
    expect(err).toMatchObject({ system: 'sap-b1', kind: 'business', outcomeUnknown: false });
    expect(String(err?.message)).toContain(`Invoice ${docs.invoices[2]!.docNum} has 0.00 open of 20.00`);
    expect(rig.calls('POST', 'IncomingPayments')).toBe(1);
    expect(rig.emulator.state.payments.size).toBe(1);
  });

  it('SAP refuses a payment short of the documents it applies, or applying more than a document has open; a transfer above them leaves the rest on account', async () => {
    const docs = await cycle();
    const [, part, third] = docs.invoices;
    const body = (transfer: string, onPart: string) => ({
      CardCode: CUSTOMER,
      TransferAccount: CLEARING,
      TransferSum: new Decimal(transfer),
      PaymentInvoices: [
        { DocEntry: part!.docEntry, InvoiceType: 'it_Invoice' as const, SumApplied: new Decimal(onPart) },
        { DocEntry: third!.docEntry, InvoiceType: 'it_Invoice' as const, SumApplied: new Decimal('20.00') },
      ],
    });
    expect(await failure(connector.incomingPayments.create(body('43.99', '24.00')))).toMatchObject({
      kind: 'business',
      sapMessage: 'The documents applied exceed the payment total [ORCT.DocTotal]',
    });
    expect(await failure(connector.incomingPayments.create(body('44.01', '24.01')))).toMatchObject({
      kind: 'business',
      sapMessage: "The amount applied exceeds the document's open amount [PaymentInvoices][line: 1]",
    });
    // Nothing of a refused payment stays: no payment, nothing paid.
    expect(rig.emulator.state.payments.size).toBe(0);
    expect(paid('Invoices', third!)).toEqual([0, 'bost_Open']);

    const { entity } = await connector.incomingPayments.create(body('50.00', '24.00'));
    expect(entity.TransferSum).toBe(50);
    expect(paid('Invoices', part!)).toEqual([30, 'bost_Close']);
  });

  it('SAP refuses a payment to an unknown account or from the supplier, in its own words', async () => {
    const docs = await cycle();
    expect(await failure(sap.payouts.createPayment({ ...paymentDraft(docs), account: '9999' }, async () => undefined))).toMatchObject({
      kind: 'business',
      sapMessage: 'G/L account is not valid [ORCT.TrsfrAcct]',
    });
    expect(await failure(sap.payouts.createPayment({ ...paymentDraft(docs), customer: SUPPLIER }, async () => undefined))).toMatchObject({
      kind: 'business',
      sapMessage: "Invalid BP code [ORCT.CardCode] , 'S-JLM'",
    });
    expect(rig.emulator.state.payments.size).toBe(0);
  });

  it('a payment whose answer was lost is found by its reference and not posted twice', async () => {
    const docs = await cycle();
    rig.emulator.addFault({ kind: 'loseResponse', method: 'POST', path: 'IncomingPayments', times: 1 });
    const { document, recovered } = await sap.payouts.createPayment(paymentDraft(docs), () => sap.payouts.findPayment(CUSTOMER, 'JLM-PAYOUT-2611'));
    expect([recovered, document.total.toFixed(2)]).toEqual([true, '39.00']);
    expect(rig.calls('POST', 'IncomingPayments')).toBe(1);
    expect(rig.emulator.state.payments.size).toBe(1);
  });

  it('a payment SAP commits after the client gave up is not sent again: unknown at first, then found by a later lookup', async () => {
    const docs = await cycle();
    sap = asSap(rig.connect({ timeoutSeconds: 1 }));
    const lookup = () => sap.payouts.findPayment(CUSTOMER, 'JLM-PAYOUT-2611');
    rig.emulator.addFault({ kind: 'slowCommit', method: 'POST', path: 'IncomingPayments', times: 1, ms: 1_500 });
    const err = await failure(sap.payouts.createPayment(paymentDraft(docs), lookup));
    expect(err).toMatchObject({ kind: 'transient', outcomeUnknown: true });
    expect(rig.emulator.state.payments.size).toBe(0);
    await sleep(800);
    expect((await lookup())?.total.toFixed(2)).toBe('39.00');
    expect(rig.calls('POST', 'IncomingPayments')).toBe(1);
    expect(rig.emulator.state.payments.size).toBe(1);
  });

  it('a cancelled payment reopens its documents and is found as cancelled; the payout posted again is the one found', async () => {
    const docs = await cycle();
    const { document: first } = await sap.payouts.createPayment(paymentDraft(docs), async () => undefined);
    await connector.incomingPayments.cancel(first.docEntry);
    expect(paid('Invoices', docs.invoices[2]!)).toEqual([0, 'bost_Open']);
    expect(paid('Invoices', docs.invoices[1]!)[0]).toBe(6);
    expect(paid('CreditNotes', docs.memos[2]!)).toEqual([0, 'bost_Open']);
    // What SAP reconciled by itself stays reconciled.
    expect(paid('Invoices', docs.invoices[0]!)).toEqual([12, 'bost_Close']);
    expect(await sap.payouts.findPayment(CUSTOMER, 'JLM-PAYOUT-2611')).toMatchObject({ docEntry: first.docEntry, cancelled: true });
    const { document: second } = await sap.payouts.createPayment(paymentDraft(docs), async () => undefined);
    expect(await sap.payouts.findPayment(CUSTOMER, 'JLM-PAYOUT-2611')).toMatchObject({ docEntry: second.docEntry, cancelled: false });
  });
});
