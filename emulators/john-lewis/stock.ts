import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { fail, ok, type Ctx, type Reply } from './http';
import type { EmuStockImport } from './model';
import type { EmulatorState } from './state';

const HEADER = ['offer-sku', 'quantity', 'warehouse-code', 'update-delete'];

/**
 * STO01: the file is checked line by line now; quantities apply when the import completes (WAITING → RUNNING →
 * COMPLETE), which takes longer the more lines the file has (config importWaitMs, importRunMs, importLinesPerSecond).
 */
export function createStockImport(ctx: Ctx): Reply {
  const { state } = ctx;
  const file = ctx.parts.file;
  if (file === undefined) return fail(400, 'The file part is required');
  const createdMs = state.clock.now();
  const imp: EmuStockImport = { id: state.uuid(), createdMs, runningMs: 0, linesFromMs: 0, completeMs: 0, failed: null, lines: [], applied: false };
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
  const { importWaitMs, importRunMs, importLinesPerSecond } = state.config;
  imp.runningMs = createdMs + importWaitMs;
  imp.linesFromMs = imp.runningMs + importRunMs;
  imp.completeMs = imp.linesFromMs + Math.ceil((imp.lines.length * 1000) / Math.max(1, importLinesPerSecond));
  state.imports.set(imp.id, imp);
  return { status: 201, json: { import_id: imp.id }, headers: { location: `${ctx.baseUrl}/api/offers/stock/imports/${imp.id}/status` } };
}

export function stockImportStatus(ctx: Ctx): Reply {
  const imp = ctx.state.imports.get(ctx.params.import_id ?? '');
  if (!imp) return fail(404, `Import ${ctx.params.import_id} not found`);
  const status = ctx.state.importStatus(imp);
  const done = status === 'COMPLETE';
  // While RUNNING the counts grow as the lines are worked through, in file order.
  const processed = done ? imp.lines.length : status === 'RUNNING' ? linesProcessed(imp, ctx.state.clock.now(), ctx.state.config.importLinesPerSecond) : 0;
  let errors = 0;
  for (let i = 0; i < processed; i++) if (imp.lines[i]!.error) errors++;
  return ok({
    import_id: imp.id,
    status,
    shop_id: ctx.state.config.shopId,
    date_created: ctx.state.clock.iso(imp.createdMs),
    has_error_report: done && errors > 0,
    lines_in_success: processed - errors,
    lines_in_error: errors,
    ...(imp.failed ? { reason_status: imp.failed } : {}),
  });
}

function linesProcessed(imp: EmuStockImport, now: number, linesPerSecond: number): number {
  return Math.max(0, Math.min(imp.lines.length, Math.floor(((now - imp.linesFromMs) * linesPerSecond) / 1000)));
}

/** What the admin API tells of an import: its size and when it was created and completed (on the emulator clock). */
export function importSummary(state: EmulatorState, imp: EmuStockImport) {
  const status = state.importStatus(imp);
  return {
    importId: imp.id,
    status,
    lines: imp.lines.length,
    linesInError: imp.lines.filter((l) => l.error).length,
    createdAt: state.clock.iso(imp.createdMs),
    createdMs: imp.createdMs,
    completedAt: status === 'COMPLETE' ? state.clock.iso(imp.completeMs) : null,
    completedMs: status === 'COMPLETE' ? imp.completeMs : null,
  };
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
