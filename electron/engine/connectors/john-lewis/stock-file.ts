import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { StockRejection, StockRow } from '../ports/marketplace';

export const STOCK_HEADER = ['offer-sku', 'quantity', 'warehouse-code', 'update-delete'] as const;

const STOCK_CSV_OPTIONS = { delimiter: ';', columns: [...STOCK_HEADER], record_delimiter: '\n' } as const;
/** Rows written between two yields to the event loop: a few milliseconds of work each. */
const CHUNK_ROWS = 5_000;

/** An offer's warehouse lines together, offers in the order they first appear. */
function groupBySku(rows: readonly StockRow[]): StockRow[][] {
  const groups = new Map<string, StockRow[]>();
  for (const r of rows) {
    const g = groups.get(r.sku);
    if (g) g.push(r);
    else groups.set(r.sku, [r]);
  }
  return [...groups.values()];
}

const record = (r: StockRow) => [r.sku, String(r.quantity), r.warehouseCode ?? '', 'update'];

/** The STO01 file: semicolon CSV, one line per offer (or offer and warehouse), an offer's warehouse lines together. */
export function buildStockCsv(rows: readonly StockRow[]): string {
  return stringify(groupBySku(rows).flat().map(record), { ...STOCK_CSV_OPTIONS, header: true });
}

/**
 * The same file as buildStockCsv, in parts of a few thousand lines written between turns of the event loop, so a
 * 400,000-line file never holds up what else the engine serves. The parts go into the upload as they are.
 */
export async function buildStockCsvInChunks(rows: readonly StockRow[], chunkRows = CHUNK_ROWS): Promise<string[]> {
  const groups = new Map<string, StockRow[]>();
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const g = groups.get(r.sku);
    if (g) g.push(r);
    else groups.set(r.sku, [r]);
    if ((i + 1) % (chunkRows * 4) === 0) await yieldToEventLoop();
  }
  const parts: string[] = [];
  let chunk: string[][] = [];
  const write = async () => {
    parts.push(stringify(chunk, { ...STOCK_CSV_OPTIONS, header: parts.length === 0 }));
    chunk = [];
    await yieldToEventLoop();
  };
  for (const group of groups.values()) {
    for (const r of group) chunk.push(record(r));
    if (chunk.length >= chunkRows) await write();
  }
  if (chunk.length > 0 || parts.length === 0) await write();
  return parts;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

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
