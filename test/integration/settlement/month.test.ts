import Decimal from 'decimal.js';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../electron/engine/engine';
import type { PayoutLine } from '../../../shared/contract/settlement';
import { tempDir } from '../../support/ports';
import { createFinanceEngine } from '../returns/engine-factory';
import { SKUS, startSettlementWorld, type SettlementWorld } from './world';

const ORDERS = 2000;
const REFUNDS = 40;
const d = (v: unknown) => new Decimal(String(v ?? 0));

/**
 * A month of a shop on two PCs: the warehouse office's console posts 2,000 orders, their invoices and 40 refunds'
 * credit memos; a finance console (role finance, its own ledger) reconciles the month's payout. Planted: one invoice
 * missing in SAP, one a penny off, one refund paid but never credited, one line in the next month. The report finds
 * exactly those; the spreadsheet's totals are the report's; the two consoles never make a document twice.
 */
describe('a month of payouts reconciled on a finance PC beside the warehouse PC', () => {
  const tmp = tempDir('settlement-month-');
  let world: SettlementWorld;
  let ops: Engine;
  let finance: Engine;
  let cycleId: string;
  let missingInvoice: string, pennyOff: string, uncredited: string;
  let uncreditedRefund: string;
  let nextMonthLine: string;

  const allLines = async (): Promise<PayoutLine[]> => {
    const out: PayoutLine[] = [];
    for (let offset = 0; ; offset += 500) {
      const page = await finance.query('payouts.lines', { cycleId, limit: 500, offset });
      out.push(...page.rows);
      if (out.length >= page.total) return out;
    }
  };

  beforeAll(async () => {
    world = await startSettlementWorld({ offerQuantity: 1_000_000 });
    for (const sku of SKUS) for (const whs of ['01', '02']) world.sap.setStock(sku, whs, 1_000_000);
    ops = world.engine({ ledgerFile: tmp.file('warehouse.db'), role: 'operations' });
    await ops.command('orders.preflight', { createFields: true, actor: 'test' });
    await ops.command('despatch.saveMapping', { sapCarrier: 'Royal Mail', carrierCode: 'ROYAL_MAIL', actor: 'test' });
    const orders = await world.shippedOrders(ops, ORDERS, { skus: [SKUS[0]!, SKUS[1]!], quantity: 1 });
    await world.run(ops, 'invoicing');
    expect(world.documents('Invoices')).toHaveLength(ORDERS);

    // 40 refunds from the back office, credited by the warehouse console; one more paid back and never credited.
    for (const o of orders.slice(0, REFUNDS))
      world.jl.admin.refundFromBackOffice({ orderId: o.orderId, lines: [{ orderLineId: o.lines[0]!.orderLineId, amount: '3.00' }] });
    await world.run(ops, 'orders');
    await world.run(ops, 'returns');
    expect(world.documents('CreditNotes')).toHaveLength(REFUNDS);
    uncredited = orders[REFUNDS]!.orderId;
    uncreditedRefund = world.jl.admin.refundFromBackOffice({
      orderId: uncredited,
      lines: [{ orderLineId: orders[REFUNDS]!.lines[0]!.orderLineId, amount: '2.00' }],
    }).refunds[0]!.refundId;
    world.jl.admin.completeRefunds();

    // Planted in SAP: one invoice gone, one a penny more.
    missingInvoice = orders[ORDERS - 1]!.orderId;
    const gone = world.documents('Invoices', missingInvoice)[0]!;
    world.sap.state.documents.Invoices.delete(gone.DocEntry as number);
    pennyOff = orders[ORDERS - 2]!.orderId;
    const off = world.documents('Invoices', pennyOff)[0]!;
    off.DocTotal = d(off.DocTotal).plus('0.01').toNumber();

    // The month's subscription is charged on the 1st of next month, inside the cycle.
    const nextMonth = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() + 1, 1, 9));
    nextMonthLine = world.jl.admin.chargeSubscription({ net: '35.00', at: nextMonth.toISOString() })[0]!.id;
    cycleId = world.jl.admin.closeBillingCycle({
      endAt: new Date(nextMonth.getTime() + 3_600_000).toISOString(),
      paidAt: new Date(nextMonth.getTime() + 7_200_000).toISOString(),
    })!.billingCycleId;

    // The finance PC: its own ledger, role finance; its settings still have the sync flows on, and it runs none of them.
    finance = createFinanceEngine({
      sapUrl: world.sap.url,
      marketplaceUrl: world.jl.url,
      marketplaceKey: world.jl.apiKey,
      returnsWarehouse: world.returnsWarehouse,
      ledgerFile: tmp.file('finance.db'),
      role: 'finance',
      flows: ['orders', 'despatch', 'invoicing', 'returns', 'settlement'],
    });
  }, 240_000);
  afterAll(async () => {
    await finance?.stop();
    await ops?.stop();
    await world?.stop();
    tmp.cleanup();
  });

  it('the two PCs side by side: the finance PC runs only settlement and nothing in SAP is made twice', { timeout: 120_000 }, async () => {
    // The warehouse PC's returns flow is off now, so the refund planted as never credited stays so.
    await ops.command('settings.update', { patch: { flows: { returns: { enabled: false } } }, actor: 'test' });
    const before = {
      invoices: world.documents('Invoices').length,
      memos: world.documents('CreditNotes').length,
      orders: world.sap.state.documents.Orders.size,
    };
    for (let i = 0; i < 2; i++) await Promise.all([ops.runOnce(), finance.runOnce()]);
    expect(finance.status().flows.map((f) => f.flow)).toEqual(['health', 'settlement']);
    const financeRuns = await finance.query('runs.list', { limit: 50 });
    expect([...new Set(financeRuns.map((r) => r.flow))].sort()).toEqual(['health', 'settlement']);
    expect(world.sap.state.documents.Orders.size).toBe(before.orders);
    expect(world.documents('CreditNotes')).toHaveLength(before.memos);
    const perOrder = new Map<string, number>();
    for (const inv of world.documents('Invoices')) perOrder.set(String(inv.U_JLM_OrderId), (perOrder.get(String(inv.U_JLM_OrderId)) ?? 0) + 1);
    expect([...perOrder.values()].filter((n) => n > 1)).toEqual([]);
    expect(before.invoices).toBe(ORDERS - 1);
  });

  it('finds exactly the planted differences, ties the payout out, and carries the next month’s line to that month', { timeout: 120_000 }, async () => {
    await finance.command('payouts.reconcile', { cycleId, actor: 'Finance' });
    await finance.idle();
    await finance.command('payouts.reconcile', { actor: 'Finance' });
    await finance.idle();
    const detail = (await finance.query('payouts.get', { cycleId }))!;
    expect(detail.cycle).toMatchObject({ tieOut: 'ties', read: { done: true } });

    const lines = await allLines();
    const flagged = lines.filter((l) => l.class === 'missing-in-sap' || l.class === 'amount-differs');
    const byOrder = [...new Set(flagged.map((l) => `${l.class}:${l.orderId}`))].sort();
    expect(byOrder).toEqual([`amount-differs:${pennyOff}`, `missing-in-sap:${missingInvoice}`, `missing-in-sap:${uncredited}`].sort());
    expect(flagged.filter((l) => l.orderId === uncredited).every((l) => l.refundId === uncreditedRefund)).toBe(true);
    const penny = flagged.filter((l) => l.orderId === pennyOff && l.difference);
    // SAP's total is a penny more than the marketplace pays (shown net and VAT apart).
    expect(penny.map((l) => d(l.difference!.net).plus(l.difference!.vat).toFixed(2))).toEqual(['0.01']);
    expect(lines.filter((l) => l.class === null)).toEqual([]);
    // Every other sale and refund line is matched with its document.
    const salesAndRefunds = lines.filter((l) =>
      ['sale', 'sale-vat', 'shipping', 'shipping-vat', 'refund', 'refund-vat', 'refund-shipping', 'refund-shipping-vat'].includes(l.kind),
    );
    expect(salesAndRefunds.length).toBeGreaterThan(ORDERS * 2);
    expect(salesAndRefunds.filter((l) => l.class !== 'matched').length).toBe(flagged.length);
    expect(detail.cycle.variances).toBeGreaterThan(0);

    // The subscription dated next month counts in next month's totals, and nowhere else.
    const subscription = lines.find((l) => l.lineId === nextMonthLine)!;
    expect(subscription.class).toBe('fee');
    const months = detail.months.map((m) => m.month);
    expect(months).toHaveLength(2);
    expect(detail.months.find((m) => m.month === subscription.month)!.subscription).toBe(
      d(subscription.amount)
        .plus(lines.find((l) => l.kind === 'subscription-vat')!.amount)
        .toFixed(2),
    );
    expect(detail.months.reduce((a, m) => a.plus(m.netPayout), new Decimal(0)).toFixed(2)).toBe(detail.totals.netPayout);
  });

  it('the spreadsheet read back: its lines and its summary total what the report does', { timeout: 60_000 }, async () => {
    const detail = (await finance.query('payouts.get', { cycleId }))!;
    const file = await finance.query('payouts.export', { cycleId, format: 'xlsx' });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(file.base64, 'base64') as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('Lines')!;
    const header = sheet.getRow(1).values as unknown[];
    const [amountAt, kindAt] = [header.indexOf('Amount'), header.findIndex((h) => typeof h === 'string' && /kind|type/i.test(h))];
    let net = new Decimal(0);
    let count = 0;
    sheet.eachRow((row, n) => {
      if (n === 1) return;
      count++;
      const kind = String(row.getCell(kindAt).value ?? '');
      if (!/payment|payout/i.test(kind)) net = net.plus(String(row.getCell(amountAt).value ?? 0));
    });
    expect(count).toBe((await finance.query('payouts.lines', { cycleId, limit: 1 })).total);
    expect(net.toFixed(2)).toBe(detail.totals.netPayout);
    const summary = book.getWorksheet('Summary')!;
    const cells: string[] = [];
    summary.eachRow((row) => row.eachCell((c) => void cells.push(String(c.value))));
    expect(cells).toContain(String(Number(detail.totals.netPayout)));
  });
});
