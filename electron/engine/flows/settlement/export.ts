import { stringify } from 'csv-stringify/sync';
import Decimal from 'decimal.js';
import ExcelJS from 'exceljs';
import { PassThrough } from 'node:stream';
import type { PayoutLine, PayoutSummary, PayoutTotals } from '../../../../shared/contract/settlement';

/**
 * The Payouts export: one billing cycle, or one month across cycles, as the file finance opens in a spreadsheet.
 * Pure: it takes the contract's rows and returns the file; the `payouts.export` handler reads the rows from the ledger
 * and sends the buffer base64-encoded.
 *
 * - XLSX: a **Summary** sheet (one row per cycle with its dates, amount transferred, tie-out and totals, then one row
 *   per month its lines belong to) and a **Lines** sheet (one row per line). Amounts are numbers shown with two
 *   decimals (`0.00`); dates are real dates in UK time, so a spreadsheet sorts, filters and sums them.
 * - CSV: the lines, one header row (what an accounting package imports).
 */

/** One cycle as `payouts.get` answers it, with its lines (`payouts.lines`, every page). */
export interface CycleForExport {
  cycle: PayoutSummary;
  /** The whole cycle's totals (month null). */
  totals: PayoutTotals;
  /** Its totals per month the lines belong to. */
  months: readonly PayoutTotals[];
  lines: readonly PayoutLine[];
}

/**
 * What the file covers. A cycle: pass that one cycle. A month (YYYY-MM): pass every cycle with lines in that month,
 * with all their lines; the file keeps only that month's lines and each cycle's totals for that month, and adds the
 * month's total across cycles.
 */
export type ExportScope = { cycleId: string } | { month: string };

export interface PayoutExportFile {
  fileName: string;
  contentType: string;
  buffer: Buffer;
}

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';

const OFFICE_TIME_ZONE = 'Europe/London';
const MONEY_FORMAT = '0.00';
const DATE_FORMAT = 'dd/mm/yyyy';
const DATE_TIME_FORMAT = 'dd/mm/yyyy hh:mm';
const MONTH_FORMAT = 'mmm yyyy';

/** The totals' columns, in the order finance books them. */
const TOTAL_COLUMNS = [
  ['sales', 'Sales'],
  ['shipping', 'Shipping'],
  ['vat', 'VAT'],
  ['refunds', 'Refunds'],
  ['commission', 'Commission'],
  ['commissionVat', 'Commission VAT'],
  ['subscription', 'Subscription'],
  ['otherFees', 'Other fees'],
  ['reserve', 'Reserve'],
  ['netPayout', 'Net payout'],
] as const satisfies readonly (readonly [keyof PayoutTotals, string])[];

const TIE_OUT_WORDS: Record<PayoutSummary['tieOut'], string> = { 'not-read': 'Not read', reading: 'Being read', ties: 'Ties', differs: 'Differs' };
const SAP_DOCUMENT_WORDS = { invoice: 'A/R Invoice', 'credit-memo': 'Credit Memo' } as const;

/** Builds the file for one cycle or one month; see ExportScope for which cycles to pass. */
export async function buildPayoutExport(format: 'csv' | 'xlsx', scope: ExportScope, cycles: readonly CycleForExport[]): Promise<PayoutExportFile> {
  const chosen = inScope(scope, cycles);
  const name = 'cycleId' in scope ? `payouts-cycle-${safeName(scope.cycleId)}` : `payouts-${scope.month}`;
  if (format === 'csv') return { fileName: `${name}.csv`, contentType: CSV_CONTENT_TYPE, buffer: csvOf(chosen) };
  return { fileName: `${name}.xlsx`, contentType: XLSX_CONTENT_TYPE, buffer: await xlsxOf(scope, chosen) };
}

/** The cycles and lines the file covers: a month keeps its own lines and totals only. */
function inScope(scope: ExportScope, cycles: readonly CycleForExport[]): CycleForExport[] {
  if ('cycleId' in scope) return cycles.filter((c) => c.cycle.cycleId === scope.cycleId);
  return cycles
    .map((c) => ({ ...c, months: c.months.filter((m) => m.month === scope.month), lines: c.lines.filter((l) => l.month === scope.month) }))
    .filter((c) => c.months.length > 0 || c.lines.length > 0);
}

