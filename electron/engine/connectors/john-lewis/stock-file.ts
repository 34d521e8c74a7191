import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { StockRejection, StockRow } from '../ports/marketplace';

export const STOCK_HEADER = ['offer-sku', 'quantity', 'warehouse-code', 'update-delete'] as const;

/** The STO01 file: semicolon CSV, one line per offer (or offer and warehouse), an offer's warehouse lines together. */
export function buildStockCsv(rows: readonly StockRow[]): string {
  const order = new Map<string, number>();
  rows.forEach((r, i) => {
    if (!order.has(r.sku)) order.set(r.sku, i);
  });
  const grouped = [...rows].sort((a, b) => order.get(a.sku)! - order.get(b.sku)!);
  return stringify(
    grouped.map((r) => [r.sku, String(r.quantity), r.warehouseCode ?? '', 'update']),
    { delimiter: ';', header: true, columns: [...STOCK_HEADER], record_delimiter: '\n' },
  );
}

/**
 * STO03: the lines in error with their line number and reason in the first columns, then the original
 * columns. Column names are matched loosely; a report without the expected header is read by position.
 */
export function parseStockErrorReport(csv: string): StockRejection[] {
  if (csv.trim() === '') return [];
  const records = parse(csv, { delimiter: ';', relax_column_count: true, skip_empty_lines: true, bom: true, relax_quotes: true }) as string[][];
  const [header, ...lines] = records;
  if (!header) return [];
  const names = header.map((h) => h.trim().toLowerCase());
  const find = (...candidates: string[]) => names.findIndex((n) => candidates.some((c) => n === c || n.includes(c)));
  const sku = find('offer-sku', 'sku');
  const known = sku >= 0;
  const lineCol = known ? find('line') : 0;
  const reasonCol = known ? find('error', 'message', 'reason') : 1;
  const skuCol = known ? sku : 2;
  const qtyCol = known ? find('quantity') : 3;
  const whCol = known ? find('warehouse') : 4;
  const rows = known ? lines : records;
  const cell = (r: string[], i: number) => (i >= 0 && r[i] !== undefined && r[i] !== '' ? r[i]! : null);
  return rows.map((r) => {
    const n = Number(cell(r, lineCol));
    return {
      lineNumber: Number.isInteger(n) ? n : null,
      sku: cell(r, skuCol),
      quantity: cell(r, qtyCol),
      warehouseCode: cell(r, whCol),
      reason: cell(r, reasonCol) ?? 'rejected without a reason',
    };
  });
}
