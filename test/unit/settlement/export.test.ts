import { parse } from 'csv-parse/sync';
import Decimal from 'decimal.js';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { PayoutLine, PayoutSummary, PayoutTotals } from '../../../shared/contract/settlement';
import { buildPayoutExport, type CycleForExport } from '../../../electron/engine/flows/settlement/export';

const ZERO_TOTALS: PayoutTotals = {
  month: null,
  sales: '0.00',
  shipping: '0.00',
  vat: '0.00',
  refunds: '0.00',
  commission: '0.00',
  commissionVat: '0.00',
  subscription: '0.00',
  otherFees: '0.00',
  reserve: '0.00',
  netPayout: '0.00',
};
const totals = (t: Partial<PayoutTotals>): PayoutTotals => ({ ...ZERO_TOTALS, ...t });

function summary(overrides: Partial<PayoutSummary>): PayoutSummary {
  return {
    cycleId: 'C-2026-11',
    startDate: '2026-11-16T00:00:00Z',
    endDate: '2026-12-15T23:59:59Z',
    currency: 'GBP',
    amountTransferred: '92.00',
    payoutReference: 'PAY-7781',
    tieOut: 'ties',
    tieOutDifference: null,
    variances: 1,
    unpaidInSap: 0,
    read: { lines: 7, pages: 1, done: true },
    reconciledAt: '2026-12-16T06:00:00Z',
    posted: { purchaseInvoiceDocNum: 901, paymentDocNum: 902, at: '2026-12-16T07:00:00Z' },
    ...overrides,
  };
}

function line(overrides: Partial<PayoutLine>): PayoutLine {
  return {
    lineId: 'L1',
    kind: 'sale',
    typeCode: 'ORDER_AMOUNT',
    amount: '0.00',
    paymentState: 'paid',
    date: '2026-11-20T10:00:00Z',
    month: '2026-11',
    orderId: null,
    numAtCard: null,
    refundId: null,
    class: 'matched',
    sapDocument: null,
    difference: null,
    ...overrides,
  };
}

const invoice = (docNum: number) => ({ kind: 'invoice' as const, docEntry: docNum + 1000, docNum });

/** A cycle across the month end: November's sale and commission, December's sale a penny short in SAP and a refund, and the payout. */
const NOVEMBER_CYCLE: CycleForExport = {
  cycle: summary({}),
  totals: totals({ sales: '110.00', vat: '20.00', refunds: '-20.00', commission: '-15.00', commissionVat: '-3.00', netPayout: '92.00' }),
  months: [
    totals({ month: '2026-11', sales: '100.00', vat: '20.00', commission: '-15.00', commissionVat: '-3.00', netPayout: '102.00' }),
    totals({ month: '2026-12', sales: '10.00', refunds: '-20.00', netPayout: '-10.00' }),
  ],
  lines: [
    line({ lineId: 'L1', amount: '100.00', orderId: '000000301-A', numAtCard: '000000301', sapDocument: invoice(501) }),
    line({ lineId: 'L2', kind: 'sale-vat', typeCode: 'ORDER_AMOUNT_TAX', amount: '20.00', orderId: '000000301-A', sapDocument: invoice(501) }),
    line({ lineId: 'L3', kind: 'commission', typeCode: 'COMMISSION_FEE', amount: '-15.00', class: 'fee' }),
    line({ lineId: 'L4', kind: 'commission-vat', typeCode: 'COMMISSION_VAT', amount: '-3.00', class: 'fee' }),
    line({
      lineId: 'L5',
      amount: '10.00',
      // 00:30 on 1 December in the UK: December's.
      date: '2026-12-01T00:30:00Z',
      month: '2026-12',
      orderId: '000000302-A',
      class: 'amount-differs',
      sapDocument: invoice(502),
      difference: { net: '-0.01', vat: '0.00' },
    }),
    line({
      lineId: 'L6',
      kind: 'refund',
      typeCode: 'REFUND_ORDER_AMOUNT',
      amount: '-20.00',
      date: '2026-12-03T09:00:00Z',
      month: '2026-12',
      orderId: '000000301-A',
      refundId: 'R-9001',
      sapDocument: { kind: 'credit-memo', docEntry: 77, docNum: 77 },
    }),
    line({ lineId: 'L7', kind: 'payment', typeCode: 'PAYMENT', amount: '-92.00', date: '2026-12-16T05:00:00Z', month: '2026-12', class: 'payment' }),
  ],
};

