import Decimal from 'decimal.js';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../electron/engine/engine';
import { cancelPayment } from '../../../emulators/sap-b1/documents';
import { tempDir } from '../../support/ports';
import { jumpingClock } from './engine-factory';
import { SKUS, reconcile, startSettlementWorld, type SettlementWorld } from './world';

const d = (v: unknown) => new Decimal(String(v));

/**
 * Finance posts a reconciled payout into SAP: the marketplace's commission and fees as one A/P Invoice from it as a
 * supplier, the payout as one Incoming Payment against the invoices net of the credit memos; exactly once. And the
 * cycle's export opens as a spreadsheet whose totals are the report's.
 */
describe('posting a payout and exporting it', () => {
  const tmp = tempDir('settlement-post-');
  let world: SettlementWorld;
  let finance: Engine;
  let cycleId: string;
  let amount: string;
  const posting = { enabled: true, supplierCode: 'S-JLM', feeAccount: '5400', inputVatGroup: 'I1', bankAccount: '1250' };

  beforeAll(async () => {
    world = await startSettlementWorld();
    const ops = world.engine({ ledgerFile: tmp.file('warehouse.db') });
    await ops.command('orders.preflight', { createFields: true, actor: 'test' });
    await ops.command('despatch.saveMapping', { sapCarrier: 'Royal Mail', carrierCode: 'ROYAL_MAIL', actor: 'test' });
    const orders = await world.shippedOrders(ops, 3, { skus: [SKUS[0]!], quantity: 1 });
    await world.run(ops, 'invoicing');
    world.jl.admin.refundFromBackOffice({ orderId: orders[0]!.orderId, lines: [{ orderLineId: orders[0]!.lines[0]!.orderLineId, amount: '5.00' }] });
    await world.run(ops, 'orders');
    await world.run(ops, 'returns');
    world.jl.admin.completeRefunds();
    world.jl.admin.chargeSubscription({ net: '35.00' });
    await ops.stop();
    const closed = world.jl.admin.closeBillingCycle()!;
    [cycleId, amount] = [closed.billingCycleId, closed.amount];
    finance = world.financeEngine({ ledgerFile: tmp.file('finance.db'), clock: jumpingClock() });
    await reconcile(finance);
  }, 180_000);
  afterAll(async () => {
    await finance?.stop();
    await world?.stop();
    tmp.cleanup();
  });

  it('refuses while posting is off, and says so', async () => {
    const { results } = await finance.command('payouts.post', { cycleIds: [cycleId], actor: 'Finance' });
    expect(results).toEqual([{ cycleId, outcome: 'refused', message: 'Posting payouts is switched off (Payouts → settings)' }]);
  });

  it('under dry run says what it would post and posts nothing', async () => {
    await finance.command('settings.update', { patch: { dryRun: true, settlement: { posting } }, actor: 'Finance' });
    const { results } = await finance.command('payouts.post', { cycleIds: [cycleId], actor: 'Finance' });
    expect(results[0]).toMatchObject({ outcome: 'would-post' });
    expect(results[0]!.message).toMatch(/an A\/P Invoice of .* from S-JLM .*an Incoming Payment of/);
    expect(world.sap.state.payments.size).toBe(0);
    await finance.command('settings.update', { patch: { dryRun: false }, actor: 'Finance' });
  });

  it('posts the fee invoice and the payment once: the payment is the invoices net of the credit memo, the fees are the marketplace’s', async () => {
    const detail = (await finance.query('payouts.get', { cycleId }))!;
    expect(detail.cycle).toMatchObject({ tieOut: 'ties', variances: 0, posted: null });
    // Two people press Post at the same moment: one posts, the other finds it.
    const [first, second] = await Promise.all([
      finance.command('payouts.post', { cycleIds: [cycleId, 'NO-SUCH-CYCLE'], actor: 'Finance' }),
      finance.command('payouts.post', { cycleIds: [cycleId], actor: 'Finance too' }),
    ]);
    expect(first.results.map((r) => r.outcome)).toEqual(['posted', 'refused']);
    expect(second.results.map((r) => r.outcome)).toEqual(['found']);

    const fees = [...world.sap.state.documents.PurchaseInvoices.values()];
    expect(fees).toHaveLength(1);
    // The A/P Invoice carries what the marketplace charged: commission, its VAT and the subscription with its VAT.
    const t = detail.totals;
    const charged = d(t.commission).plus(t.commissionVat).plus(t.subscription).neg();
    expect(d(fees[0]!.DocTotal).toFixed(2)).toBe(charged.toFixed(2));
    expect(fees[0]).toMatchObject({ CardCode: 'S-JLM', DocType: 'dDocument_Service' });

    const payments = [...world.sap.state.payments.values()];
    expect(payments).toHaveLength(1);
    const invoices = world.documents('Invoices').reduce((a, i) => a.plus(d(i.DocTotal)), new Decimal(0));
    const credits = world.documents('CreditNotes').reduce((a, c) => a.plus(d(c.DocTotal)), new Decimal(0));
    expect(d(payments[0]!.TransferSum).toFixed(2)).toBe(invoices.minus(credits).toFixed(2));
    // What the bank shows: the payment less the fees the marketplace kept.
    expect(d(payments[0]!.TransferSum).minus(charged).toFixed(2)).toBe(d(amount).toFixed(2));
    // The invoices are paid.
    expect(world.documents('Invoices').every((i) => i.DocumentStatus === 'bost_Close')).toBe(true);

    const { rows } = await finance.query('payouts.list', { filter: 'not-posted' });
    expect(rows).toHaveLength(0);
    // Again: found, nothing more posted.
    const again = await finance.command('payouts.post', { cycleIds: [cycleId], actor: 'Finance' });
    expect(again.results[0]!.outcome).toBe('found');
    expect(world.sap.state.payments.size).toBe(1);
    expect(world.sap.state.documents.PurchaseInvoices.size).toBe(1);
  });

  it('posts the payment again once finance has cancelled it in SAP (a reversal), and not the fee invoice that still stands', async () => {
    const [payment] = [...world.sap.state.payments.values()];
    cancelPayment(world.sap.state, Number(payment!.DocEntry));
    const { results } = await finance.command('payouts.post', { cycleIds: [cycleId], actor: 'Finance' });
    expect(results[0]!.outcome).toBe('posted');
    const payments = [...world.sap.state.payments.values()];
    expect(payments.filter((p) => p.Cancelled !== 'tYES')).toHaveLength(1);
    expect(payments).toHaveLength(2);
    expect(world.sap.state.documents.PurchaseInvoices.size).toBe(1);
    // And while the new payment stands, posting again finds it.
    expect((await finance.command('payouts.post', { cycleIds: [cycleId], actor: 'Finance' })).results[0]!.outcome).toBe('found');
    expect(world.sap.state.payments.size).toBe(2);
  });

  it('exports the cycle as a spreadsheet whose totals are the report’s, and as CSV', async () => {
    const detail = (await finance.query('payouts.get', { cycleId }))!;
    const xlsx = await finance.query('payouts.export', { cycleId, format: 'xlsx' });
    expect(xlsx.fileName).toMatch(/\.xlsx$/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(xlsx.base64, 'base64') as unknown as ArrayBuffer);
    const lines = book.getWorksheet('Lines')!;
    let total = new Decimal(0);
    const amountColumn = (lines.getRow(1).values as unknown[]).indexOf('Amount');
    lines.eachRow((row, n) => {
      if (n > 1 && row.getCell(amountColumn).value !== null) total = total.plus(String(row.getCell(amountColumn).value));
    });
    // Every line, the payout included, sums to zero; without the payout, to the net payout.
    expect(total.toFixed(2)).toBe('0.00');
    expect(book.getWorksheet('Summary')).toBeDefined();
    expect(detail.totals.netPayout).toBe(d(amount).toFixed(2));
    const csv = await finance.query('payouts.export', { cycleId, format: 'csv' });
    const text = Buffer.from(csv.base64, 'base64').toString('utf8');
    expect(text.split('\n').filter((l) => l.trim()).length - 1).toBe((await finance.query('payouts.lines', { cycleId, limit: 500 })).total);
  });
});