function csvOf(cycles: readonly CycleForExport[]): Buffer {
  const rows = cycles.flatMap(({ cycle, lines }) =>
    lines.map((l) => {
      const day = l.date ? ukParts(l.date) : null;
      return {
        cycle: cycle.cycleId,
        line: l.lineId,
        date: day ? `${day.date} ${day.time}` : (l.date ?? ''),
        month: l.month ?? '',
        kind: l.kind,
        typeCode: l.typeCode ?? '',
        amount: money(l.amount),
        currency: cycle.currency ?? '',
        paymentState: l.paymentState,
        class: l.class,
        orderId: l.orderId ?? '',
        numAtCard: l.numAtCard ?? '',
        refundId: l.refundId ?? '',
        sapDocument: l.sapDocument ? SAP_DOCUMENT_WORDS[l.sapDocument.kind] : '',
        sapDocNum: l.sapDocument ? String(l.sapDocument.docNum) : '',
        differenceNet: l.difference ? money(l.difference.net) : '',
        differenceVat: l.difference ? money(l.difference.vat) : '',
      };
    }),
  );
  const columns = LINE_COLUMNS.map(([key, header]) => ({ key, header }));
  // The byte-order mark makes Excel read the file as UTF-8.
  return Buffer.from(stringify(rows, { header: true, columns, bom: true }), 'utf8');
}

const LINE_COLUMNS = [
  ['cycle', 'Cycle'],
  ['line', 'Line'],
  ['date', 'Date'],
  ['month', 'Month'],
  ['kind', 'Kind'],
  ['typeCode', 'Type code'],
  ['amount', 'Amount'],
  ['currency', 'Currency'],
  ['paymentState', 'Payment state'],
  ['class', 'Class'],
  ['orderId', 'Order'],
  ['numAtCard', "Customer's number"],
  ['refundId', 'Refund'],
  ['sapDocument', 'SAP document'],
  ['sapDocNum', 'SAP number'],
  ['differenceNet', 'Difference net'],
  ['differenceVat', 'Difference VAT'],
] as const;

/**
 * Written with exceljs's streaming writer: each row is committed (turned into XML and zipped) as it is added, so a
 * month of 50,000 lines never holds a workbook model of them all in memory, only the file itself.
 */
async function xlsxOf(scope: ExportScope, cycles: readonly CycleForExport[]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const sink = new PassThrough();
  sink.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    sink.on('end', resolve);
    sink.on('error', reject);
  });
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink, useStyles: true, useSharedStrings: false });
  book.creator = 'Marketplace Console';
  summarySheet(book, scope, cycles);
  linesSheet(book, cycles);
  await book.commit();
  await ended;
  return Buffer.concat(chunks);
}

type Book = InstanceType<typeof ExcelJS.stream.xlsx.WorkbookWriter>;
type Sheet = ReturnType<Book['addWorksheet']>;

/** Adds a row and writes it out at once (the streaming writer keeps no rows once committed). */
function put(sheet: Sheet, values: Record<string, unknown>, bold = false): void {
  const row = sheet.addRow(values);
  if (bold) row.font = { bold: true };
  row.commit();
}