/** The next cycle: December's sale and commission, and a payout dated in January. */
const DECEMBER_CYCLE: CycleForExport = {
  cycle: summary({
    cycleId: 'C-2026-12',
    startDate: '2026-12-16T00:00:00Z',
    endDate: '2027-01-15T23:59:59Z',
    amountTransferred: '34.00',
    tieOut: 'differs',
    tieOutDifference: '0.01',
    variances: 0,
    posted: null,
  }),
  totals: totals({ sales: '40.00', commission: '-6.00', netPayout: '34.00' }),
  months: [totals({ month: '2026-12', sales: '40.00', commission: '-6.00', netPayout: '34.00' })],
  lines: [
    line({ lineId: 'M1', amount: '40.00', date: '2026-12-20T12:00:00Z', month: '2026-12', orderId: '000000400-A', sapDocument: invoice(600) }),
    line({ lineId: 'M2', kind: 'commission', typeCode: 'COMMISSION_FEE', amount: '-6.00', date: '2026-12-20T12:00:00Z', month: '2026-12', class: 'fee' }),
    line({ lineId: 'M3', kind: 'payment', typeCode: 'PAYMENT', amount: '-34.00', date: '2027-01-16T05:00:00Z', month: '2027-01', class: 'payment' }),
  ],
};

async function readBack(buffer: Buffer) {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(buffer as unknown as ArrayBuffer);
  const sheet = (name: string) => {
    const s = book.getWorksheet(name);
    if (!s) throw new Error(`no sheet ${name}`);
    const headers = (s.getRow(1).values as unknown[]).slice(1).map(String);
    const rows: Record<string, ExcelJS.Cell>[] = [];
    for (let r = 2; r <= s.rowCount; r++) rows.push(Object.fromEntries(headers.map((h, i) => [h, s.getRow(r).getCell(i + 1)])));
    return { headers, rows };
  };
  return { names: book.worksheets.map((w) => w.name), summary: sheet('Summary'), lines: sheet('Lines') };
}

/** Σ of cells holding amounts, exactly: each is read as the two-decimal figure it shows. */
const sumOf = (cells: ExcelJS.Cell[]) => cells.reduce((s, c) => s.plus(new Decimal(c.value as number).toFixed(2)), new Decimal(0)).toFixed(2);

