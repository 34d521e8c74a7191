import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { fail, ok, type Ctx, type Reply } from './http';
import type { EmuStockImport } from './model';

const HEADER = ['offer-sku', 'quantity', 'warehouse-code', 'update-delete'];

/** STO01: the file is checked line by line now; quantities apply when the import completes (WAITING → RUNNING → COMPLETE). */
export function createStockImport(ctx: Ctx): Reply {
  const { state } = ctx;
  const file = ctx.parts.file;
  if (file === undefined) return fail(400, 'The file part is required');
  const imp: EmuStockImport = { id: state.uuid(), createdMs: state.clock.now(), failed: null, lines: [], applied: false };
  let records: string[][] = [];
  try {
    records = parse(file, { delimiter: ';', relax_column_count: true, skip_empty_lines: true, bom: true }) as string[][];
  } catch (e) {
    imp.failed = `The file is not a valid CSV: ${(e as Error).message}`;
  }
  const [header, ...rows] = records;
  if (!imp.failed && (!header || (HEADER.some((h, i) => (header[i] ?? '').trim() !== h) && !(header[0] === 'offer-sku' && header[1] === 'quantity')))) {
    imp.failed = `The header must be ${HEADER.join(';')}`;
  }
  rows.forEach((cells, i) => {
    const [sku = '', quantity = ''] = cells;
    let error: string | null = null;
    if (!state.offers.has(sku)) error = `The offer with sku '${sku}' does not exist`;
    else if (!/^\d+$/.test(quantity.trim())) error = `The quantity '${quantity}' is not a whole number of 0 or more`;
    imp.lines.push({ line: i + 2, cells, error });
  });
  state.imports.set(imp.id, imp);
  return { status: 201, json: { import_id: imp.id }, headers: { location: `${ctx.baseUrl}/api/offers/stock/imports/${imp.id}/status` } };
}

export function stockImportStatus(ctx: Ctx): Reply {
  const imp = ctx.state.imports.get(ctx.params.import_id ?? '');
  if (!imp) return fail(404, `Import ${ctx.params.import_id} not found`);
  const status = ctx.state.importStatus(imp);
  const done = status === 'COMPLETE';
  const errors = imp.lines.filter((l) => l.error).length;
  return ok({
    import_id: imp.id,
    status,
    shop_id: ctx.state.config.shopId,
    date_created: ctx.state.clock.iso(imp.createdMs),
    has_error_report: done && errors > 0,
    lines_in_success: done ? imp.lines.length - errors : 0,
    lines_in_error: done ? errors : 0,
    ...(imp.failed ? { reason_status: imp.failed } : {}),
  });
}

/** STO03: the lines in error, line number and reason first, then the original columns (re-importable after a fix). */
export function stockImportErrorReport(ctx: Ctx): Reply {
  const imp = ctx.state.imports.get(ctx.params.import_id ?? '');
  if (!imp) return fail(404, `Import ${ctx.params.import_id} not found`);
  if (ctx.state.importStatus(imp) !== 'COMPLETE' || !imp.lines.some((l) => l.error)) return fail(404, `Import ${imp.id} has no error report`);
  const rows = imp.lines.filter((l) => l.error).map((l) => [String(l.line), l.error!, ...HEADER.map((_, i) => l.cells[i] ?? '')]);
  const text = stringify(rows, { delimiter: ';', header: true, columns: ['line-number', 'error-message', ...HEADER], quoted: true, record_delimiter: '\n' });
  return { status: 200, text, contentType: 'text/csv' };
}