function summarySheet(book: Book, scope: ExportScope, cycles: readonly CycleForExport[]): void {
  const sheet = book.addWorksheet('Summary', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = [
    { header: 'Cycle', key: 'cycle', width: 16 },
    { header: 'Month', key: 'month', width: 10, style: { numFmt: MONTH_FORMAT } },
    { header: 'Start', key: 'start', width: 12, style: { numFmt: DATE_FORMAT } },
    { header: 'End', key: 'end', width: 12, style: { numFmt: DATE_FORMAT } },
    { header: 'Currency', key: 'currency', width: 9 },
    { header: 'Amount transferred', key: 'transferred', width: 14, style: { numFmt: MONEY_FORMAT } },
    { header: 'Payout reference', key: 'reference', width: 18 },
    { header: 'Tie-out', key: 'tieOut', width: 11 },
    { header: 'Tie-out difference', key: 'tieOutDifference', width: 14, style: { numFmt: MONEY_FORMAT } },
    { header: 'Variances', key: 'variances', width: 10 },
    { header: 'Unpaid in SAP', key: 'unpaid', width: 10 },
    { header: 'Posted', key: 'posted', width: 24 },
    ...TOTAL_COLUMNS.map(([key, header]) => ({ header, key, width: 13, style: { numFmt: MONEY_FORMAT } })),
  ];
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();

  const totalsOf = (t: PayoutTotals) => Object.fromEntries(TOTAL_COLUMNS.map(([key]) => [key, amount(t[key])]));
  for (const { cycle, totals, months } of cycles) {
    const head = {
      cycle: cycle.cycleId,
      start: cycle.startDate ? ukDate(cycle.startDate) : null,
      end: cycle.endDate ? ukDate(cycle.endDate) : null,
      currency: cycle.currency,
      transferred: cycle.amountTransferred === null ? null : amount(cycle.amountTransferred),
      reference: cycle.payoutReference,
      tieOut: TIE_OUT_WORDS[cycle.tieOut],
      tieOutDifference: cycle.tieOutDifference === null ? null : amount(cycle.tieOutDifference),
      variances: cycle.variances,
      unpaid: cycle.unpaidInSap,
      posted: postedWords(cycle.posted),
    };
    if ('month' in scope) {
      // One row per cycle: its part of the month.
      const part = months[0];
      put(sheet, { ...head, month: monthDate(scope.month), ...(part ? totalsOf(part) : {}) });
      continue;
    }
    put(sheet, { ...head, month: null, ...totalsOf(totals) });
    for (const m of months) put(sheet, { cycle: cycle.cycleId, month: m.month ? monthDate(m.month) : null, currency: cycle.currency, ...totalsOf(m) });
  }
  if ('month' in scope && cycles.length > 0) {
    const sums = Object.fromEntries(
      TOTAL_COLUMNS.map(([key]) => [key, amount(cycles.reduce((s, c) => s.plus(c.months[0]?.[key] ?? 0), new Decimal(0)).toFixed(2))]),
    );
    put(sheet, { cycle: 'Total', month: monthDate(scope.month), ...sums }, true);
  }
  sheet.commit();
}

function linesSheet(book: Book, cycles: readonly CycleForExport[]): void {
  const sheet = book.addWorksheet('Lines', { views: [{ state: 'frozen', ySplit: 1 }] });
  const widths: Partial<Record<(typeof LINE_COLUMNS)[number][0], number>> = { line: 14, date: 16, kind: 20, typeCode: 26, orderId: 14, numAtCard: 14 };
  sheet.columns = LINE_COLUMNS.map(([key, header]) => ({ header, key, width: widths[key] ?? 12 }));
  sheet.getColumn('date').numFmt = DATE_TIME_FORMAT;
  sheet.getColumn('month').numFmt = MONTH_FORMAT;
  for (const key of ['amount', 'differenceNet', 'differenceVat'] as const) sheet.getColumn(key).numFmt = MONEY_FORMAT;
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: LINE_COLUMNS.length } };
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  for (const { cycle, lines } of cycles) {
    for (const l of lines) {
      put(sheet, {
        cycle: cycle.cycleId,
        line: l.lineId,
        date: l.date ? ukDateTime(l.date) : null,
        month: l.month ? monthDate(l.month) : null,
        kind: l.kind,
        typeCode: l.typeCode,
        amount: amount(l.amount),
        currency: cycle.currency,
        paymentState: l.paymentState,
        class: l.class,
        orderId: l.orderId,
        numAtCard: l.numAtCard,
        refundId: l.refundId,
        sapDocument: l.sapDocument ? SAP_DOCUMENT_WORDS[l.sapDocument.kind] : null,
        sapDocNum: l.sapDocument?.docNum ?? null,
        differenceNet: l.difference ? amount(l.difference.net) : null,
        differenceVat: l.difference ? amount(l.difference.vat) : null,
      });
    }
  }
  sheet.commit();
}

function postedWords(posted: PayoutSummary['posted']): string | null {
  if (!posted) return null;
  const parts = [
    posted.purchaseInvoiceDocNum === null ? null : `A/P Invoice ${posted.purchaseInvoiceDocNum}`,
    posted.paymentDocNum === null ? null : `Incoming Payment ${posted.paymentDocNum}`,
  ].filter((p) => p !== null);
  return parts.length ? parts.join(', ') : 'Posted';
}

/** The decimal string rounded to pence, as the number a spreadsheet cell holds (shown with two decimals). */
function amount(value: string): number {
  return Number(money(value));
}

function money(value: string): string {
  return new Decimal(value).toFixed(2, Decimal.ROUND_HALF_UP);
}

const ukFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: OFFICE_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** An instant's UK calendar date and clock time ("2026-11-30", "23:30:00"); a bare date is that date at midnight. */
function ukParts(iso: string): { date: string; time: string; utc: Date } | null {
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) return { date: iso, time: '00:00:00', utc: new Date(`${iso}T00:00:00Z`) };
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return null;
  const p = Object.fromEntries(ukFormat.formatToParts(t).map((x) => [x.type, x.value]));
  const date = `${p.year}-${p.month}-${p.day}`;
  const time = `${p.hour}:${p.minute}:${p.second}`;
  return { date, time, utc: new Date(`${date}T${time}Z`) };
}

/**
 * A spreadsheet date has no time zone: it is written as the UK wall-clock time (a line at 23:30 UTC on 30 June is
 * 1 July 00:30 in the UK, and shows as 1 July, the month it belongs to).
 */
function ukDateTime(iso: string): Date | string {
  return ukParts(iso)?.utc ?? iso;
}

function ukDate(iso: string): Date | string {
  const parts = ukParts(iso);
  return parts ? new Date(`${parts.date}T00:00:00Z`) : iso;
}

function monthDate(month: string): Date {
  return new Date(`${month}-01T00:00:00Z`);
}

/** A cycle id as part of a file name: letters, digits, dash and underscore. */
function safeName(id: string): string {
  return id.replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, 80);
}