describe('Payouts export: the spreadsheet finance opens', () => {
  it('a cycle: a Summary sheet with its dates, transfer, tie-out and totals, then one row per month, and a Lines sheet that adds up to them', async () => {
    const file = await buildPayoutExport('xlsx', { cycleId: 'C-2026-11' }, [NOVEMBER_CYCLE]);
    expect(file.fileName).toBe('payouts-cycle-C-2026-11.xlsx');
    expect(file.contentType).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const { names, summary: s, lines } = await readBack(file.buffer);
    expect(names).toEqual(['Summary', 'Lines']);

    expect(s.rows).toHaveLength(3);
    const [cycle, november, december] = s.rows as [Record<string, ExcelJS.Cell>, Record<string, ExcelJS.Cell>, Record<string, ExcelJS.Cell>];
    expect(cycle.Cycle!.value).toBe('C-2026-11');
    expect(cycle.Start!.value).toEqual(new Date('2026-11-16T00:00:00Z'));
    expect(cycle.End!.value).toEqual(new Date('2026-12-15T00:00:00Z'));
    expect(cycle['Amount transferred']!.value).toBe(92);
    expect(cycle['Amount transferred']!.numFmt).toBe('0.00');
    expect(cycle['Tie-out']!.value).toBe('Ties');
    expect(cycle.Posted!.value).toBe('A/P Invoice 901, Incoming Payment 902');
    expect(cycle.Sales!.value).toBe(110);
    expect(cycle['Commission VAT']!.value).toBe(-3);
    expect(cycle['Net payout']!.value).toBe(92);
    expect(cycle['Net payout']!.numFmt).toBe('0.00');
    expect(november.Month!.value).toEqual(new Date('2026-11-01T00:00:00Z'));
    expect(november['Net payout']!.value).toBe(102);
    expect(december.Month!.value).toEqual(new Date('2026-12-01T00:00:00Z'));
    expect(december['Net payout']!.value).toBe(-10);

    // The lines tie out to the summary: Σ of every line but the payout is the net payout, per cycle and per month.
    expect(lines.rows).toHaveLength(7);
    const notPayment = lines.rows.filter((r) => r.Kind!.value !== 'payment');
    expect(sumOf(notPayment.map((r) => r.Amount!))).toBe(new Decimal(cycle['Net payout']!.value as number).toFixed(2));
    expect(sumOf(lines.rows.map((r) => r.Amount!))).toBe('0.00');
    for (const month of [november, december]) {
      const first = month.Month!.value as Date;
      const ofMonth = notPayment.filter((r) => (r.Month!.value as Date).getTime() === first.getTime());
      expect(sumOf(ofMonth.map((r) => r.Amount!))).toBe(new Decimal(month['Net payout']!.value as number).toFixed(2));
    }

    const penny = lines.rows.find((r) => r.Line!.value === 'L5')!;
    expect(penny.Amount!.value).toBe(10);
    expect(penny.Amount!.numFmt).toBe('0.00');
    expect(penny.Date!.value).toEqual(new Date('2026-12-01T00:30:00Z'));
    expect(penny.Date!.type).toBe(ExcelJS.ValueType.Date);
    expect(penny.Class!.value).toBe('amount-differs');
    expect(penny['SAP document']!.value).toBe('A/R Invoice');
    expect(penny['SAP number']!.value).toBe(502);
    expect(penny['Difference net']!.value).toBe(-0.01);
    expect(penny['Difference net']!.numFmt).toBe('0.00');
    const refund = lines.rows.find((r) => r.Line!.value === 'L6')!;
    expect([refund.Refund!.value, refund['SAP document']!.value, refund['SAP number']!.value]).toEqual(['R-9001', 'Credit Memo', 77]);
  });

  it('a month: only that month’s lines from every cycle, each cycle’s part of the month, and the month’s total', async () => {
    const file = await buildPayoutExport('xlsx', { month: '2026-12' }, [NOVEMBER_CYCLE, DECEMBER_CYCLE]);
    expect(file.fileName).toBe('payouts-2026-12.xlsx');
    const { summary: s, lines } = await readBack(file.buffer);

    expect(lines.rows.map((r) => r.Line!.value)).toEqual(['L5', 'L6', 'L7', 'M1', 'M2']);
    expect(s.rows.map((r) => [r.Cycle!.value, r['Net payout']!.value])).toEqual([
      ['C-2026-11', -10],
      ['C-2026-12', 34],
      ['Total', 24],
    ]);
    expect(s.rows[1]!['Tie-out difference']!.value).toBe(0.01);
    expect(s.rows[1]!.Posted!.value).toBeNull();
    const total = s.rows[2]!;
    expect(total.Sales!.value).toBe(50);
    expect(total.Refunds!.value).toBe(-20);
    const notPayment = lines.rows.filter((r) => r.Kind!.value !== 'payment');
    expect(sumOf(notPayment.map((r) => r.Amount!))).toBe(new Decimal(total['Net payout']!.value as number).toFixed(2));
  });

  it('a line’s date is the UK date and time, in summer too: 23:30 UTC on 30 June is 1 July 00:30', async () => {
    const summer: CycleForExport = {
      ...DECEMBER_CYCLE,
      lines: [line({ lineId: 'S1', amount: '12.34', date: '2026-06-30T23:30:00Z', month: '2026-07' })],
    };
    const xlsx = await readBack((await buildPayoutExport('xlsx', { cycleId: 'C-2026-12' }, [summer])).buffer);
    expect(xlsx.lines.rows[0]!.Date!.value).toEqual(new Date('2026-07-01T00:30:00Z'));
    const csv = parse((await buildPayoutExport('csv', { cycleId: 'C-2026-12' }, [summer])).buffer, { columns: true, bom: true }) as Record<string, string>[];
    expect(csv[0]!.Date).toBe('2026-07-01 00:30:00');
  });

  it('CSV: the lines under one header row, amounts with two decimals', async () => {
    const file = await buildPayoutExport('csv', { cycleId: 'C-2026-11' }, [NOVEMBER_CYCLE]);
    expect(file.fileName).toBe('payouts-cycle-C-2026-11.csv');
    expect(file.contentType).toBe('text/csv; charset=utf-8');
    const records = parse(file.buffer, { bom: true }) as string[][];
    expect(records[0]).toEqual([
      'Cycle',
      'Line',
      'Date',
      'Month',
      'Kind',
      'Type code',
      'Amount',
      'Currency',
      'Payment state',
      'Class',
      'Order',
      "Customer's number",
      'Refund',
      'SAP document',
      'SAP number',
      'Difference net',
      'Difference VAT',
    ]);
    expect(records).toHaveLength(8);
    expect(records[1]).toEqual([
      'C-2026-11',
      'L1',
      '2026-11-20 10:00:00',
      '2026-11',
      'sale',
      'ORDER_AMOUNT',
      '100.00',
      'GBP',
      'paid',
      'matched',
      '000000301-A',
      '000000301',
      '',
      'A/R Invoice',
      '501',
      '',
      '',
    ]);
    expect(records[5]!.slice(6, 7)).toEqual(['10.00']);
    expect(records[5]!.slice(15)).toEqual(['-0.01', '0.00']);
    const sum = records.slice(1).reduce((s, r) => s.plus(r[6]!), new Decimal(0));
    expect(sum.toFixed(2)).toBe('0.00');
  });
});
